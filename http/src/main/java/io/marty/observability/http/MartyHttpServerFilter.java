package io.marty.observability.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.correlation.MmfHeaders;
import io.marty.observability.core.propagation.CaseInsensitiveGetter;
import io.marty.observability.http.internal.JdkHeaders;
import io.marty.observability.http.internal.LastValueCache;
import io.marty.observability.http.internal.ServerExchange;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.Iterator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Filter for the JDK's {@code com.sun.net.httpserver.HttpServer}, for services without a servlet
 * container. Same behaviour as {@link MartyServletFilter}: context extraction, correlation ids,
 * server span, RED metrics, echoed ids, access log, context cleared after the exchange.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
 * HttpContext orders = server.createContext("/orders", handler);
 * orders.getFilters().add(MartyHttpServerFilter.create(observability));
 * }</pre>
 *
 * <p>The status recorded is the one passed to {@code sendResponseHeaders}; a handler that throws
 * before sending is recorded as 500 (the JDK server then closes the connection).
 */
public final class MartyHttpServerFilter extends Filter {

    private final HttpServerTelemetry telemetry;

    private MartyHttpServerFilter(HttpServerTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    /** A filter with default settings reporting to {@code observability}. */
    public static MartyHttpServerFilter create(MartyObservability observability) {
        return new MartyHttpServerFilter(HttpServerTelemetry.create(observability));
    }

    /** A filter with the given settings. */
    public static MartyHttpServerFilter create(HttpServerTelemetry telemetry) {
        return new MartyHttpServerFilter(Objects.requireNonNull(telemetry, "telemetry"));
    }

    @Override
    public void doFilter(HttpExchange http, Chain chain) throws IOException {
        String path = http.getRequestURI().getRawPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        if (telemetry.isExcluded(path)) {
            chain.doFilter(http);
            return;
        }
        ServerExchange exchange = ServerExchange.start(telemetry, http, GETTER, new Info(http, path));
        if (exchange == null) {
            chain.doFilter(http);
            return;
        }
        http.getResponseHeaders()
                .set(MmfHeaders.CORRELATION_ID, exchange.correlation().correlationId());
        http.getResponseHeaders()
                .set(MmfHeaders.REQUEST_ID, exchange.correlation().requestId());
        Throwable failure = null;
        Scope scope = exchange.makeCurrent();
        try {
            chain.doFilter(http);
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                int status = http.getResponseCode();
                if (failure != null && ServerExchange.isClientAbort(failure)) {
                    status = ServerExchange.CLIENT_CLOSED_REQUEST;
                } else if (status <= 0 || (failure != null && status < 500)) {
                    status = 500;
                }
                exchange.end(status, failure); // inside the scope: no second attach
            } finally {
                scope.close();
            }
        }
    }

    @Override
    public String description() {
        return "Marty observability: tracing, correlation, RED metrics, access log";
    }

    private static final LastValueCache<InetAddress, String> CLIENT_ADDRESSES = new LastValueCache<>();

    private static final class Info implements ServerExchange.RequestInfo {
        private final HttpExchange http;
        private final String path;

        Info(HttpExchange http, String path) {
            this.http = http;
            this.path = path;
        }

        @Override
        public String method() {
            return http.getRequestMethod();
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public String scheme() {
            return http.getHttpContext().getServer() instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
        }

        @Override
        public String serverAddress() {
            String host = JdkHeaders.first(http.getRequestHeaders(), "Host");
            if (host != null) {
                int colon = host.lastIndexOf(':');
                return colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
            }
            InetSocketAddress local = http.getLocalAddress();
            return local == null ? null : local.getHostString();
        }

        @Override
        public int serverPort() {
            InetSocketAddress local = http.getLocalAddress();
            return local == null ? -1 : local.getPort();
        }

        @Override
        public String clientAddress() {
            InetSocketAddress remote = http.getRemoteAddress();
            InetAddress address = remote == null ? null : remote.getAddress();
            if (address == null) {
                return null;
            }
            // clients mostly come from a few addresses (a proxy, a load balancer): skip re-formatting
            return CLIENT_ADDRESSES.get(address, InetAddress::getHostAddress);
        }

        @Override
        public String userAgent() {
            return JdkHeaders.first(http.getRequestHeaders(), "User-Agent");
        }

        @Override
        public String protocolVersion() {
            String protocol = http.getProtocol();
            return protocol != null && protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol;
        }
    }

    private static final TextMapGetter<HttpExchange> GETTER = new CaseInsensitiveGetter<>() {
        @Override
        public Iterable<String> keys(HttpExchange carrier) {
            return carrier.getRequestHeaders().keySet();
        }

        @Override
        public @Nullable String get(@Nullable HttpExchange carrier, String key) {
            return carrier == null ? null : JdkHeaders.first(carrier.getRequestHeaders(), key);
        }

        @Override
        public Iterator<String> getAll(@Nullable HttpExchange carrier, String key) {
            return carrier == null ? Collections.emptyIterator() : JdkHeaders.all(carrier.getRequestHeaders(), key);
        }
    };
}
