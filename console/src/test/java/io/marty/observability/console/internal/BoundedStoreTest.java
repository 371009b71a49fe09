package io.marty.observability.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BoundedStoreTest {
    record Item(long seq, String key) {
        Item withSeq(long s) {
            return new Item(s, key);
        }
    }

    private static BoundedStore<Item> store(int capacity) {
        return store(capacity, Long.MAX_VALUE);
    }

    /** Each item weighs 100 bytes plus its key's length. */
    private static BoundedStore<Item> store(int capacity, long maxBytes) {
        List<Function<Item, String>> keys = List.of(Item::key);
        return new BoundedStore<>(capacity, maxBytes, i -> 100 + i.key().length(), Item::withSeq, keys);
    }

    @Test
    void evictsOldestWhenTheByteBudgetWouldBePassed() {
        BoundedStore<Item> s = store(1000, 1000);
        for (int i = 0; i < 9; i++) {
            s.addAll(List.of(new Item(0, "k")));
        }
        assertThat(s.size()).isEqualTo(9);
        assertThat(s.bytes()).isEqualTo(909);
        // a big item evicts as many old ones as it needs, far below the count capacity
        s.addAll(List.of(new Item(0, "x".repeat(500))));
        assertThat(s.size()).isEqualTo(4);
        assertThat(s.bytes()).isEqualTo(3 * 101 + 600).isLessThanOrEqualTo(1000);
        assertThat(s.evicted()).isEqualTo(6);
        assertThat(s.byKey(0, "k")).extracting(Item::seq).containsExactly(7L, 8L, 9L);
    }

    @Test
    void evictsOldestAndCleansIndexes() {
        BoundedStore<Item> s = store(3);
        s.addAll(List.of(new Item(0, "a"), new Item(0, "b"), new Item(0, "a"), new Item(0, "c"), new Item(0, "")));
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.evicted()).isEqualTo(2);
        // "a"(1) and "b"(2) evicted; "a"(3), "c"(4), ""(5) remain
        assertThat(s.byKey(0, "a")).extracting(Item::seq).containsExactly(3L);
        assertThat(s.byKey(0, "b")).isEmpty();
        assertThat(s.keys(0)).containsExactlyInAnyOrder("a", "c");
        assertThat(s.newest(i -> true, 10)).extracting(Item::seq).containsExactly(5L, 4L, 3L);
    }

    @Test
    void afterReturnsOnlyNewerRecordsEvenAcrossEviction() {
        BoundedStore<Item> s = store(4);
        for (int i = 0; i < 10; i++) {
            s.addAll(List.of(new Item(0, "k" + (i % 2))));
        }
        assertThat(s.lastSeq()).isEqualTo(10);
        assertThat(s.after(8, i -> true, 10)).extracting(Item::seq).containsExactly(9L, 10L);
        // a cursor older than the ring returns everything still held
        assertThat(s.after(1, i -> true, 10)).extracting(Item::seq).containsExactly(7L, 8L, 9L, 10L);
        assertThat(s.after(10, i -> true, 10)).isEmpty();
        assertThat(s.keyCount(0)).isEqualTo(2);
        assertThat(s.byKey(0, "k0")).extracting(Item::seq).containsExactly(7L, 9L);
    }
}
