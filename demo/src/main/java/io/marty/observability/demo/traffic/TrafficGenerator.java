package io.marty.observability.demo.traffic;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Generates realistic shop traffic (browse, checkout, login) against a {@link Target} at a steady
 * rate, injecting the faults of a {@link FaultSchedule}: error bursts, latency spikes, brute-force
 * login bursts and revenue drops.
 *
 * <pre>{@code
 * try (TrafficGenerator gen = TrafficGenerator.builder(new HttpTarget(URI.create("http://127.0.0.1:8080")))
 *         .requestsPerSecond(20)
 *         .schedule(FaultSchedule.demo())
 *         .onPhaseChange(System.out::println)
 *         .build()) {
 *     gen.start();
 *     gen.awaitCompletion(Duration.ofMinutes(2));
 * }
 * }</pre>
 *
 * <p>In-flight requests are bounded by {@code concurrency}; when the target is slower than the
 * rate allows, ticks skip requests and count them in {@link Stats#skipped()} instead of queueing.
 */
public final class TrafficGenerator implements AutoCloseable {
    private static final long TICK_MILLIS = 50;
    private static final String ATTACKER_IP = "203.0.113.7";
    private static final int BRUTE_FORCE_PER_SECOND = 15;

    private final Target target;
    private final FaultSchedule schedule;
    private final double requestsPerSecond;
    private final Duration duration;
    private final Consumer<String> phaseListener;
    private final SplittableRandom random;
    private final Semaphore inFlight;
    private final ExecutorService workers;
    private final Stats stats = new Stats();
    private Thread ticker;
    private volatile boolean stopped;
    private volatile Set<Fault> active = EnumSet.noneOf(Fault.class);

    private TrafficGenerator(Builder b) {
        this.target = b.target;
        this.schedule = b.schedule;
        this.requestsPerSecond = b.requestsPerSecond;
        this.duration = b.duration;
        this.phaseListener = b.phaseListener;
        this.random = new SplittableRandom(b.seed);
        this.inFlight = new Semaphore(b.concurrency);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "demo-traffic-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newFixedThreadPool(b.concurrency, tf);
    }

    public static Builder builder(Target target) {
        return new Builder(target);
    }

    /** Starts the ticking thread; returns immediately. */
    public synchronized TrafficGenerator start() {
        if (ticker == null) {
            ticker = new Thread(this::run, "demo-traffic-ticker");
            ticker.setDaemon(true);
            ticker.start();
        }
        return this;
    }

    /** Waits until the configured duration has passed (or {@code max}); true when finished. */
    public boolean awaitCompletion(Duration max) throws InterruptedException {
        Thread t = ticker;
        if (t == null) {
            return false;
        }
        t.join(Math.max(1, max.toMillis()));
        return !t.isAlive();
    }

    /** Faults active right now. */
    public Set<Fault> activeFaults() {
        return active;
    }

    public Stats stats() {
        return stats;
    }

    private void run() {
        long start = System.nanoTime();
        long lastTick = start;
        double owed = 0;
        double bruteOwed = 0;
        while (!stopped) {
            long tickNanos = System.nanoTime();
            // owe requests for the time that really passed, so a starved ticker keeps the rate
            double tickSeconds = Math.min(1.0, (tickNanos - lastTick) / 1e9);
            lastTick = tickNanos;
            Duration elapsed = Duration.ofNanos(tickNanos - start);
            if (!duration.isZero() && elapsed.compareTo(duration) >= 0) {
                break;
            }
            Set<Fault> now = schedule.activeAt(elapsed);
            if (!now.equals(active)) {
                Set<Fault> before = active;
                active = now.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(now);
                announce(elapsed, before, now);
            }
            owed += requestsPerSecond * tickSeconds;
            while (owed >= 1) {
                owed -= 1;
                dispatch(normalRequest(now));
            }
            if (now.contains(Fault.BRUTE_FORCE)) {
                bruteOwed += BRUTE_FORCE_PER_SECOND * tickSeconds;
                while (bruteOwed >= 1) {
                    bruteOwed -= 1;
                    dispatch(new DemoRequest(
                            DemoRequest.Kind.LOGIN, "admin", ATTACKER_IP, 0, "guess" + nextInt(10_000), false, 0));
                }
            }
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!active.isEmpty()) {
            announce(Duration.ofNanos(System.nanoTime() - start), active, Set.of());
            active = EnumSet.noneOf(Fault.class);
        }
    }

    private void announce(Duration elapsed, Set<Fault> before, Set<Fault> now) {
        if (phaseListener == null) {
            return;
        }
        for (Fault f : now) {
            if (!before.contains(f)) {
                phaseListener.accept(String.format("[%4ds] fault ON : %s", elapsed.toSeconds(), describe(f)));
            }
        }
        for (Fault f : before) {
            if (!now.contains(f)) {
                phaseListener.accept(String.format("[%4ds] fault OFF: %s", elapsed.toSeconds(), f));
            }
        }
    }

    /** What each fault does and where to see it in the console. */
    public static String describe(Fault f) {
        return switch (f) {
            case ERROR_BURST -> "ERROR_BURST - half the checkouts fail in payment (SLO burn, error logs)";
            case LATENCY_SPIKE -> "LATENCY_SPIKE - checkouts take ~1 s (latency SLO, slow-request logs)";
            case BRUTE_FORCE ->
                "BRUTE_FORCE - " + BRUTE_FORCE_PER_SECOND + " failed logins/s for 'admin' from " + ATTACKER_IP
                        + " (security alert)";
            case REVENUE_DROP -> "REVENUE_DROP - checkouts almost stop (business alert)";
        };
    }

    private synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }

    DemoRequest normalRequest(Set<Fault> faults) {
        int roll = nextInt(100);
        String user = "user-" + (1 + nextInt(200));
        String ip = "198.51.100." + (1 + nextInt(250));
        boolean revenueDrop = faults.contains(Fault.REVENUE_DROP);
        // a revenue drop turns most would-be checkouts into browsing and shrinks the rest
        if (roll < 35 && (!revenueDrop || nextInt(10) == 0)) {
            long amount = (500 + nextInt(20_000)) / (revenueDrop ? 10 : 1);
            boolean fail = faults.contains(Fault.ERROR_BURST) && nextInt(2) == 0;
            int delay = faults.contains(Fault.LATENCY_SPIKE) ? 700 + nextInt(600) : 0;
            return new DemoRequest(DemoRequest.Kind.CHECKOUT, user, ip, amount, "", fail, delay);
        }
        if (roll >= 85) {
            String password = nextInt(50) == 0 ? "wrong-password" : "correct-horse"; // typos happen
            return new DemoRequest(DemoRequest.Kind.LOGIN, user, ip, 0, password, false, 0);
        }
        return new DemoRequest(DemoRequest.Kind.BROWSE, user, ip, 0, "", false, 0);
    }

    private void dispatch(DemoRequest r) {
        if (!inFlight.tryAcquire()) {
            stats.skipped.incrementAndGet();
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    stats.record(target.send(r));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stats.failed.incrementAndGet();
                } catch (Exception e) {
                    stats.failed.incrementAndGet();
                } finally {
                    inFlight.release();
                }
            });
        } catch (RuntimeException e) { // rejected after close
            inFlight.release();
            stats.skipped.incrementAndGet();
        }
    }

    /** Stops generating and waits up to five seconds for in-flight requests. */
    @Override
    public void close() {
        stopped = true;
        Thread t = ticker;
        if (t != null) {
            t.interrupt();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Request counters by outcome. */
    public static final class Stats {
        private final AtomicLong ok = new AtomicLong();
        private final AtomicLong clientErrors = new AtomicLong();
        private final AtomicLong serverErrors = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();

        void record(int status) {
            if (status >= 500) {
                serverErrors.incrementAndGet();
            } else if (status >= 400) {
                clientErrors.incrementAndGet();
            } else {
                ok.incrementAndGet();
            }
        }

        public long sent() {
            return ok.get() + clientErrors.get() + serverErrors.get() + failed.get();
        }

        public long ok() {
            return ok.get();
        }

        public long clientErrors() {
            return clientErrors.get();
        }

        public long serverErrors() {
            return serverErrors.get();
        }

        /** Sends that threw (target down, timeout). */
        public long failed() {
            return failed.get();
        }

        /** Requests not sent because {@code concurrency} requests were already in flight. */
        public long skipped() {
            return skipped.get();
        }

        public Map<String, Long> asMap() {
            return Map.of(
                    "sent", sent(),
                    "ok", ok(),
                    "clientErrors", clientErrors(),
                    "serverErrors", serverErrors(),
                    "failed", failed(),
                    "skipped", skipped());
        }

        @Override
        public String toString() {
            return String.format(
                    "sent=%d ok=%d 4xx=%d 5xx=%d failed=%d skipped=%d",
                    sent(), ok(), clientErrors(), serverErrors(), failed(), skipped());
        }
    }

    public static final class Builder {
        private final Target target;
        private FaultSchedule schedule = FaultSchedule.demo();
        private double requestsPerSecond = 20;
        private Duration duration = Duration.ZERO;
        private int concurrency = 16;
        private long seed = 42;
        private Consumer<String> phaseListener;

        private Builder(Target target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        public Builder schedule(FaultSchedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /** Baseline request rate (the brute-force burst comes on top), default 20. */
        public Builder requestsPerSecond(double rps) {
            if (!(rps > 0) || rps > 10_000) {
                throw new IllegalArgumentException("requestsPerSecond must be in (0, 10000], got " + rps);
            }
            this.requestsPerSecond = rps;
            return this;
        }

        /** How long to run; zero (default) runs until {@link #close()}. */
        public Builder duration(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("duration must be >= 0, got " + d);
            }
            this.duration = d;
            return this;
        }

        /** Maximum requests in flight, default 16. */
        public Builder concurrency(int n) {
            if (n < 1 || n > 1024) {
                throw new IllegalArgumentException("concurrency must be in [1, 1024], got " + n);
            }
            this.concurrency = n;
            return this;
        }

        /** Random seed, for repeatable traffic. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Receives one line whenever a fault switches on or off. */
        public Builder onPhaseChange(@Nullable Consumer<String> listener) {
            this.phaseListener = listener;
            return this;
        }

        public TrafficGenerator build() {
            return new TrafficGenerator(this);
        }
    }
}
