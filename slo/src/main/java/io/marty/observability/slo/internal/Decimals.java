package io.marty.observability.slo.internal;

import java.math.BigDecimal;

/** Decimal helpers for the numbers written into rules, messages and reports. */
public final class Decimals {
    private Decimals() {}

    /** Shortest plain decimal of a double ({@code 0.999}, {@code 14.4}, {@code 30}), stable across runs. */
    public static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** Exact decimal arithmetic on the shortest decimal forms, so {@code 1 - 0.999} is {@code 0.001}. */
    public static BigDecimal dec(double v) {
        return new BigDecimal(Double.toString(v));
    }
}
