package io.marty.observability.spec;

import java.io.Reader;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One node of a YAML spec file (a mapping, a list or a single value) that knows where it stands: its
 * file, line, column and path ({@code rules[2].window}). Every accessor fails with a {@link SpecException}
 * formatted {@code <file>:<line>:<col>: <path.to.key>: <what is wrong>}, so loaders need no error
 * plumbing of their own.
 *
 * <pre>{@code
 * SpecNode root = SpecNode.read(Files.readString(file), file.toString());
 * root.checkKeys(Set.of("defaults", "rules"));
 * for (SpecNode rule : root.list("rules")) {
 *     rule.checkKeys(Set.of("name", "window", "threshold", "severity"));
 *     String name = rule.string("name");                                  // required
 *     Duration window = rule.duration("window", Duration.ofMinutes(5));   // optional, one grammar
 *     double threshold = rule.number("threshold", 10);
 *     Severity severity = rule.enumValue("severity", Severity.class, Severity.WARNING);
 * }
 * // rules.yaml:4:13: rules[0].window: '5x': unknown unit 'x' (use ms, s, m, h, d, w or ISO-8601 like PT5M)
 * }</pre>
 *
 * <p>An explicit null ({@code key:}, {@code key: ~}) counts as absent. Keys are plain strings, unique
 * within a mapping. Durations follow {@link Durations}. Instances are not thread-safe while being read.
 */
public final class SpecNode {
    private final Node node;
    private final String source;
    private final String path;
    private Map<String, SpecNode> entries;
    private Map<String, Node> keyNodes;

