package io.marty.observability.benchmarks.overhead;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.correlation.MmfHeaders;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * The floor variants: what any instrumentation with Marty's wire contract costs before it does any of its own
 * work, measured on the same services. {@code floor-noop} adds one pass-through filter (servlet filter, gRPC
 * interceptor); {@code floor-echo} also answers every request with the two echoed ids Marty sends
 * ({@code X-Correlation-ID}, {@code X-Request-ID}, fresh ids made the way Marty makes them). No context, no span,
 * no metric, no MDC: the distance from these to {@code ours-s005} is what Marty's unsampled path itself costs.
 */
final class FloorInstrumentation implements Instrumentation {

    private static final Metadata.Key<String> CORRELATION =
            Metadata.Key.of(MmfHeaders.CORRELATION_ID, Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> REQUEST =
            Metadata.Key.of(MmfHeaders.REQUEST_ID, Metadata.ASCII_STRING_MARSHALLER);

    private final boolean echo;

    FloorInstrumentation(boolean echo) {
        this.echo = echo;
    }

    @Override
    public List<Filter> jdkFilters() {
        return List.of(new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                if (echo) {
                    exchange.getResponseHeaders().set(MmfHeaders.CORRELATION_ID, CorrelationContext.newId());
                    exchange.getResponseHeaders().set(MmfHeaders.REQUEST_ID, CorrelationContext.newId());
                }
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return echo ? "floor: echoed ids" : "floor: pass-through";
            }
        });
    }

    @Override
    public List<jakarta.servlet.Filter> servletFilters() {
        return List.of(new jakarta.servlet.Filter() {
            @Override
            public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                    throws IOException, ServletException {
                if (echo && response instanceof HttpServletResponse http) {
                    http.setHeader(MmfHeaders.CORRELATION_ID, CorrelationContext.newId());
                    http.setHeader(MmfHeaders.REQUEST_ID, CorrelationContext.newId());
                }
                chain.doFilter(request, response);
            }
        });
    }

    @Override
    public List<ServerInterceptor> grpcInterceptors() {
        return List.of(new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                if (!echo) {
                    return next.startCall(call, headers);
                }
                return next.startCall(
                        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                            @Override
                            public void sendHeaders(Metadata responseHeaders) {
                                responseHeaders.put(CORRELATION, CorrelationContext.newId());
                                responseHeaders.put(REQUEST, CorrelationContext.newId());
                                super.sendHeaders(responseHeaders);
                            }
                        },
                        headers);
            }
        });
    }
}
