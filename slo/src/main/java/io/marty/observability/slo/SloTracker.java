package io.marty.observability.slo;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.json.JsonWriter;
import io.marty.observability.core.metrics.CompletedRequest;
import io.marty.observability.core.metrics.RequestListener;
import io.marty.observability.slo.internal.MinuteRing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Tracks SLOs in-process, without Prometheus: good/total event counts per minute in bounded ring buffers,
 * compliance, error budget, burn rates over any window, projected exhaustion and the multi-window
 * multi-burn-rate alert states.
 *
 * <p>Windows end at the current minute and include the full minutes before it, as Prometheus 2.x
 * evaluates {@code rate(x[w])} on one-minute samples (closed range {@code [t-w, t]}). So, fed the same
 * traffic, the tracker's error ratios equal the generated recording rules' {@code slo:sli_error:ratio_rate*}
 * values (tested).
 *
 * <pre>{@code
 * MartyObservability obs = MartyObservability.start(config);
 * SloTracker tracker = SloTracker.builder().slos(DefaultSlos.forService("checkout")).build().attachTo(obs);
 * // every request recorded by the framework's RED metrics now counts; by hand it would be:
 * tracker.record("checkout", "http", "server", "GET", "/orders/{id}", "success", 0.012);
 * SloStatus s = tracker.status("checkout/availability");
 * String json = tracker.reportJson();
 * }</pre>
 */
public final class SloTracker implements RequestListener {
    private final Clock clock;
    private final Map<String, Tracked> byId = new LinkedHashMap<>();
    private final Map<String, Tracked[]> byService = new HashMap<>();

