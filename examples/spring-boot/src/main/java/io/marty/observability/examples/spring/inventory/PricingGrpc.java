package io.marty.observability.examples.spring.inventory;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.grpc.MartyGrpcClientInterceptor;
import io.marty.observability.grpc.MartyGrpcHealthService;
import io.marty.observability.grpc.MartyGrpcServerInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The pricing gRPC server and the channel to it, both with the starter's interceptor beans. */
@Configuration(proxyBeanMethods = false)
class PricingGrpc {

    @Bean(destroyMethod = "")
    Server pricingServer(
            MartyObservability observability,
            MartyGrpcServerInterceptor marty,
            @Value("${pricing.grpc-port:0}") int port) {
        MartyGrpcHealthService pricing = MartyGrpcHealthService.create(observability.health());
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(ServerInterceptors.intercept(pricing, marty))
                .build();
        try {
            return server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the pricing gRPC server on port " + port, e);
        }
    }

    @Bean(destroyMethod = "")
    ManagedChannel pricingChannel(Server pricingServer, MartyGrpcClientInterceptor marty) {
        return NettyChannelBuilder.forAddress("127.0.0.1", pricingServer.getPort())
                .usePlaintext()
                .intercept(marty)
                .build();
    }

    @Bean
    HealthGrpc.HealthBlockingStub pricing(ManagedChannel pricingChannel) {
        return HealthGrpc.newBlockingStub(pricingChannel);
    }

    /** Channel first, then server, each given a moment to finish calls in flight. */
    @Bean
    AutoCloseable pricingShutdown(Server pricingServer, ManagedChannel pricingChannel) {
        return () -> {
            pricingChannel.shutdown().awaitTermination(2, TimeUnit.SECONDS);
            pricingServer.shutdown().awaitTermination(2, TimeUnit.SECONDS);
        };
    }
}
