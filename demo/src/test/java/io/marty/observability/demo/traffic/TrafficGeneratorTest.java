package io.marty.observability.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrafficGeneratorTest {

    @Test
    void scheduleWindowsRepeatWithTheCycle() {
        FaultSchedule s = FaultSchedule.demo();
        assertThat(s.activeAt(Duration.ofSeconds(5))).isEmpty();
        assertThat(s.activeAt(Duration.ofSeconds(25))).containsExactly(Fault.ERROR_BURST);
        assertThat(s.activeAt(Duration.ofSeconds(50))).containsExactly(Fault.LATENCY_SPIKE);
        assertThat(s.activeAt(Duration.ofSeconds(70))).containsExactly(Fault.BRUTE_FORCE);
        assertThat(s.activeAt(Duration.ofSeconds(100))).containsExactly(Fault.REVENUE_DROP);
        assertThat(s.activeAt(Duration.ofSeconds(120 + 25))).containsExactly(Fault.ERROR_BURST);
        assertThatThrownBy(() -> FaultSchedule.builder()
                        .window(Fault.ERROR_BURST, Duration.ofSeconds(50), Duration.ofSeconds(20))
                        .cycle(Duration.ofSeconds(60))
                        .build())
                .hasMessageContaining("does not fit");
    }

    @Test
    void faultsShapeTheRequestMix() {
        TrafficGenerator gen = TrafficGenerator.builder(r -> 200).seed(7).build();
        int normalCheckouts = 0;
        int dropCheckouts = 0;
        int failing = 0;
        int slow = 0;
        for (int i = 0; i < 4000; i++) {
            if (gen.normalRequest(Set.of()).kind() == DemoRequest.Kind.CHECKOUT) {
                normalCheckouts++;
            }
            if (gen.normalRequest(EnumSet.of(Fault.REVENUE_DROP)).kind() == DemoRequest.Kind.CHECKOUT) {
                dropCheckouts++;
            }
            DemoRequest burst = gen.normalRequest(EnumSet.of(Fault.ERROR_BURST, Fault.LATENCY_SPIKE));
            failing += burst.failPayment() ? 1 : 0;
            slow += burst.delayMillis() >= 700 ? 1 : 0;
            DemoRequest calm = gen.normalRequest(Set.of());
            assertThat(calm.failPayment()).isFalse();
            assertThat(calm.delayMillis()).isZero();
        }
        assertThat(normalCheckouts).isBetween(1200, 1600); // ~35 %
        assertThat(dropCheckouts).isLessThan(normalCheckouts / 5);
        assertThat(failing).isGreaterThan(400);
        assertThat(slow).isGreaterThan(1000);
        gen.close();
    }

    @Test
    void runsTheScheduleAgainstTheTargetAndAnnouncesPhases() throws Exception {
        List<DemoRequest> seen = Collections.synchronizedList(new ArrayList<>());
        List<String> phases = Collections.synchronizedList(new ArrayList<>());
        FaultSchedule schedule = FaultSchedule.builder()
                .window(Fault.BRUTE_FORCE, Duration.ofMillis(300), Duration.ofMillis(600))
                .window(Fault.ERROR_BURST, Duration.ofMillis(300), Duration.ofMillis(600))
                .build();
        try (TrafficGenerator gen = TrafficGenerator.builder(r -> {
                    seen.add(r);
                    return r.failPayment() ? 502 : r.password().startsWith("guess") ? 401 : 200;
                })
                .requestsPerSecond(200)
                .schedule(schedule)
                .duration(Duration.ofMillis(1200))
                .onPhaseChange(phases::add)
                .build()) {
            gen.start();
            assertThat(gen.awaitCompletion(Duration.ofSeconds(10))).isTrue();
            gen.close(); // waits for in-flight sends
            assertThat(seen)
                    .anyMatch(r -> r.userId().equals("admin") && r.clientIp().equals("203.0.113.7"));
            assertThat(seen).anyMatch(DemoRequest::failPayment);
            assertThat(gen.stats().serverErrors()).isPositive();
            assertThat(gen.stats().clientErrors()).isPositive();
            assertThat(gen.stats().sent() + gen.stats().skipped())
                    .isEqualTo(seen.size() + gen.stats().skipped());
            assertThat(phases).anyMatch(p -> p.contains("fault ON : BRUTE_FORCE"));
            assertThat(phases).anyMatch(p -> p.contains("fault OFF: ERROR_BURST"));
        }
    }

    @Test
    void targetExceptionsAreCountedNotFatal() throws Exception {
        try (TrafficGenerator gen = TrafficGenerator.builder(r -> {
                    throw new java.io.IOException("connection refused");
                })
                .requestsPerSecond(100)
                .schedule(FaultSchedule.none())
                .duration(Duration.ofMillis(300))
                .build()) {
            gen.start();
            assertThat(gen.awaitCompletion(Duration.ofSeconds(10))).isTrue();
            gen.close();
            assertThat(gen.stats().failed()).isPositive();
            assertThat(gen.stats().ok()).isZero();
        }
    }
}
