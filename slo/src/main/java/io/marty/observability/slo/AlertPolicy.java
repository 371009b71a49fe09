package io.marty.observability.slo;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Multi-window multi-burn-rate alerting for an SLO, plus the links put on every alert.
 *
 * <p>{@link #workbookDefaults(SloWindow)} gives the SRE Workbook tiers. For a 30-day SLO they are page
 * 14.4x over 1h/5m and 6x over 6h/30m, ticket 3x over 1d/2h and 1x over 3d/6h, i.e. 2 %, 5 %, 10 % and 10 %
 * of the budget consumed over the long window. For other periods the windows stay and the factors are
 * recomputed to keep those budget shares ({@code factor = share × period / long window}): 28d gives
 * 13.44 / 5.6 / 2.8 / 0.933333, 7d gives 3.36 / 1.4 / 0.7 / 0.233333. Tiers whose long window exceeds the
 * period are dropped.
 *
 * <pre>{@code
 * AlertPolicy.workbookDefaults(SloWindow.parse("30d")).toBuilder()
 *     .runbookUrl("https://runbooks.example.com/checkout")
 *     .build();
 * }</pre>
 */
public final class AlertPolicy {
    private static final Object[][] WORKBOOK = {
        {"page", Duration.ofHours(1), Duration.ofMinutes(5), "0.02"},
        {"page", Duration.ofHours(6), Duration.ofMinutes(30), "0.05"},
        {"ticket", Duration.ofDays(1), Duration.ofHours(2), "0.10"},
        {"ticket", Duration.ofDays(3), Duration.ofHours(6), "0.10"},
    };

    private final List<BurnRateTier> tiers;
    private final String runbookUrl;
    private final String dashboardUrl;
    private final boolean enabled;

    private AlertPolicy(Builder b) {
        this.tiers = List.copyOf(b.tiers);
        this.runbookUrl = b.runbookUrl;
        this.dashboardUrl = b.dashboardUrl;
        this.enabled = b.enabled;
    }

    /** The Workbook tiers scaled to {@code window} (see class doc). */
    public static AlertPolicy workbookDefaults(SloWindow window) {
        return builder().tiers(workbookTiers(window)).build();
    }

    /** The Workbook tiers for {@code window}, without links. */
    public static List<BurnRateTier> workbookTiers(SloWindow window) {
        List<BurnRateTier> out = new ArrayList<>();
        BigDecimal period = BigDecimal.valueOf(window.length().getSeconds());
        for (Object[] t : WORKBOOK) {
            Duration longW = (Duration) t[1];
            if (longW.compareTo(window.length()) > 0) {
                continue;
            }
            // Six significant digits keep factors like 0.933333 stable in generated files.
            BigDecimal factor = new BigDecimal((String) t[3])
                    .multiply(period)
                    .divide(BigDecimal.valueOf(longW.getSeconds()), new MathContext(6, RoundingMode.HALF_EVEN));
            out.add(new BurnRateTier((String) t[0], longW, (Duration) t[2], factor.doubleValue()));
        }
        return out;
    }

    /** No alerts. */
    public static AlertPolicy none() {
        return builder().enabled(false).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .tiers(tiers)
                .runbookUrl(runbookUrl)
                .dashboardUrl(dashboardUrl)
                .enabled(enabled);
    }

    public List<BurnRateTier> tiers() {
        return tiers;
    }

    /** Tiers of one severity. */
    public List<BurnRateTier> tiers(String severity) {
        return tiers.stream().filter(t -> t.severity().equals(severity)).toList();
    }

    public @Nullable String runbookUrl() {
        return runbookUrl;
    }

    public @Nullable String dashboardUrl() {
        return dashboardUrl;
    }

    public boolean enabled() {
        return enabled && !tiers.isEmpty();
    }

    /** Every distinct window the tiers need, shortest first. */
    public List<Duration> windows() {
        return tiers.stream()
                .flatMap(t -> java.util.stream.Stream.of(t.shortWindow(), t.longWindow()))
                .distinct()
                .sorted()
                .toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlertPolicy p
                && p.tiers.equals(tiers)
                && Objects.equals(p.runbookUrl, runbookUrl)
                && Objects.equals(p.dashboardUrl, dashboardUrl)
                && p.enabled == enabled;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tiers, runbookUrl, dashboardUrl, enabled);
    }

    @Override
    public String toString() {
        return tiers.stream()
                .map(t -> t.severity() + " " + t.describe())
                .reduce((a, b) -> a + ", " + b)
                .orElse("none");
    }

    public static final class Builder {
        private final List<BurnRateTier> tiers = new ArrayList<>();
        private String runbookUrl;
        private String dashboardUrl;
        private boolean enabled = true;

        public Builder tiers(List<BurnRateTier> tiers) {
            this.tiers.clear();
            this.tiers.addAll(tiers);
            return this;
        }

        public Builder addTier(BurnRateTier tier) {
            tiers.add(Objects.requireNonNull(tier, "tier"));
            return this;
        }

        public Builder runbookUrl(@Nullable String url) {
            this.runbookUrl = url;
            return this;
        }

        public Builder dashboardUrl(@Nullable String url) {
            this.dashboardUrl = url;
            return this;
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public AlertPolicy build() {
            for (String[] kv : new String[][] {{"runbook", runbookUrl}, {"dashboard", dashboardUrl}}) {
                if (kv[1] != null && (kv[1].contains("{{") || kv[1].indexOf('\n') >= 0)) {
                    throw new SloSpecException(kv[0], "'" + kv[1] + "' must be a plain URL");
                }
            }
            return new AlertPolicy(this);
        }
    }
}
