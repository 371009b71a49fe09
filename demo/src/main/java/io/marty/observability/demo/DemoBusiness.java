package io.marty.observability.demo;

import io.marty.observability.business.BusinessAlertRules;
import io.marty.observability.business.BusinessAlerting;
import io.marty.observability.business.BusinessHealth;
import io.marty.observability.business.BusinessMetrics;
import io.marty.observability.business.Money;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.alert.Alert;
import io.marty.observability.core.failure.InstrumentationErrors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The demo shop's business observability: the order and payment services record orders, revenue
 * and the checkout funnel ({@code order_created → payment_captured → order_paid}) through {@link
 * BusinessMetrics}, and {@link BusinessAlerting} evaluates {@link #RULES} every few seconds, logging
 * alerts (so they reach the console's logs and the log analyzer). The demo's time scale is minutes,
 * not days: the anomaly rule uses 10 s buckets and a 1 min "season" with one season of warm-up, so
 * the {@code REVENUE_DROP} fault (at 80 s of the demo schedule) is caught by the anomaly detector
 * about 20 s after it starts. Buckets of a few seconds hold a handful of orders, so their spread is
 * wide (about 30 % per bucket): the demo rule asks for a halving ({@code min_relative_change: 0.5})
 * at a lower robust score (2.5) instead of the library defaults tuned for 5 min buckets. The
 * {@link BusinessHealth} score (last minute against the minute before) is refreshed at most every
 * {@link #HEALTH_EVERY} as orders and payments arrive, so the console's Business view shows it.
 */
public final class DemoBusiness implements AutoCloseable {
    /** The demo's business alert rules (demo-scale anomaly settings, see the class comment). */
    public static final String RULES = """
            service: marty-demo-shop
            currency: USD
            funnels:
              checkout: [order_created, payment_captured, order_paid]
            anomaly: {bucket: 10s, season: 1m, seasons: 3, min_seasons: 1, sensitivity: 2.5, min_relative_change: 0.5, consecutive: 2}
            rules:
              - {name: revenue_anomaly, type: anomaly, series: revenue, severity: critical, cooldown: 1m}
              - {name: no_orders, type: absence, series: orders, window: 1m, severity: warning, cooldown: 5m}
            notifiers:
              - {type: log}
            """;

    private static volatile @Nullable DemoBusiness current;

    private final MartyObservability observability;
    private final BusinessMetrics metrics;
    private final BusinessAlerting alerting;
    private final BusinessMetrics.Funnel checkout;
    private final BusinessHealth health;
    private final AtomicLong nextHealthMillis = new AtomicLong();

    /** How often the health score is refreshed at most (on the recording thread, no extra thread). */
    static final Duration HEALTH_EVERY = Duration.ofSeconds(5);

    private DemoBusiness(
            MartyObservability observability,
            BusinessAlertRules rules,
            Duration evaluateEvery,
            List<Consumer<Alert>> listeners) {
        this.observability = observability;
        this.metrics = BusinessMetrics.builder(observability.metrics())
                .bucket(Duration.ofSeconds(1))
                .retention(Duration.ofMinutes(10))
                .conversionWindow(Duration.ofMinutes(1))
                .build();
        BusinessAlerting.Builder b = BusinessAlerting.builder(rules, metrics).sinksFromRules();
        listeners.forEach(b::addListener);
        this.alerting = b.build();
        this.checkout = metrics.funnel("checkout", "order_created", "payment_captured", "order_paid");
        this.health = BusinessHealth.builder().metrics(observability.metrics()).build();
        alerting.start(evaluateEvery);
    }

    /**
     * Starts the demo's business observability on {@code observability} with {@code rules} (YAML),
     * replacing any earlier one; the services' hooks record into it.
     */
    public static synchronized DemoBusiness start(
            MartyObservability observability, String rules, Duration evaluateEvery, List<Consumer<Alert>> listeners) {
        DemoBusiness old = current;
        if (old != null) {
            old.close();
        }
        DemoBusiness d = new DemoBusiness(
                observability, BusinessAlertRules.parse(rules, "demo business rules"), evaluateEvery, listeners);
        current = d;
        return d;
    }

    /** The instance for the running observability, started with {@link #RULES} on first use. */
    static @Nullable DemoBusiness current() {
        DemoBusiness d = current;
        MartyObservability obs = MartyObservability.current().orElse(null);
        if (obs == null) {
            return null;
        }
        if (d == null || d.observability != obs) {
            synchronized (DemoBusiness.class) {
                d = current;
                if (d == null || d.observability != obs) {
                    d = start(obs, RULES, Duration.ofSeconds(5), List.of());
                }
            }
        }
        return d;
    }

    /** The metrics the services record into. */
    public BusinessMetrics metrics() {
        return metrics;
    }

    /** The rule evaluator. */
    public BusinessAlerting alerting() {
        return alerting;
    }

    /** Order service: an order was created. */
    static void orderCreated() {
        DemoBusiness d = current();
        if (d != null) {
            d.checkout.step("order_created");
        }
    }

    /** Order service: the order was paid (or its payment failed) after {@code took}. */
    static void orderFinished(boolean paid, long amountCents, Duration took) {
        DemoBusiness d = current();
        if (d != null) {
            d.metrics.order(paid, Money.ofMinor(Math.max(0, amountCents), "USD"), took, "web");
            if (paid) {
                d.checkout.step("order_paid");
            }
            d.scoreHealth();
        }
    }

    /** Payment service: a charge was captured: revenue. */
    static void paymentCaptured(long amountCents, String userId) {
        DemoBusiness d = current();
        if (d != null) {
            d.metrics.revenue(Money.ofMinor(amountCents, "USD"), "web");
            d.checkout.step("payment_captured");
            if (!userId.isEmpty()) {
                d.metrics.activeUser(userId);
            }
            d.scoreHealth();
        }
    }

    /** Refreshes the health gauges when {@link #HEALTH_EVERY} has passed since the last refresh. */
    void scoreHealth() {
        long now = System.currentTimeMillis();
        long next = nextHealthMillis.get();
        if (now >= next && nextHealthMillis.compareAndSet(next, now + HEALTH_EVERY.toMillis())) {
            try {
                health.score(
                        BusinessHealth.inputsFrom(metrics, "checkout", Duration.ofMinutes(1), Duration.ofMinutes(1)));
            } catch (RuntimeException e) {
                InstrumentationErrors.current().record(InstrumentationErrors.BUSINESS, "demo health score", e);
            }
        }
    }

    /** Stops the evaluator. */
    @Override
    public void close() {
        alerting.close();
        synchronized (DemoBusiness.class) {
            if (current == this) {
                current = null;
            }
        }
    }
}