    private SloTracker(Builder b) {
        this.clock = b.clock;
        Map<String, List<Tracked>> svc = new HashMap<>();
        for (Slo slo : b.slos) {
            if (byId.containsKey(slo.id())) {
                throw new SloSpecException("name", "duplicate SLO '" + slo.id() + "'");
            }
            Tracked t = new Tracked(slo);
            byId.put(slo.id(), t);
            svc.computeIfAbsent(slo.service(), k -> new ArrayList<>()).add(t);
        }
        svc.forEach((k, v) -> byService.put(k, v.toArray(new Tracked[0])));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Feeds this tracker from {@code obs}'s RED metrics and exposes its {@code mmf_slo_*} metrics in
     * {@code obs}'s Prometheus registry.
     *
     * @return this tracker
     */
    public SloTracker attachTo(MartyObservability obs) {
        obs.metrics().red().addListener(this);
        SloMetrics.register(this, obs.metrics().registry());
        return this;
    }

    /** Counts a request reported by core's {@code RedMetrics} (see {@link #attachTo}). */
    @Override
    public void onRequest(CompletedRequest r) {
        record(
                r.service(),
                r.protocol().labelValue(),
                r.direction().labelValue(),
                r.method(),
                r.route(),
                r.outcome().labelValue(),
                r.durationSeconds());
    }

    /** The SLOs tracked, in registration order. */
    public List<Slo> slos() {
        return byId.values().stream().map(t -> t.slo).toList();
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Counts one finished request against every built-in SLO of {@code service} whose filters match. Never
     * throws; requests of unknown services are ignored.
     *
     * @param outcome {@code success}, {@code client_error} or {@code server_error}
     */
    public void record(
            String service,
            String protocol,
            String direction,
            @Nullable String method,
            @Nullable String route,
            String outcome,
            double durationSeconds) {
        record(service, protocol, direction, method, route, outcome, durationSeconds, 1);
    }

    /** As {@link #record(String, String, String, String, String, String, double)} for {@code count} requests. */
    public void record(
            String service,
            String protocol,
            String direction,
            @Nullable String method,
            @Nullable String route,
            String outcome,
            double durationSeconds,
            long count) {
        Tracked[] ts = byService.get(service);
        if (ts == null) {
            return;
        }
        long millis = clock.millis();
        long minute = Math.floorDiv(millis, 60_000L);
        for (Tracked t : ts) {
            Sli sli = t.slo.sli();
            if (sli.type().isBuiltIn() && sli.matches(protocol, direction, method, route)) {
                t.firstEventMillis.compareAndSet(Long.MIN_VALUE, millis);
                t.ring.add(minute, count, sli.isGood(outcome, durationSeconds) ? 0 : count);
            }
        }
    }

    /**
     * Counts events for any SLO (the way to feed custom-ratio SLIs).
     *
     * @throws NoSuchElementException for an unknown SLO id
     * @throws IllegalArgumentException when {@code bad} is not within {@code 0..total}
     */
    public void recordEvents(String sloId, long total, long bad) {
        if (total < 0 || bad < 0 || bad > total) {
            throw new IllegalArgumentException(
                    "events for " + sloId + ": need 0 <= bad (" + bad + ") <= total (" + total + ")");
        }
        long millis = clock.millis();
        Tracked t = tracked(sloId);
        t.firstEventMillis.compareAndSet(Long.MIN_VALUE, millis);
        t.ring.add(Math.floorDiv(millis, 60_000L), total, bad);
    }

    /**
     * When the first event of an SLO was recorded, or null before any: how much of a window holds
     * data (e.g. "2 min of 30 d observed") is {@code now − observedSince}, capped at the window.
     *
     * <pre>{@code
     * Instant since = tracker.observedSince("checkout/availability");
     * }</pre>
     *
     * @throws NoSuchElementException for an unknown SLO id
     */
    public @Nullable Instant observedSince(String sloId) {
        long first = tracked(sloId).firstEventMillis.get();
        return first == Long.MIN_VALUE ? null : Instant.ofEpochMilli(first);
    }

    /** Error ratio over the last {@code window} (plus the current minute); NaN without events. */
    public double errorRatio(String sloId, Duration window) {
        return ratio(tracked(sloId), nowMinute(), window, new long[2]);
    }

    /** {@code errorRatio / (1 − objective)}; 1 means the budget lasts exactly the period. */
    public double burnRate(String sloId, Duration window) {
        Tracked t = tracked(sloId);
        return ratio(t, nowMinute(), window, new long[2]) / t.slo.errorBudget();
    }

    /** Status of one SLO now. */
    public SloStatus status(String sloId) {
        return compute(tracked(sloId));
    }

    /** Status of every SLO now, in registration order. */
    public List<SloStatus> statuses() {
        List<SloStatus> out = new ArrayList<>(byId.size());
        for (Tracked t : byId.values()) {
            out.add(compute(t));
        }
        return out;
    }

    /** A JSON report: {@code {"generated_at": …, "slos": [status…]}}. */
    public String reportJson() {
        JsonWriter j = new JsonWriter();
        j.beginObject().field("generated_at", clock.instant().toString());
        j.name("slos").beginArray();
        for (SloStatus s : statuses()) {
            s.writeJson(j);
        }
        j.endArray().endObject();
        return j.toString();
    }

    /** Cumulative {total, bad} events recorded for an SLO since the tracker started. */
    long[] cumulative(String sloId) {
        MinuteRing r = tracked(sloId).ring;
        return new long[] {r.cumulativeTotal(), r.cumulativeBad()};
    }

    /** Events dropped because they arrived for minutes older than the ring holds (clock went back). */
    public long lateEvents() {
        return byId.values().stream().mapToLong(t -> t.ring.lateEvents()).sum();
    }

    private Tracked tracked(String sloId) {
        Tracked t = byId.get(sloId);
        if (t == null) {
            throw new NoSuchElementException("unknown SLO '" + sloId + "' (known: " + byId.keySet() + ")");
        }
        return t;
    }

    private long nowMinute() {
        return Math.floorDiv(clock.millis(), 60_000L);
    }

    private static double ratio(Tracked t, long nowMinute, Duration window, long[] buf) {
        t.ring.sum(nowMinute - window.toMinutes(), nowMinute, buf);
        return buf[0] == 0 ? Double.NaN : (double) buf[1] / buf[0];
    }

    private SloStatus compute(Tracked t) {
        Slo slo = t.slo;
        Instant now = clock.instant();
        long nowMinute = nowMinute();
        long[] buf = new long[2];
        Instant start = slo.window().periodStart(now);
        long startMinute = slo.window().isCalendar()
                ? Math.floorDiv(start.toEpochMilli(), 60_000L)
                : nowMinute - slo.window().length().toMinutes();
        t.ring.sum(startMinute, nowMinute, buf);
        long total = buf[0];
        long bad = buf[1];
        double budget = slo.errorBudget();
        double compliance = total == 0 ? Double.NaN : (double) (total - bad) / total;
        double remaining = total == 0 ? 1.0 : 1.0 - ((double) bad / total) / budget;
        double remainingEvents = budget * total - bad;

        Map<Duration, Double> ratios = new LinkedHashMap<>();
        Map<Duration, Double> burns = new LinkedHashMap<>();
        List<Duration> windows = new ArrayList<>(slo.alertPolicy().windows());
        if (windows.isEmpty()) {
            windows.add(Duration.ofHours(1));
        }
        for (Duration w : windows) {
            double r = ratio(t, nowMinute, w, buf);
            ratios.put(w, r);
            burns.put(w, r / budget);
        }
        List<SloStatus.TierState> tiers = new ArrayList<>();
        for (BurnRateTier tier : slo.alertPolicy().tiers()) {
            double th = tier.threshold(budget);
            double lr = ratios.get(tier.longWindow());
            double sr = ratios.get(tier.shortWindow());
            // NaN (no traffic) compares false, as in PromQL where 0/0 yields no sample.
            boolean firing = slo.alertPolicy().enabled() && lr > th && sr > th;
            tiers.add(new SloStatus.TierState(tier, th, lr, sr, firing));
        }
        Instant exhaustion = null;
        if (total > 0 && remaining <= 0) {
            exhaustion = now;
        } else {
            Duration projWindow = slo.alertPolicy().tiers().isEmpty()
                    ? Duration.ofHours(1)
                    : slo.alertPolicy().tiers().get(0).longWindow();
            double burn = burns.getOrDefault(projWindow, Double.NaN);
            if (burn > 0) {
                double seconds = remaining * slo.window().length().getSeconds() / burn;
                exhaustion = now.plusSeconds((long) Math.min(seconds, 1e12));
            }
        }
        return new SloStatus(
                slo, now, start, total, bad, compliance, remaining, remainingEvents, burns, ratios, tiers, exhaustion);
    }

    private static final class Tracked {
        final Slo slo;
        final MinuteRing ring;
        final java.util.concurrent.atomic.AtomicLong firstEventMillis =
                new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

        Tracked(Slo slo) {
            this.slo = slo;
            long minutes = slo.window().isCalendar()
                    ? 31L * 24 * 60
                    : slo.window().length().toMinutes();
            for (BurnRateTier tier : slo.alertPolicy().tiers()) {
                minutes = Math.max(minutes, tier.longWindow().toMinutes());
            }
            // +2: the window's first minute and the current partial minute.
            this.ring = new MinuteRing((int) minutes + 2);
        }
    }

    /** Builder. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private final List<Slo> slos = new ArrayList<>();

        private Builder() {}

        /** Time source (inject a fixed/mutable clock in tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder slo(Slo slo) {
            slos.add(Objects.requireNonNull(slo, "slo"));
            return this;
        }

        public Builder slos(Collection<Slo> slos) {
            slos.forEach(this::slo);
            return this;
        }

        public SloTracker build() {
            return new SloTracker(this);
        }
    }
}
