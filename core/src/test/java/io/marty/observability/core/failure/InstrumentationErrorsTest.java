package io.marty.observability.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class InstrumentationErrorsTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(42 * SECOND);
    private final InstrumentationErrors errors = new InstrumentationErrors(now::get, 3);

    @Test
    void logsAFewPerMinuteThenOneNoteThenSaysHowManyWereSuppressed() {
        try (InstrumentationLog log = new InstrumentationLog()) {
            for (int i = 0; i < 10; i++) {
                errors.record("http_server", "attempt " + i, new IllegalStateException("boom " + i));
            }
            assertThat(errors.count("http_server")).isEqualTo(10);
            assertThat(log.records()).hasSize(4);
            assertThat(log.records().subList(0, 3))
                    .allSatisfy(r -> {
                        assertThat(r.getLevel()).isEqualTo(Level.WARNING);
                        assertThat(r.getThrown()).isInstanceOf(IllegalStateException.class);
                    })
                    .extracting(LogRecord::getMessage)
                    .containsExactly(
                            "http_server: attempt 0; the request goes on uninstrumented",
                            "http_server: attempt 1; the request goes on uninstrumented",
                            "http_server: attempt 2; the request goes on uninstrumented");
            assertThat(log.mentioning("suppressing"))
                    .singleElement()
                    .satisfies(r -> assertThat(r.getThrown()).isNull());

            now.addAndGet(59 * SECOND);
            errors.record("http_server", "late", new IllegalStateException());
            assertThat(log.records()).hasSize(4);

            now.addAndGet(SECOND);
            errors.record("http_server", "next minute", new IllegalStateException());
            assertThat(log.records()).hasSize(5);
            // 10 - 3 logged in the first minute, plus the one at 59 s
            assertThat(log.records().get(4).getMessage())
                    .isEqualTo("http_server: next minute; the request goes on uninstrumented"
                            + " (8 similar errors were not logged)");
        }
    }

    @Test
    void eachComponentHasItsOwnBudget() {
        try (InstrumentationLog log = new InstrumentationLog()) {
            for (int i = 0; i < 10; i++) {
                errors.record("request_listener", "listener", new RuntimeException());
            }
            errors.record("grpc_client", "client", new RuntimeException());
            assertThat(log.mentioning("grpc_client: client")).hasSize(1);
            assertThat(errors.count("request_listener")).isEqualTo(10);
        }
    }

    @Test
    void knownComponentsStartAtZeroAndUnknownNamesAreCapped() {
        Map<String, Long> counts = new HashMap<>();
        errors.forEach(counts::put);
        assertThat(counts)
                .containsEntry(InstrumentationErrors.HTTP_SERVER, 0L)
                .containsEntry(InstrumentationErrors.REQUEST_LISTENER, 0L)
                .containsEntry(InstrumentationErrors.LOGGING, 0L);
        try (InstrumentationLog ignored = new InstrumentationLog()) {
            for (int i = 0; i < 100; i++) {
                errors.record("integration_" + i, "x", new RuntimeException());
            }
        }
        counts.clear();
        errors.forEach(counts::put);
        assertThat(counts).hasSize(InstrumentationErrors.MAX_COMPONENTS + 1);
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(100);
        assertThat(counts.get("other")).isGreaterThan(0);
    }

    @Test
    void neverThrowsEvenWithoutErrorOrComponent() {
        try (InstrumentationLog ignored = new InstrumentationLog()) {
            errors.record(null, null, null);
        }
        assertThat(errors.count("other")).isEqualTo(1);
    }

    @Test
    void failOpenSetterSkipsTheRejectedHeaderAndKeepsTheOthers() {
        Map<String, String> headers = new HashMap<>();
        try (InstrumentationLog log = new InstrumentationLog()) {
            var setter = errors.<Map<String, String>>failOpen("http_client", (carrier, key, value) -> {
                if (value.chars().anyMatch(c -> c > 127)) {
                    throw new IllegalArgumentException("invalid header value");
                }
                carrier.put(key, value);
            });
            setter.set(headers, "traceparent", "00-abc-def-01");
            setter.set(headers, "X-MMF-User-ID", "zoë");
            setter.set(headers, "X-MMF-Session-ID", "s1");
            assertThat(log.mentioning("X-MMF-User-ID")).hasSize(1);
        }
        assertThat(headers).containsOnlyKeys("traceparent", "X-MMF-Session-ID");
        assertThat(errors.count("http_client")).isEqualTo(1);
    }
}
