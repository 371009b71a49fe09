package io.marty.observability.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpecNodeTest {
    enum Level {
        INFO,
        WARNING,
        CRITICAL
    }

    private static final String RULES = """
            defaults: {cooldown: 1m}
            rules:
              - name: high_errors
                window: 1h30m
                threshold: 10
                ratio: 0.5
                severity: critical
                enabled: no
                match: {level: [ERROR, FATAL], fields.status: "500..599"}
              - name: other
                window: PT5M
            """;

    @Test
    void typedAccessorsReadValues() {
        SpecNode root = SpecNode.read(RULES, "rules.yaml");
        root.checkKeys(Set.of("defaults", "rules"));
        assertThat(root.map("defaults").duration("cooldown")).isEqualTo(Duration.ofMinutes(1));
        List<SpecNode> rules = root.list("rules");
        SpecNode r = rules.get(0);
        assertThat(r.string("name")).isEqualTo("high_errors");
        assertThat(r.duration("window")).isEqualTo(Duration.ofMinutes(90));
        assertThat(r.integer("threshold")).isEqualTo(10);
        assertThat(r.number("ratio")).isEqualTo(0.5);
        assertThat(r.enumValue("severity", Level.class, Level.WARNING)).isEqualTo(Level.CRITICAL);
        assertThat(r.bool("enabled", true)).isFalse();
        SpecNode match = r.map("match");
        assertThat(match.keys()).containsExactly("level", "fields.status");
        assertThat(match.get("level").asStringList()).containsExactly("ERROR", "FATAL");
        assertThat(match.get("fields.status").asStringList()).containsExactly("500..599");
        assertThat(match.get("fields.status").path()).isEqualTo("rules[0].match['fields.status']");
        SpecNode other = rules.get(1);
        assertThat(other.duration("window")).isEqualTo(Duration.ofMinutes(5));
        assertThat(other.number("threshold", 3)).isEqualTo(3);
        assertThat(other.enumValue("severity", Level.class, Level.WARNING)).isEqualTo(Level.WARNING);
        assertThat(other.string("description", "none")).isEqualTo("none");
        assertThat(other.line()).isEqualTo(10);
        assertThat(other.column()).isEqualTo(5);
    }

    @Test
    void errorsNameFileLineColumnPathAndProblem() {
        String yaml = """
                rules:
                  - name: a
                    window: 5x
                    threshold: ten
                    severity: loud
                    enabled: maybe
                    count: 1.5
                    match: [level]
                """;
        SpecNode r = SpecNode.read(yaml, "r.yaml").list("rules").get(0);
        assertThatThrownBy(() -> r.duration("window"))
                .isInstanceOf(SpecException.class)
                .hasMessage("r.yaml:3:13: rules[0].window: '5x': unknown unit 'x'"
                        + " (use ms, s, m, h, d, w or ISO-8601 like PT5M)");
        assertThatThrownBy(() -> r.number("threshold"))
                .hasMessage("r.yaml:4:16: rules[0].threshold: expected a number, got 'ten'");
        assertThatThrownBy(() -> r.enumValue("severity", Level.class, Level.INFO))
                .hasMessage("r.yaml:5:15: rules[0].severity: 'loud' is not one of info, warning, critical");
        assertThatThrownBy(() -> r.bool("enabled", true))
                .hasMessage("r.yaml:6:14: rules[0].enabled: expected true or false, got 'maybe'");
        assertThatThrownBy(() -> r.integer("count"))
                .hasMessage("r.yaml:7:12: rules[0].count: expected a whole number, got '1.5'");
        assertThatThrownBy(() -> r.map("match"))
                .hasMessage("r.yaml:8:12: rules[0].match: expected a mapping (key: value), got a list");
        assertThatThrownBy(() -> r.list("name")).hasMessage("r.yaml:2:11: rules[0].name: expected a list, got 'a'");
        assertThatThrownBy(() -> r.get("match").asString())
                .hasMessage("r.yaml:8:12: rules[0].match: expected a single value, got a list");
        assertThatThrownBy(() -> r.string("type")).hasMessage("r.yaml:2:5: rules[0].type: missing (required)");
        assertThatThrownBy(() -> r.get("name").asOneOf(Set.of("x", "y")))
                .hasMessage("r.yaml:2:11: rules[0].name: 'a' is not one of x, y");
        SpecException e = (SpecException) org.assertj.core.api.Assertions.catchThrowable(() -> r.duration("window"));
        assertThat(e.source()).isEqualTo("r.yaml");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(13);
        assertThat(e.path()).isEqualTo("rules[0].window");
        assertThat(e.reason()).startsWith("'5x': unknown unit 'x'");
    }

    @Test
    void unknownKeysAreReportedAtTheKeyWithAGuess() {
        SpecNode r = SpecNode.read("name: a\ntreshold: 3\nwindow: 5m\n", "r.yaml");
        assertThatThrownBy(() -> r.checkKeys(Set.of("name", "threshold", "window")))
                .hasMessage("r.yaml:2:1: treshold: unknown key (did you mean 'threshold'?);"
                        + " allowed: name, threshold, window");
        assertThatThrownBy(() -> r.checkKeys(List.of("name", "window")))
                .hasMessage("r.yaml:2:1: treshold: unknown key; allowed: name, window");
        assertThat(r.checkKeys(Set.of("name", "threshold", "treshold", "window")))
                .isSameAs(r);
    }

    @Test
    void duplicateKeysAndNonStringKeysAreErrors() {
        assertThatThrownBy(() -> SpecNode.read("a: 1\nb: 2\na: 3\n", "d.yaml").keys())
                .hasMessage("d.yaml:3:1: a: duplicate key (first at line 1)");
        assertThatThrownBy(() -> SpecNode.read("? [a, b]\n: 1\n", "k.yaml").keys())
                .hasMessage("k.yaml:1:3: keys must be plain strings");
    }

    @Test
    void explicitNullCountsAsAbsent() {
        SpecNode n = SpecNode.read("a:\nb: ~\nc: 1\n", "n.yaml");
        assertThat(n.keys()).containsExactly("a", "b", "c");
        assertThat(n.has("a")).isFalse();
        assertThat(n.find("b")).isNull();
        assertThat(n.integer("a", 7)).isEqualTo(7);
        assertThatThrownBy(() -> n.string("b")).hasMessage("n.yaml:1:1: b: missing (required)");
    }

    @Test
    void asWrapsAParsersErrorWithTheLocation() {
        SpecNode n = SpecNode.read("level: loud\n", "p.yaml");
        assertThatThrownBy(() -> n.get("level").as(v -> {
                    throw new IllegalArgumentException("level must be info or warning, got '" + v + "'");
                }))
                .isInstanceOf(SpecException.class)
                .hasMessage("p.yaml:1:8: level: level must be info or warning, got 'loud'")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidYamlAndDocumentCounts() {
        assertThatThrownBy(() -> SpecNode.readAll("a: [1, 2\n", "bad.yaml"))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("bad.yaml:2:1: invalid YAML: ");
        assertThat(SpecNode.readAll("a: 1\n---\nb: 2\n---\n", "m.yaml"))
                .extracting(SpecNode::line)
                .containsExactly(1, 3);
        assertThatThrownBy(() -> SpecNode.read("a: 1\n---\nb: 2\n", "m.yaml"))
                .hasMessage("m.yaml:3:1: expected one YAML document, found more");
        assertThatThrownBy(() -> SpecNode.read("# nothing\n", "e.yaml")).hasMessage("e.yaml: empty document");
    }
}
