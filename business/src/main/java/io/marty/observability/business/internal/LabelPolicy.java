package io.marty.observability.business.internal;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which label keys business metrics may declare: identifiers and amounts have unbounded values (one
 * series per order or user), so keys naming them are refused with an error that names the key.
 */
public final class LabelPolicy {
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,63}");
    private static final Set<String> FORBIDDEN = Set.of(
            "id",
            "user",
            "email",
            "amount",
            "value",
            "price",
            "total",
            "revenue",
            "sum",
            "order",
            "cart",
            "session",
            "transaction",
            "customer",
            "account",
            "ip",
            "trace",
            "span");
    private static final Set<String> RESERVED = Set.of("service", "le", "quantile");

    private LabelPolicy() {}

    /** Throws naming {@code key} when it may not be a label of {@code metric}. */
    public static void check(String metric, String key) {
        String k = key == null ? "" : key.toLowerCase(Locale.ROOT);
        if (!NAME.matcher(key == null ? "" : key).matches()) {
            throw new IllegalArgumentException(metric + ": label key '" + key + "' must match [a-z_][a-z0-9_]{0,63}");
        }
        if (RESERVED.contains(k)) {
            throw new IllegalArgumentException(metric + ": label key '" + key + "' is reserved");
        }
        if (FORBIDDEN.contains(k)
                || k.endsWith("_id")
                || k.endsWith("_ids")
                || k.endsWith("_amount")
                || k.endsWith("_value")
                || k.endsWith("_email")
                || k.startsWith("user_")
                || k.endsWith("_total")) {
            throw new IllegalArgumentException(metric + ": label key '" + key
                    + "' is not allowed on business metrics: ids, users and amounts have unbounded values"
                    + " (one series each); put them in BusinessContext (logs and spans) instead");
        }
    }
}
