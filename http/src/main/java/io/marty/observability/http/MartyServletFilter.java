package io.marty.observability.http;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.correlation.MmfHeaders;
import io.marty.observability.core.propagation.CaseInsensitiveGetter;
import io.marty.observability.http.internal.ServerExchange;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * Jakarta Servlet 6 filter: for every request it extracts W3C Trace Context, baggage and {@code
 * X-MMF-*} headers, makes sure correlation and request ids exist, opens a server span with HTTP
 * semantic-convention attributes, records the RED metrics under a route template, echoes {@code
 * X-MMF-Correlation-ID} and {@code X-MMF-Request-ID}, writes one {@code mmf.access} log event, and
 * clears the context afterwards (also on exceptions, async requests and client disconnects).
 *
 * <pre>{@code
 * ServletContextHandler handler = new ServletContextHandler();
 * handler.addFilter(new FilterHolder(MartyServletFilter.create(observability)), "/*",
 *     EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>Declared in {@code web.xml} (no-argument constructor) it reports to {@link
 * MartyObservability#current()}.
 */
public final class MartyServletFilter implements Filter {

    private static final String EXCHANGE_ATTRIBUTE = MartyServletFilter.class.getName() + ".exchange";

    private volatile HttpServerTelemetry telemetry;

    /** For container instantiation; uses {@link MartyObservability#current()} at {@link #init}. */
    public MartyServletFilter() {}

    private MartyServletFilter(HttpServerTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    /** A filter with default settings reporting to {@code observability}. */
    public static MartyServletFilter create(MartyObservability observability) {
        return new MartyServletFilter(HttpServerTelemetry.create(observability));
    }

    /** A filter with the given settings. */
    public static MartyServletFilter create(HttpServerTelemetry telemetry) {
        return new MartyServletFilter(java.util.Objects.requireNonNull(telemetry, "telemetry"));
    }

    @Override
    public void init(FilterConfig filterConfig) {
        if (telemetry == null) {
            MartyObservability.current().ifPresent(o -> telemetry = HttpServerTelemetry.create(o));
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServerTelemetry settings = telemetry;
        if (settings == null) {
            MartyObservability.current().ifPresent(o -> telemetry = HttpServerTelemetry.create(o));
            settings = telemetry;
        }
        if (settings == null
                || !(req instanceof HttpServletRequest)
                || !(res instanceof HttpServletResponse)
                || req.getDispatcherType() != DispatcherType.REQUEST
                || req.getAttribute(EXCHANGE_ATTRIBUTE) != null) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = pathOf(request);
        if (settings.isExcluded(path)) {
            chain.doFilter(req, res);
            return;
        }
        ServerExchange exchange = ServerExchange.start(settings, request, GETTER, new Info(request, path));
        if (exchange == null) {
            chain.doFilter(req, res);
            return;
        }
        request.setAttribute(EXCHANGE_ATTRIBUTE, exchange);
        response.setHeader(MmfHeaders.CORRELATION_ID, exchange.correlation().correlationId());
        response.setHeader(MmfHeaders.REQUEST_ID, exchange.correlation().requestId());
        Throwable failure = null;
        Scope scope = exchange.makeCurrent();
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                finish(exchange, request, response, failure); // inside the scope: no second attach
            } finally {
                // closed on every path, so nothing leaks to the next request on this thread
                scope.close();
            }
        }
    }

    private static void finish(
            ServerExchange exchange, HttpServletRequest request, HttpServletResponse response, Throwable failure) {
        if (failure == null && request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new AsyncCompletion(exchange));
            return;
        }
        exchange.end(statusOf(response, failure), failure);
    }

    static int statusOf(HttpServletResponse response, Throwable failure) {
        if (failure != null) {
            if (ServerExchange.isClientAbort(failure)) {
                return ServerExchange.CLIENT_CLOSED_REQUEST;
            }
            // the container turns an escaping exception into a 500 unless something was committed
            return response.isCommitted() && response.getStatus() >= 500 ? response.getStatus() : 500;
        }
        return response.getStatus();
    }

    private static String pathOf(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        if (contextPath != null && !contextPath.isEmpty() && uri.startsWith(contextPath)) {
            uri = uri.substring(contextPath.length());
        }
        return uri.isEmpty() ? "/" : uri;
    }

    @Override
    public void destroy() {}

    /** Ends the exchange when an async request completes, fails or times out. */
    private static final class AsyncCompletion implements AsyncListener {
        private final ServerExchange exchange;
        private volatile Throwable failure;

        AsyncCompletion(ServerExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            HttpServletResponse response = (HttpServletResponse) event.getSuppliedResponse();
            Throwable error = failure != null ? failure : event.getThrowable();
            int status = error != null && ServerExchange.isClientAbort(error)
                    ? ServerExchange.CLIENT_CLOSED_REQUEST
                    : error != null && response.getStatus() < 500 ? 500 : response.getStatus();
            exchange.end(status, error);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            failure = new java.util.concurrent.TimeoutException("async request timed out");
        }

        @Override
        public void onError(AsyncEvent event) {
            failure = event.getThrowable();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    private static final class Info implements ServerExchange.RequestInfo {
        private final HttpServletRequest request;
        private final String path;

        Info(HttpServletRequest request, String path) {
            this.request = request;
            this.path = path;
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public String scheme() {
            return request.getScheme();
        }

        @Override
        public String serverAddress() {
            return request.getServerName();
        }

        @Override
        public int serverPort() {
            return request.getServerPort();
        }

        @Override
        public String clientAddress() {
            return request.getRemoteAddr();
        }

        @Override
        public String userAgent() {
            return request.getHeader("User-Agent");
        }

        @Override
        public String protocolVersion() {
            String protocol = request.getProtocol();
            return protocol != null && protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol;
        }
    }

    private static final TextMapGetter<HttpServletRequest> GETTER = new CaseInsensitiveGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest carrier) {
            return Collections.list(carrier.getHeaderNames());
        }

        @Override
        public @Nullable String get(@Nullable HttpServletRequest carrier, String key) {
            return carrier == null ? null : carrier.getHeader(key);
        }

        @Override
        public Iterator<String> getAll(@Nullable HttpServletRequest carrier, String key) {
            if (carrier == null) {
                return Collections.emptyIterator();
            }
            Enumeration<String> values = carrier.getHeaders(key);
            return values == null ? Collections.emptyIterator() : values.asIterator();
        }
    };
}
