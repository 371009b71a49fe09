package io.marty.observability.http;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.metrics.Direction;
import io.marty.observability.core.metrics.Outcome;
import io.marty.observability.core.metrics.Protocol;
import io.marty.observability.core.metrics.RequestTimer;
import io.marty.observability.core.tracing.CorrelationAttributes;
import io.marty.observability.http.internal.HttpSemantics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

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
    public static final int NO_RESPONSE_STATUS = 0;

    private static final String INSTRUMENTATION = "io.marty.observability.http.client";
    private static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<String> URL_TEMPLATE = AttributeKey.stringKey("url.template");
    private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final HttpClient delegate;
    private final MartyObservability observability;
    private final RouteTemplater routes;

    private MartyHttpClient(HttpClient delegate, MartyObservability observability, RouteTemplater routes) {
        this.delegate = delegate;
        this.observability = observability;
        this.routes = routes;
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
        Call call = new Call(request);
        HttpResponse<T> response;
        try {
            response = delegate.send(call.request, handler);
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
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        Call call = new Call(request);
        CompletableFuture<HttpResponse<T>> future;
        try {
            future = pushPromiseHandler == null
                    ? delegate.sendAsync(call.request, handler)
                    : delegate.sendAsync(call.request, handler, pushPromiseHandler);
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

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** error.type for a failure without response. */
    static String errorType(Throwable error) {
        if (error instanceof HttpConnectTimeoutException || error instanceof ConnectException) {
            return "connect_error";
        }
        if (error instanceof HttpTimeoutException) {
            return "timeout";
        }
        return error.getClass().getName();
    }

    /** One instrumented call: span, timer, injected request. */
    private final class Call {
        final HttpRequest request;
        final Context context;
        final Span span;
        final RequestTimer timer;

        Call(HttpRequest original) {
            Context parent = Context.current();
            String method = HttpSemantics.normalizeMethod(original.method());
            URI uri = original.uri();
            String route = routes.template(uri.getRawPath());
            SpanBuilder builder = observability
                    .openTelemetry()
                    .getTracer(INSTRUMENTATION)
                    .spanBuilder(method + " " + route)
                    .setParent(parent)
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute(HTTP_REQUEST_METHOD, method)
                    .setAttribute(URL_FULL, stripUserInfo(uri))
                    .setAttribute(URL_TEMPLATE, route);
            if (uri.getHost() != null) {
                builder.setAttribute(SERVER_ADDRESS, uri.getHost());
            }
            int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            builder.setAttribute(SERVER_PORT, (long) port);
            span = builder.startSpan();
            CorrelationAttributes.apply(span, CorrelationContext.fromContext(parent));
            context = parent.with(span);
            HttpRequest.Builder copy = HttpRequest.newBuilder(original, (name, value) -> true);
            observability
                    .openTelemetry()
                    .getPropagators()
                    .getTextMapPropagator()
                    .inject(context, copy, HttpRequest.Builder::setHeader);
            request = copy.build();
            try (Scope ignored = context.makeCurrent()) {
                timer = observability.metrics().red().start(Protocol.HTTP, Direction.CLIENT, method, route);
            }
        }

        void end(int status, Throwable error) {
            try (Scope ignored = context.makeCurrent()) {
                String errorType = null;
                Outcome outcome;
                if (status == NO_RESPONSE_STATUS) {
                    errorType = error != null ? errorType(error) : "no_response";
                    outcome = Outcome.SERVER_ERROR;
                } else {
                    span.setAttribute(HTTP_STATUS, (long) status);
                    outcome = Outcome.ofHttpStatus(status);
                    if (status >= 400) {
                        errorType = Integer.toString(status);
                    }
                }
                if (error != null) {
                    span.recordException(error);
                }
                if (errorType != null) {
                    span.setAttribute(ERROR_TYPE, errorType);
                    span.setStatus(StatusCode.ERROR);
                    timer.end(Integer.toString(status), outcome, errorType);
                } else {
                    timer.end(Integer.toString(status), outcome);
                }
                span.end();
            } catch (RuntimeException e) {
                // fail open
            }
        }
    }

    private static String stripUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getRawPath(), null, null)
                    .toString();
        } catch (java.net.URISyntaxException e) {
            return uri.getScheme() + "://" + uri.getHost();
        }
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
