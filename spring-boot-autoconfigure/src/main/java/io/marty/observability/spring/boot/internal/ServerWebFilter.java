package io.marty.observability.spring.boot.internal;

import io.marty.observability.core.correlation.MmfHeaders;
import io.marty.observability.core.propagation.CaseInsensitiveGetter;
import io.marty.observability.http.HttpServerCall;
import io.marty.observability.http.HttpServerTelemetry;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * WebFlux server side through the http module's {@link HttpServerCall}: the request context is
 * current while the chain is assembled and subscribed, and travels in the Reactor context under
 * {@link ReactorContexts#KEY} for operators on other threads (with automatic context propagation
 * it is restored as the thread's current context there too).
 */
public final class ServerWebFilter implements WebFilter, Ordered {

    private final HttpServerTelemetry telemetry;

    public ServerWebFilter(HttpServerTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        HttpServerCall call = HttpServerCall.start(telemetry, request.getHeaders(), GETTER, requestOf(request));
        if (call == null) {
            return chain.filter(exchange);
        }
        ServerHttpResponse response = exchange.getResponse();
        response.getHeaders().set(MmfHeaders.CORRELATION_ID, call.correlation().correlationId());
        response.getHeaders().set(MmfHeaders.REQUEST_ID, call.correlation().requestId());
        Mono<Void> handled;
        try (Scope ignored = call.makeCurrent()) {
            handled = chain.filter(exchange);
        } catch (RuntimeException | Error e) {
            call.end(500, e);
            throw e;
        }
        return handled.doOnSuccess(ignored -> call.end(statusOf(response, null), null))
                .doOnError(e -> call.end(statusOf(response, e), e))
                .doOnCancel(() -> call.end(HttpServerCall.CLIENT_CLOSED_REQUEST, null))
                .contextWrite(context -> context.put(ReactorContexts.KEY, call.context()));
    }

    private static int statusOf(ServerHttpResponse response, @Nullable Throwable error) {
        HttpStatusCode status = response.getStatusCode();
        if (error != null) {
            if (HttpServerCall.isClientAbort(error)) {
                return HttpServerCall.CLIENT_CLOSED_REQUEST;
            }
            // the error handler after this filter turns an escaping error into a 500 by default
            return status != null && status.value() >= 400 && response.isCommitted() ? status.value() : 500;
        }
        return status != null ? status.value() : 200;
    }

    private static HttpServerCall.Request requestOf(ServerHttpRequest request) {
        InetSocketAddress local = request.getLocalAddress();
        InetSocketAddress remote = request.getRemoteAddress();
        String agent = request.getHeaders().getFirst(HttpHeaders.USER_AGENT);
        return new HttpServerCall.Request(
                request.getMethod().name(),
                request.getPath().pathWithinApplication().value(),
                request.getURI().getScheme() == null ? "http" : request.getURI().getScheme(),
                local == null ? "" : local.getHostString(),
                local == null ? 0 : local.getPort(),
                remote == null || remote.getAddress() == null
                        ? ""
                        : remote.getAddress().getHostAddress(),
                agent == null ? "" : agent,
                "");
    }

    private static final TextMapGetter<HttpHeaders> GETTER = new CaseInsensitiveGetter<>() {
        @Override
        public Iterable<String> keys(HttpHeaders carrier) {
            return carrier.headerNames();
        }

        @Override
        public @Nullable String get(@Nullable HttpHeaders carrier, String key) {
            return carrier == null ? null : carrier.getFirst(key);
        }

        @Override
        public Iterator<String> getAll(@Nullable HttpHeaders carrier, String key) {
            List<String> values = carrier == null ? null : carrier.get(key);
            return values == null ? Collections.emptyIterator() : values.iterator();
        }
    };
}
