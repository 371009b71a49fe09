package io.marty.observability.examples.spring.inventory;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.marty.observability.grpc.MartyGrpcClientInterceptor;
import io.marty.observability.grpc.MartyGrpcServerInterceptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The pricing gRPC service ({@code pricing.Pricing/Quote}, item id in, price out, as UTF-8 text so
 * the sample needs no code generation), its server and the channel to it, with the starter's
 * interceptor beans on both sides.
 */
@Configuration(proxyBeanMethods = false)
class PricingGrpc {

    private static final Logger LOG = LoggerFactory.getLogger(PricingGrpc.class);

    static final MethodDescriptor<String, String> QUOTE = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("pricing.Pricing/Quote")
            .setRequestMarshaller(Utf8.INSTANCE)
            .setResponseMarshaller(Utf8.INSTANCE)
            .build();

    /** The client side, for controllers. */
    record Pricing(ManagedChannel channel) {
        String quote(String item) {
            return ClientCalls.blockingUnaryCall(
                    channel, QUOTE, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), item);
        }
    }

    @Bean(destroyMethod = "")
    Server pricingServer(MartyGrpcServerInterceptor marty, @Value("${pricing.grpc-port:0}") int port) {
        ServerServiceDefinition service = ServerServiceDefinition.builder("pricing.Pricing")
                .addMethod(QUOTE, ServerCalls.asyncUnaryCall((item, response) -> {
                    LOG.info("priced {}", item);
                    response.onNext("12.50");
                    response.onCompleted();
                }))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(ServerInterceptors.intercept(service, marty))
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
    Pricing pricing(ManagedChannel pricingChannel) {
        return new Pricing(pricingChannel);
    }

    /** Channel first, then server, each given a moment to finish calls in flight. */
    @Bean
    AutoCloseable pricingShutdown(Server pricingServer, ManagedChannel pricingChannel) {
        return () -> {
            pricingChannel.shutdown().awaitTermination(2, TimeUnit.SECONDS);
            pricingServer.shutdown().awaitTermination(2, TimeUnit.SECONDS);
        };
    }

    private enum Utf8 implements MethodDescriptor.Marshaller<String> {
        INSTANCE;

        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
