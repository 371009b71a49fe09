package io.marty.observability.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdkHeadersTest {

    @Test
    void findsHeadersWhateverTheCaseOnEitherSide() {
        Headers headers = new Headers();
        headers.add("x-mmf-correlation-id", "c-1");
        headers.add("TRACEPARENT", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        headers.add("tracestate", "a=1");
        headers.add("Tracestate", "b=2");

        assertThat(JdkHeaders.first(headers, "X-MMF-Correlation-ID")).isEqualTo("c-1");
        assertThat(JdkHeaders.first(headers, "x-mmf-correlation-id")).isEqualTo("c-1");
        assertThat(JdkHeaders.first(headers, "traceparent")).startsWith("00-0af7");
        assertThat(JdkHeaders.all(headers, "TraceState")).toIterable().containsExactly("a=1", "b=2");
    }

    @Test
    void absentHeadersAndNullsGiveNothing() {
        Headers headers = new Headers();
        headers.add("Host", "localhost");
        assertThat(JdkHeaders.first(headers, "X-MMF-Request-ID")).isNull();
        assertThat(JdkHeaders.all(headers, "baggage")).isExhausted();
        assertThat(JdkHeaders.first(null, "Host")).isNull();
        assertThat(JdkHeaders.first(headers, null)).isNull();
        assertThat(JdkHeaders.all(null, "Host")).isExhausted();
    }

    @Test
    void normalisedNameIsTheOneHeadersItselfUses() {
        Headers headers = new Headers();
        headers.put("X-Mmf-User-Id", List.of("u"));
        assertThat(headers.keySet()).contains(JdkHeaders.normalized("X-MMF-User-ID"));
    }
}
