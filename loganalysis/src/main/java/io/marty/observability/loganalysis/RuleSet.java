package io.marty.observability.loganalysis;

import io.marty.observability.loganalysis.detect.Detectors;
import io.marty.observability.spec.SpecException;
import io.marty.observability.spec.SpecNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ordered, validated list of detection rules, loaded from YAML:
 *
 * <pre>{@code
 * defaults: {cooldown: 5m, max_keys: 10000}
 * rules:
 *   - name: high_error_rate
 *     type: threshold
 *     match: {level: [ERROR]}
 *     threshold: 10
 *     window: 5m
 * }</pre>
 *
 * {@link #defaults()} holds the MMF LogAnalyzer's five rules plus one rule per detector type. Every rule
 * is checked at load time (types, durations, numbers, unknown keys, duplicate names); errors are
 * {@link SpecException}s located as {@code <file>:<line>:<col>: <path.to.key>: <what is wrong>}, e.g.
 * {@code rules.yaml:7:13: rules[2].window: '5x': unknown unit 'x' (use ms, s, m, h, d, w or ISO-8601 like PT5M)}.
 */
public final class RuleSet {
    private static final String DEFAULT_RESOURCE = "/io/marty/observability/loganalysis/default-rules.yaml";
    private static final Set<String> TOP_KEYS = Set.of("defaults", "rules");
    private static final Set<String> DEFAULT_KEYS = Set.of("cooldown", "max_keys", "window", "severity");

    private final List<RuleSpec> rules;

    private RuleSet(List<RuleSpec> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<RuleSpec> rules() {
        return rules;
    }

    /** The built-in defaults (the MMF LogAnalyzer's five rules and the detectors). */
    public static RuleSet defaults() {
        try (InputStream in = RuleSet.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads rules from a YAML file; errors name the file, line, column and key. */
    public static RuleSet load(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rules file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses rules from YAML text; errors name it {@code <string>}. */
    public static RuleSet parse(String yaml) {
        return parse(new StringReader(yaml), "<string>");
    }

    static RuleSet parse(Reader reader, String source) {
        SpecNode root = SpecNode.read(reader, source);
        root.checkKeys(TOP_KEYS);
        SpecNode defaults = root.find("defaults");
        if (defaults != null) {
            defaults.checkKeys(DEFAULT_KEYS);
        }
        List<RuleSpec> rules = new ArrayList<>();
        Map<String, SpecNode> names = new HashMap<>();
        for (SpecNode item : root.list("rules")) {
            RuleSpec spec = new RuleSpec(item, defaults);
            try {
                // Validate now (the detector constructor checks every type-specific key).
                Detectors.create(spec);
            } catch (SpecException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw spec.error(e.getMessage(), e);
            }
            SpecNode first = names.putIfAbsent(spec.name(), item);
            if (first != null) {
                throw item.get("name")
                        .error("duplicate rule name '" + spec.name() + "' (first at line " + first.line() + ")");
            }
            if (spec.enabled()) {
                rules.add(spec);
            }
        }
        return new RuleSet(rules);
    }

    /** Rule names, in order (bounded: used as metric label values). */
    public List<String> names() {
        List<String> n = new ArrayList<>();
        rules.forEach(r -> n.add(r.name()));
        return n;
    }
}
