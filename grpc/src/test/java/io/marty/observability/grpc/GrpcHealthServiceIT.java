package io.marty.observability.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.marty.observability.core.health.HealthCheck;
import io.marty.observability.core.health.HealthCheckResult;
import io.marty.observability.core.health.HealthRegistry;
import io.marty.observability.core.health.HealthStatus;
import io.marty.observability.grpc.testing.EchoServiceGrpc;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link MartyGrpcHealthService} on a real Netty server, queried with grpc-java's own health stubs. */
class GrpcHealthServiceIT {

    private static final String ECHO = EchoServiceGrpc.SERVICE_NAME;

    private final HealthRegistry registry = HealthRegistry.create(Duration.ofSeconds(2));
    private final AtomicReference<HealthStatus> database = new AtomicReference<>(HealthStatus.UP);
    private MartyGrpcHealthService health;
    private Server server;
    private ManagedChannel channel;

    private HealthGrpc.HealthBlockingStub start(MartyGrpcHealthService.Builder builder) throws Exception {
        registry.register(HealthCheck.ofStatus("database", database::get));
        health = builder.build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(health)
                .addService(new EchoServiceImpl())
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .usePlaintext()
                .build();
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (health != null) {
            health.close();
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        registry.close();
    }

    private static HealthCheckRequest request(String service) {
        return HealthCheckRequest.newBuilder().setService(service).build();
    }

    private static ServingStatus check(HealthGrpc.HealthBlockingStub stub, String service) {
        return stub.check(request(service)).getStatus();
    }

    @Test
    void checkFollowsTheRegistryForTheServerAndEachNamedService() throws Exception {
        HealthGrpc.HealthBlockingStub stub =
                start(MartyGrpcHealthService.builder(registry).service(ECHO));

        assertThat(check(stub, "")).isEqualTo(ServingStatus.SERVING);
        assertThat(check(stub, ECHO)).isEqualTo(ServingStatus.SERVING);

        database.set(HealthStatus.DOWN); // a critical check: /health/ready would answer 503
        assertThat(check(stub, "")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(check(stub, ECHO)).isEqualTo(ServingStatus.NOT_SERVING);

        database.set(HealthStatus.UP);
        registry.register(
                new HealthCheck() { // non-critical DOWN only degrades: still ready
                    @Override
                    public String name() {
                        return "cache";
                    }

                    @Override
                    public HealthCheckResult check() {
                        return HealthCheckResult.down("cold");
                    }

                    @Override
                    public boolean critical() {
                        return false;
                    }
                });
        assertThat(check(stub, "")).isEqualTo(ServingStatus.SERVING);

        registry.register(HealthCheck.of("broken", () -> {
            throw new IllegalStateException("no connection");
        }));
        assertThat(check(stub, ECHO)).isEqualTo(ServingStatus.NOT_SERVING);
    }

    @Test
    void checkOfAnUnknownServiceIsNotFound() throws Exception {
        HealthGrpc.HealthBlockingStub stub = start(MartyGrpcHealthService.builder(registry));
        assertThatThrownBy(() -> check(stub, ECHO))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(check(stub, "")).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void watchStreamsEachChangeOnceAndIsCleanedUpOnCancel() throws Exception {
        start(MartyGrpcHealthService.builder(registry).service(ECHO).pollInterval(Duration.ofMillis(20)));
        HealthGrpc.HealthStub async = HealthGrpc.newStub(channel);
        RecordingObserver<HealthCheckResponse> server = new RecordingObserver<>();
        RecordingObserver<HealthCheckResponse> echo = new RecordingObserver<>();
        RecordingObserver<HealthCheckResponse> unknown = new RecordingObserver<>();
        io.grpc.Context.CancellableContext scope = io.grpc.Context.current().withCancellation();
        scope.run(() -> {
            async.watch(request(""), server);
            async.watch(request(ECHO), echo);
            async.watch(request("no.such.Service"), unknown);
        });

        assertThat(server.next().getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(echo.next().getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(unknown.next().getStatus()).isEqualTo(ServingStatus.SERVICE_UNKNOWN);

        database.set(HealthStatus.DOWN);
        assertThat(server.next().getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(echo.next().getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
        database.set(HealthStatus.UP);
        assertThat(server.next().getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(echo.next().getStatus()).isEqualTo(ServingStatus.SERVING);

        // ~15 more polls without a change send nothing; the unknown service stays unknown, stream open
        Thread.sleep(300);
        assertThat(server.values).isEmpty();
        assertThat(echo.values).isEmpty();
        assertThat(unknown.values).isEmpty();
        assertThat(unknown.end).isNotDone();
        assertThat(health.openWatches()).isEqualTo(3);
        assertThat(health.isPolling()).isTrue();

        scope.cancel(null);
        await().atMost(Duration.ofSeconds(10)).until(() -> health.openWatches() == 0);
        assertThat(health.isPolling()).as("no watch open: no polling").isFalse();
        assertThat(server.end.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
    }

    @Test
    void terminalStateReachesWatchersAtOnceAndCloseEndsTheirStreams() throws Exception {
        HealthGrpc.HealthBlockingStub stub =
                start(MartyGrpcHealthService.builder(registry).pollInterval(Duration.ofMinutes(1)));
        RecordingObserver<HealthCheckResponse> watch = new RecordingObserver<>();
        HealthGrpc.newStub(channel).watch(request(""), watch);
        assertThat(watch.next().getStatus()).isEqualTo(ServingStatus.SERVING);

        health.enterTerminalState(); // no poll for a minute: the change is pushed, not polled
        assertThat(watch.next().getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(check(stub, "")).isEqualTo(ServingStatus.NOT_SERVING);

        health.close();
        assertThat(watch.end.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(health.openWatches()).isZero();
    }

    @Test
    void watchesBeyondTheLimitAreRefused() throws Exception {
        start(MartyGrpcHealthService.builder(registry).maxWatchers(1));
        RecordingObserver<HealthCheckResponse> first = new RecordingObserver<>();
        RecordingObserver<HealthCheckResponse> second = new RecordingObserver<>();
        HealthGrpc.newStub(channel).watch(request(""), first);
        assertThat(first.next().getStatus()).isEqualTo(ServingStatus.SERVING);
        HealthGrpc.newStub(channel).watch(request(""), second);
        assertThat(second.end.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(first.end).isNotDone();
    }

    @Test
    void builderRejectsBadSettingsNamingThem() {
        assertThatThrownBy(() -> MartyGrpcHealthService.builder(registry).service(" "))
                .hasMessageContaining("serviceName");
        assertThatThrownBy(() -> MartyGrpcHealthService.builder(registry).pollInterval(Duration.ZERO))
                .hasMessageContaining("pollInterval");
        assertThatThrownBy(() -> MartyGrpcHealthService.builder(registry).maxWatchers(0))
                .hasMessageContaining("maxWatchers");
    }
}
