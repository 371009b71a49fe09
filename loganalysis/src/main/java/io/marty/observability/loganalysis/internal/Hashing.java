package io.marty.observability.loganalysis.internal;

/** Unstable internal API. Stable ids from text (64-bit FNV-1a). */
public final class Hashing {
    private Hashing() {}

    public static long id(String text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
