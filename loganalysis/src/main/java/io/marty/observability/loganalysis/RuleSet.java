package io.marty.observability.loganalysis;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

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
 * {@link #defaults()} holds the seed's five rules plus one rule per detector type. Every rule is
 * checked at load time (types, durations, numbers, unknown keys, duplicate names) and the error names
 * the rule and key.
 */
public final class RuleSet {
    private static final String DEFAULT_RESOURCE = "/io/marty/observability/loganalysis/default-rules.yaml";

    private final List<RuleSpec> rules;

    private RuleSet(List<RuleSpec> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<RuleSpec> rules() {
        return rules;
    }

    /** The built-in defaults (the seed's five rules and the detectors). */
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

    /** Loads rules from a YAML file; errors name the file, the rule and the key. */
    public static RuleSet load(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rules file " + file + ": " + e.getMessage(), e);
        }
    }

    public static RuleSet parse(String yaml) {
        return parse(new StringReader(yaml), "<string>");
    }

    @SuppressWarnings("unchecked")
    static RuleSet parse(Reader reader, String source) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(source + ": invalid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map)) {
            throw new IllegalArgumentException(source + ": expected a map with 'rules:', got " + root);
        }
        Map<String, Object> top = (Map<String, Object>) root;
        Set<String> unknownTop = new HashSet<>(top.keySet());
        unknownTop.removeAll(Set.of("defaults", "rules"));
        if (!unknownTop.isEmpty()) {
            throw new IllegalArgumentException(source + ": unknown top-level key(s) " + unknownTop);
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        Object d = top.get("defaults");
        if (d instanceof Map) {
            defaults.putAll((Map<String, Object>) d);
            Set<String> bad = new HashSet<>(defaults.keySet());
            bad.removeAll(Set.of("cooldown", "max_keys", "window", "severity"));
            if (!bad.isEmpty()) {
                throw new IllegalArgumentException(
                        source + ": defaults accept cooldown, max_keys, window, severity; unknown " + bad);
            }
        } else if (d != null) {
            throw new IllegalArgumentException(source + ": 'defaults' must be a map, got " + d);
        }
        Object list = top.get("rules");
        if (!(list instanceof List)) {
            throw new IllegalArgumentException(source + ": 'rules' must be a list, got " + list);
        }
        List<RuleSpec> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Object o : (List<Object>) list) {
            if (!(o instanceof Map)) {
                throw new IllegalArgumentException(source + ": each rule must be a map, got " + o);
            }
            Map<String, Object> raw = new LinkedHashMap<>();
            ((Map<Object, Object>) o).forEach((k, v) -> raw.put(String.valueOf(k), v));
            RuleSpec spec;
            try {
                spec = RuleSpec.fromMap(raw, defaults);
                // Validate now (the detector constructor checks every type-specific key).
                io.marty.observability.loganalysis.detect.Detectors.create(spec);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
            }
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException(source + ": duplicate rule name '" + spec.name() + "'");
            }
            if (RuleSpec.enabled(raw)) {
                rules.add(RuleSpec.fromMap(raw, defaults));
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
