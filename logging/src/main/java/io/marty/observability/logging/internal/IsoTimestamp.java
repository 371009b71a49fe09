package io.marty.observability.logging.internal;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Writes epoch millis as ISO-8601 UTC with milliseconds ({@code 2026-11-26T01:02:03.456Z}). The
 * date-time prefix is rebuilt only when the second changes. Not thread-safe: one per thread.
 *
 * <p>Internal API, unstable: may change without notice.
 */
public final class IsoTimestamp {
    private long cachedSecond = Long.MIN_VALUE;
    private final byte[] prefix = new byte[20]; // "yyyy-MM-ddTHH:mm:ss."

    public void write(JsonWriter w, long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedSecond) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
            int year = Math.max(0, Math.min(9999, t.getYear()));
            put4(year, 0);
            prefix[4] = '-';
            put2(t.getMonthValue(), 5);
            prefix[7] = '-';
            put2(t.getDayOfMonth(), 8);
            prefix[10] = 'T';
            put2(t.getHour(), 11);
            prefix[13] = ':';
            put2(t.getMinute(), 14);
            prefix[16] = ':';
            put2(t.getSecond(), 17);
            prefix[19] = '.';
            cachedSecond = second;
        }
        w.raw((byte) '"').raw(prefix).padded((int) Math.floorMod(epochMillis, 1000), 3);
        w.raw((byte) 'Z').raw((byte) '"');
    }

    private void put2(int v, int at) {
        prefix[at] = (byte) ('0' + v / 10);
        prefix[at + 1] = (byte) ('0' + v % 10);
    }

    private void put4(int v, int at) {
        put2(v / 100, at);
        put2(v % 100, at + 2);
    }
}
