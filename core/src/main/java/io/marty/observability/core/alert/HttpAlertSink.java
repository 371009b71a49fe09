package io.marty.observability.core.alert;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Base of the HTTP sinks: {@link #send} only enqueues (bounded queue, drops counted), a daemon thread
 * batches alerts and POSTs them with the JDK {@link HttpClient}, a per-request timeout and a bounded
 * number of retries with exponential backoff on connection errors, 429 and 5xx.
 */
public abstract class HttpAlertSink implements AlertSink {
    private final URI uri;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final int maxBatch;
    private final BlockingQueue<Alert> queue;
    private final Thread worker;
    private final @Nullable Consumer<String> onFailure;
    private final String source;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    // accepted into the queue and not yet delivered or given up on; counted before the offer, so a
    // batch the worker has taken from the queue but not yet sent still counts for flush
    private final AtomicLong unfinished = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;

    protected HttpAlertSink(Settings<?> s) {
        if (s.uri == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": url is required");
        }
        String scheme = s.uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("alert sink url must be http(s), got '" + s.uri + "'");
        }
        this.uri = s.uri;
        this.requestTimeout = s.requestTimeout;
        this.maxRetries = s.maxRetries;
        this.initialBackoff = s.initialBackoff;
        this.maxBatch = s.maxBatch;
        this.onFailure = s.onFailure;
        this.source = s.source;
        this.queue = new ArrayBlockingQueue<>(s.queueCapacity);
        this.client = HttpClient.newBuilder().connectTimeout(s.connectTimeout).build();
        // Started on the first alert, not here: a thread started in a constructor could see a
        // subclass half-built.
        this.worker = new Thread(this::loop, "mmf-alert-" + getClass().getSimpleName());
        worker.setDaemon(true);
    }

    /** The request body for a batch of alerts. */
    protected abstract String body(List<Alert> batch);

    /** Path appended to the base URL (e.g. {@code /api/v2/alerts}); empty for the URL as given. */
    protected URI target() {
        return uri;
    }

    @Override
    public void send(Alert alert) {
        if (!started.get() && started.compareAndSet(false, true)) {
            worker.start();
        }
        unfinished.incrementAndGet();
        if (closed || !queue.offer(alert)) {
            unfinished.decrementAndGet();
            dropped.incrementAndGet();
            failureSeen(1);
        }
    }

    private void loop() {
        List<Alert> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Alert first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                deliver(batch);
                unfinished.addAndGet(-batch.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void deliver(List<Alert> batch) throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(target())
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(batch)))
                .build();
        long backoff = initialBackoff.toMillis();
        for (int attempt = 0; ; attempt++) {
            boolean retryable;
            try {
                HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
                int code = resp.statusCode();
                if (code >= 200 && code < 300) {
                    delivered.addAndGet(batch.size());
                    return;
                }
                retryable = code == 429 || code >= 500;
            } catch (java.io.IOException e) {
                retryable = true;
            }
            if (!retryable || attempt >= maxRetries || closedAndLate()) {
                failed.addAndGet(batch.size());
                failureSeen(batch.size());
                return;
            }
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, 30_000);
        }
    }

    private void failureSeen(int alerts) {
        Consumer<String> l = onFailure;
        if (l == null) {
            return;
        }
        for (int i = 0; i < alerts; i++) {
            try {
                l.accept(name());
            } catch (RuntimeException ignored) {
                // a listener's failure must not stop delivery
            }
        }
    }

    /** The {@code source} named in the bodies ({@link Settings#source}). */
    protected String source() {
        return source;
    }

    private volatile long closeDeadline = Long.MAX_VALUE;

    private boolean closedAndLate() {
        return closed && System.nanoTime() > closeDeadline;
    }

    /** Alerts delivered (2xx). */
    public long delivered() {
        return delivered.get();
    }

    /** Alerts given up on after retries or a non-retryable status. */
    public long failed() {
        return failed.get();
    }

    /** Alerts dropped because the queue was full or the sink closed. */
    public long dropped() {
        return dropped.get();
    }

    /** Waits until the queue is empty and nothing is in flight, at most {@code timeout}. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unfinished.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Stops accepting alerts, delivers what is queued for at most 5 s, then stops the worker. */
    @Override
    public void close() {
        closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        closed = true;
        if (!started.get()) {
            return;
        }
        try {
            worker.join(6_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.interrupt();
    }

    /** Common settings of the HTTP sinks. */
    @SuppressWarnings("unchecked")
    public abstract static class Settings<B extends Settings<B>> {
        URI uri;
        Duration connectTimeout = Duration.ofSeconds(2);
        Duration requestTimeout = Duration.ofSeconds(5);
        int maxRetries = 3;
        Duration initialBackoff = Duration.ofMillis(200);
        int queueCapacity = 1000;
        int maxBatch = 50;

        @Nullable
        Consumer<String> onFailure;

        String source = DEFAULT_SOURCE;

        /** The {@code source} written when none is set. */
        public static final String DEFAULT_SOURCE = "marty";

        protected Settings(URI uri) {
            this.uri = uri;
        }

        public B connectTimeout(Duration d) {
            this.connectTimeout = positive("connectTimeout", d);
            return (B) this;
        }

        public B requestTimeout(Duration d) {
            this.requestTimeout = positive("requestTimeout", d);
            return (B) this;
        }

        /** Retries after the first attempt (default 3); 0 disables retries. */
        public B maxRetries(int n) {
            if (n < 0 || n > 20) {
                throw new IllegalArgumentException("maxRetries must be in 0..20, got " + n);
            }
            this.maxRetries = n;
            return (B) this;
        }

        /** First retry delay (default 200 ms), doubled per retry up to 30 s. */
        public B initialBackoff(Duration d) {
            this.initialBackoff = positive("initialBackoff", d);
            return (B) this;
        }

        /** Alerts queued before new ones are dropped (default 1000). */
        public B queueCapacity(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("queueCapacity must be >= 1, got " + n);
            }
            this.queueCapacity = n;
            return (B) this;
        }

        /** Alerts per request (default 50). */
        public B maxBatch(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxBatch must be >= 1, got " + n);
            }
            this.maxBatch = n;
            return (B) this;
        }

        /**
         * Called with the sink's {@link AlertSink#name()} once per alert dropped or given up on, e.g.
         * {@code metrics::sinkFailure} to count them.
         */
        public B onFailure(@Nullable Consumer<String> listener) {
            this.onFailure = listener;
            return (B) this;
        }

        /**
         * Who sent the alerts: the webhook body's {@code source} and the Alertmanager {@code source}
         * label (default {@code marty}), e.g. {@code marty-loganalysis} or {@code marty-business}.
         */
        public B source(String source) {
            if (source == null || source.isBlank()) {
                throw new IllegalArgumentException("source must not be blank");
            }
            this.source = source;
            return (B) this;
        }

        private static Duration positive(String key, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(key + " must be positive, got " + d);
            }
            return d;
        }
    }
}
