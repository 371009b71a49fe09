package io.marty.observability.grpc;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.marty.observability.core.health.HealthRegistry;
import io.marty.observability.core.health.HealthStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The standard gRPC health service ({@code grpc.health.v1.Health}, {@code Check} and {@code Watch})
 * over core's {@link HealthRegistry}: the same checks and the same verdict as the HTTP {@code
 * /health/ready} endpoint.
 *
 * <ul>
 *   <li>{@code SERVING} while the registry's status is available (UP, or DEGRADED because only a
 *       non-critical check is DOWN); {@code NOT_SERVING} when a critical check is DOWN, the status is
 *       UNKNOWN, or after {@link #enterTerminalState()}.
 *   <li>Service names: {@code ""} (the whole server) and each name given to {@link
 *       Builder#service(String)}, all with the registry's status. {@code Check} on any other name
 *       fails with {@code NOT_FOUND}; {@code Watch} answers {@code SERVICE_UNKNOWN} and stays open,
 *       as the health protocol asks.
 *   <li>{@code Watch} sends the status at once and then each change. One daemon thread runs the checks
 *       every {@link Builder#pollInterval(Duration) poll interval}, only while a watch is open; at
 *       most {@link Builder#maxWatchers(int)} watches are open at once ({@code RESOURCE_EXHAUSTED}
 *       beyond); a watcher that reads slowly gets only the latest status; a cancelled watch is
 *       dropped at once.
 * </ul>
 *
 * {@link MartyGrpcServerInterceptor} leaves this service out of RED metrics and traces by default.
 * Needs {@code io.grpc:grpc-services} on the class path.
 *
 * <pre>{@code
 * MartyGrpcHealthService health = MartyGrpcHealthService.builder(observability.health())
 *     .service(PaymentServiceGrpc.SERVICE_NAME)
 *     .build();
 * Server server = NettyServerBuilder.forPort(9090)
 *     .addService(ServerInterceptors.intercept(new PaymentService(),
 *         MartyGrpcServerInterceptor.create(observability)))
 *     .addService(health)
 *     .build().start();
 * // on shutdown: report NOT_SERVING, let load balancers drain, then stop
 * health.enterTerminalState();
 * health.close();
 * server.shutdown();
 * }</pre>
 */
public final class MartyGrpcHealthService implements BindableService, AutoCloseable {

    /** Poll interval of {@link #create(HealthRegistry)}. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    /** Open-watch limit of {@link #create(HealthRegistry)}. */
    public static final int DEFAULT_MAX_WATCHERS = 256;

    private final HealthRegistry registry;
    private final Set<String> services;
    private final long pollNanos;
    private final int maxWatchers;
    private final ScheduledThreadPoolExecutor poller;
    private final Set<Watcher> watchers = new LinkedHashSet<>(); // guarded by this
    private ScheduledFuture<?> polling; // guarded by this
    private volatile boolean terminal;
    private volatile boolean closed;
    private volatile ServingStatus lastStatus;
    private volatile long lastStatusNanos;

    private MartyGrpcHealthService(Builder b) {
        this.registry = b.registry;
        this.services = Set.copyOf(b.services);
        this.pollNanos = b.pollInterval.toNanos();
        this.maxWatchers = b.maxWatchers;
        this.poller = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "marty-grpc-health");
            t.setDaemon(true);
            return t;
        });
        this.poller.setKeepAliveTime(1, TimeUnit.MINUTES);
        this.poller.allowCoreThreadTimeOut(true);
        this.poller.setRemoveOnCancelPolicy(true);
    }

    /** A health service for the whole server ({@code ""}) over {@code registry}, with the defaults. */
    public static MartyGrpcHealthService create(HealthRegistry registry) {
        return builder(registry).build();
    }

    /** A builder over {@code registry}. */
    public static Builder builder(HealthRegistry registry) {
        return new Builder(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Reports {@code NOT_SERVING} for every service from now on, whatever the checks say, and tells
     * open watches at once: call it when the server starts shutting down, so load balancers stop
     * sending new calls before the server stops.
     */
    public void enterTerminalState() {
        terminal = true;
        publish(ServingStatus.NOT_SERVING);
    }

    /**
     * Stops polling and ends open watches with {@code UNAVAILABLE} (so a graceful {@code
     * Server.shutdown()} does not wait for them). Later calls report {@code NOT_SERVING}.
     */
    @Override
    public void close() {
        List<Watcher> open;
        synchronized (this) {
            terminal = true;
            closed = true;
            open = new ArrayList<>(watchers);
            watchers.clear();
            stopPolling();
        }
        poller.shutdownNow();
        for (Watcher w : open) {
            w.end(Status.UNAVAILABLE.withDescription("health service closed"));
        }
    }

    @Override
    public ServerServiceDefinition bindService() {
        return new HealthGrpc.HealthImplBase() {
            @Override
            public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> out) {
                if (!known(request.getService())) {
                    out.onError(
                            Status.NOT_FOUND.withDescription("unknown service").asRuntimeException());
                    return;
                }
                ServingStatus status = checkNow();
                out.onNext(response(status));
                out.onCompleted();
                publish(status); // open watches learn a change as soon as anyone sees it
            }

            @Override
            public void watch(HealthCheckRequest request, StreamObserver<HealthCheckResponse> out) {
                MartyGrpcHealthService.this.watch(
                        request.getService(), (ServerCallStreamObserver<HealthCheckResponse>) out);
            }
        }.bindService();
    }

    /** Open watches (for tests and diagnostics). */
    synchronized int openWatches() {
        return watchers.size();
    }

    /** Whether the poller is scheduled (for tests). */
    synchronized boolean isPolling() {
        return polling != null;
    }

    private boolean known(String service) {
        return service.isEmpty() || services.contains(service);
    }

    private void watch(String service, ServerCallStreamObserver<HealthCheckResponse> out) {
        Watcher watcher = new Watcher(known(service), out);
        synchronized (this) {
            if (closed || watchers.size() >= maxWatchers) {
                Status refused = closed
                        ? Status.UNAVAILABLE.withDescription("health service closed")
                        : Status.RESOURCE_EXHAUSTED.withDescription("too many health watches open");
                out.onError(refused.asRuntimeException());
                return;
            }
            watchers.add(watcher);
            if (polling == null) {
                polling = poller.scheduleWithFixedDelay(this::poll, pollNanos, pollNanos, TimeUnit.NANOSECONDS);
            }
        }
        // both handlers must be set before this method returns (gRPC's rule for stream observers)
        out.setOnCancelHandler(() -> remove(watcher));
        out.setOnReadyHandler(watcher::flush);
        long age = System.nanoTime() - lastStatusNanos;
        ServingStatus current = lastStatus != null && age < pollNanos ? lastStatus : checkNow();
        watcher.update(current);
    }

    private void remove(Watcher watcher) {
        synchronized (this) {
            watchers.remove(watcher);
            if (watchers.isEmpty()) {
                stopPolling();
            }
        }
        watcher.cancelled();
    }

    private void stopPolling() {
        if (polling != null) {
            polling.cancel(false);
            polling = null;
        }
    }

    private void poll() {
        try {
            publish(checkNow());
        } catch (RuntimeException e) {
            // keep polling: a failing round must not end the schedule (the executor would drop it)
        }
    }

    private ServingStatus checkNow() {
        ServingStatus status;
        if (terminal) {
            status = ServingStatus.NOT_SERVING;
        } else {
            HealthStatus overall = registry.check().status();
            status = overall.isAvailable() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        }
        lastStatus = status;
        lastStatusNanos = System.nanoTime();
        return status;
    }

    private void publish(ServingStatus status) {
        List<Watcher> open;
        synchronized (this) {
            open = new ArrayList<>(watchers);
        }
        for (Watcher w : open) {
            w.update(status);
        }
    }

    private static HealthCheckResponse response(ServingStatus status) {
        return HealthCheckResponse.newBuilder().setStatus(status).build();
    }

    /** One open {@code Watch}: sends a status only when it differs from the last one sent. */
    private final class Watcher {
        private final boolean known;
        private final ServerCallStreamObserver<HealthCheckResponse> out;
        private ServingStatus sent; // guarded by this
        private ServingStatus latest; // guarded by this
        private boolean done; // guarded by this

        Watcher(boolean known, ServerCallStreamObserver<HealthCheckResponse> out) {
            this.known = known;
            this.out = out;
        }

        synchronized void update(ServingStatus status) {
            // terminal is read here, under the watcher's lock: a poll that started before
            // enterTerminalState() cannot overwrite the NOT_SERVING it pushed
            latest = !known ? ServingStatus.SERVICE_UNKNOWN : terminal ? ServingStatus.NOT_SERVING : status;
            flush();
        }

        /** Sends the latest status when the client can take it; onReady calls again otherwise. */
        synchronized void flush() {
            if (done || latest == null || latest == sent || !out.isReady()) {
                return;
            }
            try {
                out.onNext(response(latest));
                sent = latest;
            } catch (RuntimeException e) {
                done = true; // the call ended under us; the cancel handler removes the watcher
            }
        }

        synchronized void cancelled() {
            done = true;
        }

        synchronized void end(Status status) {
            if (done) {
                return;
            }
            done = true;
            try {
                out.onError(status.asRuntimeException());
            } catch (RuntimeException e) {
                // already cancelled by the client
            }
        }
    }

    /** Builder; see {@link MartyGrpcHealthService}. */
    public static final class Builder {
        private final HealthRegistry registry;
        private final Set<String> services = new LinkedHashSet<>();
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private int maxWatchers = DEFAULT_MAX_WATCHERS;

        private Builder(HealthRegistry registry) {
            this.registry = registry;
        }

        /**
         * Also answers for this fully-qualified gRPC service name (e.g. {@code
         * PaymentServiceGrpc.SERVICE_NAME}), with the registry's status.
         */
        public Builder service(String serviceName) {
            Objects.requireNonNull(serviceName, "serviceName");
            if (serviceName.isBlank()) {
                throw new IllegalArgumentException(
                        "serviceName must not be blank (\"\" is the whole server and always answered)");
            }
            services.add(serviceName);
            return this;
        }

        /** How often open watches re-run the checks (default {@link #DEFAULT_POLL_INTERVAL}). */
        public Builder pollInterval(Duration pollInterval) {
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (pollInterval.toMillis() < 10) {
                throw new IllegalArgumentException("pollInterval must be at least 10ms, was " + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /** Most watches open at once (default {@link #DEFAULT_MAX_WATCHERS}). */
        public Builder maxWatchers(int maxWatchers) {
            if (maxWatchers < 1) {
                throw new IllegalArgumentException("maxWatchers must be at least 1, was " + maxWatchers);
            }
            this.maxWatchers = maxWatchers;
            return this;
        }

        /** The service. */
        public MartyGrpcHealthService build() {
            return new MartyGrpcHealthService(this);
        }
    }
}
