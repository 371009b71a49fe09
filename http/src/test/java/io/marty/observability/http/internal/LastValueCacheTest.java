package io.marty.observability.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LastValueCacheTest {

    @Test
    void computesOncePerRunOfTheSameKeyAndAgainWhenTheKeyChanges() {
        LastValueCache<String, String> cache = new LastValueCache<>();
        AtomicInteger computed = new AtomicInteger();
        java.util.function.Function<String, String> upper = k -> {
            computed.incrementAndGet();
            return k.toUpperCase(java.util.Locale.ROOT);
        };
        assertThat(cache.get("a", upper)).isEqualTo("A");
        assertThat(cache.get(new String("a"), upper)).isEqualTo("A");
        assertThat(computed).hasValue(1);
        assertThat(cache.get("b", upper)).isEqualTo("B");
        assertThat(cache.get("a", upper)).isEqualTo("A");
        assertThat(computed).hasValue(3);
    }
}
