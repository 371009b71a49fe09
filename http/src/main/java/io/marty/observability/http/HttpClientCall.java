package io.marty.observability.http;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.http.internal.ClientExchange;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * One instrumented outgoing request for HTTP clients this module has no wrapper for (Spring's
 * {@code RestClient}/{@code RestTemplate} interceptors, {@code WebClient} filters, …): the same
 * client span, propagation headers and client RED metrics as {@link MartyHttpClient}. Start it on
 * the caller's context, {@link #inject} the headers, then {@link #end} it exactly once.
 *
 * <pre>{@code
 * HttpClientCall.Starter calls = HttpClientCall.starter(observability, RouteTemplater.create(),
 *     (headers, name, value) -> headers.set(name, value));
 * HttpClientCall call = calls.start("GET", uri);   // null: send uninstrumented
 * call.inject(request.getHeaders());
 * call.end(response.statusCode(), null);           // or end(NO_RESPONSE_STATUS, error)
 * }</pre>
 */
public final class HttpClientCall<C> {

    /** Status to pass to {@link #end} when no response arrived. */
    public static final int NO_RESPONSE_STATUS = ClientExchange.NO_RESPONSE_STATUS;

    private final Starter<C> starter;
    private final ClientExchange exchange;

    private HttpClientCall(Starter<C> starter, ClientExchange exchange) {
        this.starter = starter;
        this.exchange = exchange;
    }

    /**
     * A starter for one client integration. {@code setter} writes one header to the carrier; a
     * header the carrier rejects is left out and counted, the others still go out.
     */
    public static <C> Starter<C> starter(
            MartyObservability observability, RouteTemplater routes, TextMapSetter<C> setter) {
        return new Starter<>(observability, routes, ClientExchange.failOpenSetter(observability, setter));
    }

    /** Makes calls for one client integration; thread-safe, keep one. */
    public static final class Starter<C> {
        private final MartyObservability observability;
        private final RouteTemplater routes;
        private final TextMapSetter<C> setter;

        private Starter(MartyObservability observability, RouteTemplater routes, TextMapSetter<C> setter) {
            this.observability = observability;
            this.routes = routes;
            this.setter = setter;
        }

        /**
         * Opens the client span as a child of the current context.
         *
         * @return the call, or {@code null} when the instrumentation failed (counted): send the
         *     request uninstrumented then
         */
        public @Nullable HttpClientCall<C> start(String method, URI uri) {
            ClientExchange exchange = ClientExchange.start(observability, routes, method, uri);
            return exchange == null ? null : new HttpClientCall<>(this, exchange);
        }
    }

    /** Writes {@code traceparent}, {@code tracestate}, {@code baggage} and {@code X-MMF-*}. */
    public void inject(C carrier) {
        exchange.inject(starter.observability, carrier, starter.setter);
    }

    /** Ends the call once: the response status, or {@link #NO_RESPONSE_STATUS} with the error. */
    public void end(int status, @Nullable Throwable error) {
        exchange.end(status, error);
    }
}
