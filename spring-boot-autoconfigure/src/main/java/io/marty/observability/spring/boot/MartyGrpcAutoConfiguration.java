package io.marty.observability.spring.boot;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.grpc.MartyGrpcClientInterceptor;
import io.marty.observability.grpc.MartyGrpcServerInterceptor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * gRPC, when grpc-java and Marty's grpc module are on the class path: the server and client
 * interceptors as beans, for the application's {@code ServerBuilder.intercept(...)} and {@code
 * ManagedChannelBuilder.intercept(...)} (or a gRPC Spring integration that applies interceptor
 * beans).
 *
 * <pre>{@code
 * @Bean
 * ManagedChannel payments(MartyGrpcClientInterceptor marty) {
 *     return ManagedChannelBuilder.forTarget("payments:9090").usePlaintext().intercept(marty).build();
 * }
 * }</pre>
 */
@AutoConfiguration(after = MartyAutoConfiguration.class)
@ConditionalOnClass({io.grpc.ServerInterceptor.class, MartyGrpcServerInterceptor.class})
@ConditionalOnBooleanProperty(name = "marty.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "marty.grpc.enabled", matchIfMissing = true)
@ConditionalOnBean(MartyObservability.class)
public class MartyGrpcAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MartyGrpcServerInterceptor martyGrpcServerInterceptor(MartyObservability observability) {
        return MartyGrpcServerInterceptor.create(observability);
    }

    @Bean
    @ConditionalOnMissingBean
    MartyGrpcClientInterceptor martyGrpcClientInterceptor(MartyObservability observability) {
        return MartyGrpcClientInterceptor.create(observability);
    }
}
