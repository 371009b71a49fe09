package io.marty.observability.loganalysis;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** An analyzer on a fake clock that records every alert. */
final class Harness {
    final ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
    final List<Alert> alerts = new ArrayList<>();
    final LogAnalyzer analyzer;

    Harness() {
        this(RuleSet.defaults());
    }

    Harness(RuleSet rules) {
        this.analyzer = LogAnalyzer.builder()
                .rules(rules)
                .clock(clock)
                .addListener(alerts::add)
                .build();
    }

    Harness feed(LogEvent e) {
        analyzer.accept(e);
        return this;
    }

    Harness feed(int times, LogEvent e, Duration step) {
        for (int i = 0; i < times; i++) {
            analyzer.accept(e);
            clock.advance(step);
        }
        return this;
    }

    Harness advance(Duration d) {
        clock.advance(d);
        return this;
    }

    Harness tick() {
        analyzer.tick();
        return this;
    }

    List<Alert> alerts(String rule) {
        return alerts.stream().filter(a -> a.rule().equals(rule)).collect(Collectors.toList());
    }
}
