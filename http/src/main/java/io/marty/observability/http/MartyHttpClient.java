package io.marty.observability.http;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.http.internal.ClientExchange;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * A {@link HttpClient} that instruments every call (sync and async): it injects {@code
 * traceparent}/{@code tracestate}/{@code baggage} and the {@code X-MMF-*} headers of the current
 * context, opens a client span with HTTP semantic-convention attributes, and records client-side
 * RED metrics ({@code direction="client"}, route = template of the URL path). Connect failures and
 * timeouts are recorded as errors with status {@value #NO_RESPONSE_STATUS}.
 *
 * <pre>{@code
 * HttpClient client = MartyHttpClient.wrap(HttpClient.newHttpClient(), observability);
 * HttpResponse<String> response = client.send(
 *     HttpRequest.newBuilder(URI.create("http://payments/charge")).build(),
 *     HttpResponse.BodyHandlers.ofString());
 * }</pre>
 */
public final class MartyHttpClient extends HttpClient {

    /** Status label recorded when no response arrived (connect error, timeout, I/O failure). */
    public static final int NO_RESPONSE_STATUS = ClientExchange.NO_RESPONSE_STATUS;

    private final HttpClient delegate;
    private final MartyObservability observability;
    private final RouteTemplater routes;
    private final TextMapSetter<HttpRequest.Builder> setter;

    private MartyHttpClient(HttpClient delegate, MartyObservability observability, RouteTemplater routes) {
        this.delegate = delegate;
        this.observability = observability;
        this.routes = routes;
        this.setter = ClientExchange.failOpenSetter(observability, HttpRequest.Builder::setHeader);
    }

    /** Wraps {@code delegate}; client routes use a default {@link RouteTemplater}. */
    public static MartyHttpClient wrap(HttpClient delegate, MartyObservability observability) {
        return wrap(delegate, observability, RouteTemplater.create());
    }

    /** Wraps {@code delegate} with its own route templater for client route labels. */
    public static MartyHttpClient wrap(HttpClient delegate, MartyObservability observability, RouteTemplater routes) {
        return new MartyHttpClient(
                Objects.requireNonNull(delegate, "delegate"),
                Objects.requireNonNull(observability, "observability"),
                Objects.requireNonNull(routes, "routes"));
    }

    /** The wrapped client. */
    public HttpClient delegate() {
        return delegate;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        ClientExchange call = ClientExchange.start(observability, routes, request.method(), request.uri());
        if (call == null) {
            return delegate.send(request, handler);
        }
        HttpResponse<T> response;
        try {
            response = delegate.send(inject(call, request), handler);
        } catch (IOException | InterruptedException | RuntimeException e) {
            call.end(NO_RESPONSE_STATUS, e);
            throw e;
        }
        call.end(response.statusCode(), null);
        return response;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return sendAsync(request, handler, null);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
            HttpRequest request,
            HttpResponse.BodyHandler<T> handler,
            HttpResponse.@Nullable PushPromiseHandler<T> pushPromiseHandler) {
        ClientExchange call = ClientExchange.start(observability, routes, request.method(), request.uri());
        if (call == null) {
            return pushPromiseHandler == null
                    ? delegate.sendAsync(request, handler)
                    : delegate.sendAsync(request, handler, pushPromiseHandler);
        }
        CompletableFuture<HttpResponse<T>> future;
        try {
            HttpRequest injected = inject(call, request);
            future = pushPromiseHandler == null
                    ? delegate.sendAsync(injected, handler)
                    : delegate.sendAsync(injected, handler, pushPromiseHandler);
        } catch (RuntimeException e) {
            call.end(NO_RESPONSE_STATUS, e);
            throw e;
        }
        return future.whenComplete((response, error) -> {
            if (error != null) {
                call.end(NO_RESPONSE_STATUS, unwrap(error));
            } else {
                call.end(response.statusCode(), null);
            }
        });
    }

    private HttpRequest inject(ClientExchange call, HttpRequest original) {
        try {
            HttpRequest.Builder copy = HttpRequest.newBuilder(original, (name, value) -> true);
            call.inject(observability, copy, setter);
            return copy.build();
        } catch (RuntimeException e) {
            ClientExchange.recordFailure(observability, "cannot copy the request to add propagation headers", e);
            return original;
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    // ---- plain delegation ----

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return delegate.newWebSocketBuilder();
    }
}
