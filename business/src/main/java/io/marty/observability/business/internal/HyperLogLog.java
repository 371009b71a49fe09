package io.marty.observability.business.internal;

import java.nio.charset.StandardCharsets;

/**
 * A HyperLogLog distinct-count sketch with {@code 2^precision} one-byte registers (precision 12: 4 KiB,
 * standard error about 1.04/sqrt(4096) = 1.6 %), linear counting for small cardinalities. Items are
 * hashed to 64 bits (FNV-1a over UTF-8, then the SplitMix64 finaliser to spread the bits); nothing
 * of the item is kept. Not thread-safe.
 */
public final class HyperLogLog {
    private final int p;
    private final int m;
    private final byte[] registers;

    public HyperLogLog(int precision) {
        if (precision < 4 || precision > 16) {
            throw new IllegalArgumentException("precision must be in 4..16, got " + precision);
        }
        this.p = precision;
        this.m = 1 << precision;
        this.registers = new byte[m];
    }

    /** Adds {@code item}. */
    public void add(String item) {
        addHash(hash(item));
    }

    void addHash(long h) {
        int idx = (int) (h >>> (64 - p));
        long rest = h << p;
        int rank = rest == 0 ? 64 - p + 1 : Long.numberOfLeadingZeros(rest) + 1;
        if (rank > registers[idx]) {
            registers[idx] = (byte) rank;
        }
    }

    /** Merges {@code other} (same precision) into this sketch. */
    public void merge(HyperLogLog other) {
        if (other.p != p) {
            throw new IllegalArgumentException("precision " + other.p + " != " + p);
        }
        for (int i = 0; i < m; i++) {
            if (other.registers[i] > registers[i]) {
                registers[i] = other.registers[i];
            }
        }
    }

    /** Forgets everything. */
    public void clear() {
        java.util.Arrays.fill(registers, (byte) 0);
    }

    /** Estimated number of distinct items added. */
    public long estimate() {
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += 1.0 / (1L << r);
            if (r == 0) {
                zeros++;
            }
        }
        double alpha = m == 16 ? 0.673 : m == 32 ? 0.697 : m == 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
        double e = alpha * m * (double) m / sum;
        if (e <= 2.5 * m && zeros > 0) {
            e = m * Math.log((double) m / zeros);
        }
        return Math.round(e);
    }

    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h;
    }
}
