package io.marty.observability.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    @Test
    void movesOnlyWhenTold() {
        ManualClock clock = new ManualClock(T0);
        assertThat(clock.instant()).isEqualTo(T0);
        assertThat(clock.millis()).isEqualTo(T0.toEpochMilli());
        assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(T0.plusSeconds(300));
        assertThat(clock.instant()).isEqualTo(T0.plusSeconds(300));
        clock.advance(Duration.ofSeconds(-60));
        assertThat(clock.instant()).isEqualTo(T0.plusSeconds(240));
        clock.set(Instant.EPOCH);
        assertThat(clock.millis()).isZero();
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void zonedViewFollowsTheClock() {
        ManualClock clock = new ManualClock(T0);
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        clock.advance(Duration.ofHours(1));
        assertThat(paris.instant()).isEqualTo(T0.plusSeconds(3600));
        assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    }

    @Test
    void concurrentAdvancesAreNotLost() throws InterruptedException {
        ManualClock clock = new ManualClock(Instant.EPOCH);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 10_000; i++) {
                    clock.advance(Duration.ofMillis(1));
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        assertThat(clock.millis()).isEqualTo(40_000);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> new ManualClock(null)).hasMessageContaining("start");
        ManualClock clock = new ManualClock(T0);
        assertThatThrownBy(() -> clock.set(null)).hasMessageContaining("time");
        assertThatThrownBy(() -> clock.advance(null)).hasMessageContaining("step");
    }
}