    private SpecNode(Node node, String source, String path) {
        this.node = node;
        this.source = source;
        this.path = path;
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads a text holding exactly one YAML document.
     *
     * @param source names the text in errors (usually the file name)
     */
    public static SpecNode read(String yaml, String source) {
        return read(new StringReader(yaml), source);
    }

    /** Reads exactly one YAML document from a reader (not closed here). */
    public static SpecNode read(Reader reader, String source) {
        List<SpecNode> docs = readAll(reader, source);
        if (docs.isEmpty()) {
            throw new SpecException(source, 0, 0, "", "empty document", null);
        }
        if (docs.size() > 1) {
            SpecNode second = docs.get(1);
            throw new SpecException(
                    source, second.line(), second.column(), "", "expected one YAML document, found more", null);
        }
        return docs.get(0);
    }

    /** Reads every YAML document of a text ({@code ---} separated); empty documents are skipped. */
    public static List<SpecNode> readAll(String yaml, String source) {
        return readAll(new StringReader(yaml), source);
    }

    /** Reads every YAML document from a reader (not closed here); empty documents are skipped. */
    public static List<SpecNode> readAll(Reader reader, String source) {
        List<SpecNode> docs = new ArrayList<>();
        try {
            for (Node n : new Yaml(new LoaderOptions()).composeAll(reader)) {
                SpecNode doc = n == null ? null : new SpecNode(n, source, "");
                if (doc != null && !doc.isNull()) {
                    docs.add(doc);
                }
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new SpecException(
                    source,
                    m == null ? 0 : m.getLine() + 1,
                    m == null ? 0 : m.getColumn() + 1,
                    "",
                    "invalid YAML: " + e.getProblem(),
                    e);
        } catch (YAMLException e) {
            throw new SpecException(source, 0, 0, "", "invalid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    // ---------------------------------------------------------------- where

    /** The file name or label given to {@link #read}. */
    public String source() {
        return source;
    }

    /** Path from the document root: {@code rules[2].window}, {@code match['fields.status']}; empty at the root. */
    public String path() {
        return path;
    }

    /** 1-based line where the node starts. */
    public int line() {
        return node.getStartMark().getLine() + 1;
    }

    /** 1-based column where the node starts. */
    public int column() {
        return node.getStartMark().getColumn() + 1;
    }

    /** An error located at this node; throw it. */
    public SpecException error(String what) {
        return new SpecException(source, line(), column(), path, what, null);
    }

    /** An error located at this node, keeping the cause; throw it. */
    public SpecException error(String what, Throwable cause) {
        return new SpecException(source, line(), column(), path, what, cause);
    }

    /**
     * An error about a key of this mapping: located at the key's value when it is there, otherwise at this
     * mapping with the key's path (for a missing or inconsistent setting); throw it.
     */
    public SpecException errorAt(String key, String what) {
        SpecNode n = find(key);
        if (n != null) {
            return n.error(what);
        }
        return new SpecException(source, line(), column(), childPath(key), what, null);
    }

    // ---------------------------------------------------------------- kinds

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    /** A single value (not null). */
    public boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    /** An explicit null: {@code key:}, {@code key: ~}, {@code key: null}. */
    public boolean isNull() {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    // ---------------------------------------------------------------- mappings

    /** The entries of this mapping in file order, null values included. */
    public Map<String, SpecNode> entries() {
        if (entries == null) {
            if (!(node instanceof MappingNode mn)) {
                throw error("expected a mapping (key: value), got " + kind());
            }
            Map<String, SpecNode> out = new LinkedHashMap<>();
            Map<String, Node> keys = new LinkedHashMap<>();
            for (NodeTuple t : mn.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    throw new SpecException(
                            source,
                            line(t.getKeyNode()),
                            column(t.getKeyNode()),
                            path,
                            "keys must be plain strings",
                            null);
                }
                String key = k.getValue();
                if (keys.containsKey(key)) {
                    throw new SpecException(
                            source,
                            line(k),
                            column(k),
                            childPath(key),
                            "duplicate key (first at line " + line(keys.get(key)) + ")",
                            null);
                }
                keys.put(key, k);
                out.put(key, new SpecNode(t.getValueNode(), source, childPath(key)));
            }
            entries = Collections.unmodifiableMap(out);
            keyNodes = keys;
        }
        return entries;
    }

    /** The keys of this mapping in file order. */
    public Set<String> keys() {
        return entries().keySet();
    }

    /** Whether this mapping has the key with a non-null value. */
    public boolean has(String key) {
        return find(key) != null;
    }

    /** The value of an optional key, or null when it is absent or null. */
    public @Nullable SpecNode find(String key) {
        SpecNode n = entries().get(key);
        return n == null || n.isNull() ? null : n;
    }

    /** The value of a required key; fails naming the key when it is absent or null. */
    public SpecNode get(String key) {
        SpecNode n = find(key);
        if (n == null) {
            throw errorAt(key, "missing (required)");
        }
        return n;
    }

    /**
     * Fails on the first key that is not allowed, at that key, listing the allowed ones (and the closest
     * one when it looks like a typo).
     *
     * @return this node, for chaining
     */
    public SpecNode checkKeys(Collection<String> allowed) {
        for (String k : entries().keySet()) {
            if (!allowed.contains(k)) {
                Node at = keyNodes.get(k);
                String guess = closest(k, allowed);
                throw new SpecException(
                        source,
                        line(at),
                        column(at),
                        childPath(k),
                        "unknown key" + (guess == null ? "" : " (did you mean '" + guess + "'?)") + "; allowed: "
                                + sorted(allowed),
                        null);
            }
        }
        return this;
    }

    /** The value of a required key that must be a mapping. */
    public SpecNode map(String key) {
        SpecNode n = get(key);
        n.entries();
        return n;
    }

    /** The items of a required key that must be a list. */
    public List<SpecNode> list(String key) {
        return get(key).items();
    }

    // ---------------------------------------------------------------- lists

    /** The items of this list. */
    public List<SpecNode> items() {
        if (!(node instanceof SequenceNode sn)) {
            throw error("expected a list, got " + kind());
        }
        List<SpecNode> out = new ArrayList<>(sn.getValue().size());
        for (int i = 0; i < sn.getValue().size(); i++) {
            out.add(new SpecNode(sn.getValue().get(i), source, path + "[" + i + "]"));
        }
        return out;
    }

    /** A single value as a one-element list, or a list of single values. */
    public List<String> asStringList() {
        if (isList()) {
            return items().stream().map(SpecNode::asString).collect(Collectors.toList());
        }
        return List.of(asString());
    }

    // ---------------------------------------------------------------- single values

    /** This single value as written (no trimming of quoted text). */
    public String asString() {
        if (!(node instanceof ScalarNode s) || isNull()) {
            throw error("expected a single value, got " + kind());
        }
        return s.getValue();
    }

    public int asInt() {
        String v = asString().trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw error("expected a whole number, got '" + v + "'");
        }
    }

    /** A finite decimal number. */
    public double asDouble() {
        String v = asString().trim();
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error("expected a number, got '" + v + "'");
    }

    /** {@code true}/{@code false} (also {@code yes}/{@code no}, {@code on}/{@code off}), any case. */
    public boolean asBoolean() {
        String v = asString().trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("expected true or false, got '" + asString() + "'");
        };
    }

    /** A duration of zero or more in the {@link Durations} grammar. */
    public Duration asDuration() {
        return as(Durations::parse);
    }

    /** One of the enum's constants, matched ignoring case, {@code -} for {@code _}. */
    public <E extends Enum<E>> E asEnum(Class<E> type) {
        String v = asString().trim();
        String wanted = v.replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(wanted)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw error("'" + v + "' is not one of " + String.join(", ", names));
    }

    /** One of the allowed values, exactly as written. */
    public String asOneOf(Collection<String> allowed) {
        String v = asString().trim();
        if (!allowed.contains(v)) {
            throw error("'" + v + "' is not one of " + sorted(allowed));
        }
        return v;
    }

    /**
     * This single value converted by {@code parser}; an {@link IllegalArgumentException} it throws becomes a
     * located {@link SpecException} with the same message.
     */
    public <T> T as(Function<String, T> parser) {
        String v = asString();
        try {
            return parser.apply(v);
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- keyed shortcuts

    /** A required single value. */
    public String string(String key) {
        return get(key).asString();
    }

    /** An optional single value, or {@code defaultValue}. */
    public @Nullable String string(String key, @Nullable String defaultValue) {
        return optional(key, defaultValue, SpecNode::asString);
    }

    public int integer(String key) {
        return get(key).asInt();
    }

    public int integer(String key, int defaultValue) {
        return optional(key, defaultValue, SpecNode::asInt);
    }

    public double number(String key) {
        return get(key).asDouble();
    }

    public double number(String key, double defaultValue) {
        return optional(key, defaultValue, SpecNode::asDouble);
    }

    public boolean bool(String key, boolean defaultValue) {
        return optional(key, defaultValue, SpecNode::asBoolean);
    }

    public Duration duration(String key) {
        return get(key).asDuration();
    }

    public Duration duration(String key, Duration defaultValue) {
        return optional(key, defaultValue, SpecNode::asDuration);
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        return optional(key, defaultValue, n -> n.asEnum(type));
    }

    /** An optional key's value converted by {@code read} (e.g. {@code SpecNode::asDouble}), or the default. */
    public <T extends @Nullable Object> T optional(String key, T defaultValue, Function<SpecNode, T> read) {
        SpecNode n = find(key);
        return n == null ? defaultValue : read.apply(n);
    }

    @Override
    public String toString() {
        return source + ":" + line() + ":" + column() + (path.isEmpty() ? "" : " " + path);
    }

    // ---------------------------------------------------------------- helpers

    private String kind() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return isNull() ? "nothing" : "'" + ((ScalarNode) node).getValue() + "'";
    }

    private String childPath(String key) {
        boolean plain =
                !key.isEmpty() && key.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-');
        if (!plain) {
            return path + "['" + key + "']";
        }
        return path.isEmpty() ? key : path + "." + key;
    }

    private static int line(Node n) {
        return n.getStartMark().getLine() + 1;
    }

    private static int column(Node n) {
        return n.getStartMark().getColumn() + 1;
    }

    private static String sorted(Collection<String> values) {
        return values instanceof List ? String.join(", ", values) : String.join(", ", new TreeSet<>(values));
    }

    /** The allowed key closest to {@code key} within edit distance 2, or null. */
    private static String closest(String key, Collection<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String a : allowed) {
            int d = distance(key, a);
            if (d < bestDistance) {
                best = a;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
