package io.marty.observability.http;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.http.internal.ClientExchange;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp application interceptor with the same behaviour as {@link MartyHttpClient}: client span,
 * injected {@code traceparent}/{@code tracestate}/{@code baggage}/{@code X-MMF-*} headers, client
 * RED metrics; failures without response are recorded with status {@code 0} and {@code error_type} {@code connect_error}/{@code timeout}.
 * OkHttp is not a dependency of this module: bring your own (5.x).
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(MartyOkHttpInterceptor.create(observability))
 *     .build();
 * }</pre>
 */
public final class MartyOkHttpInterceptor implements Interceptor {

    private final MartyObservability observability;
    private final RouteTemplater routes;
    private final TextMapSetter<Request.Builder> setter;

    private MartyOkHttpInterceptor(MartyObservability observability, RouteTemplater routes) {
        this.observability = observability;
        this.routes = routes;
        this.setter =
                ClientExchange.failOpenSetter(observability, (builder, name, value) -> builder.header(name, value));
    }

    /** An interceptor reporting to {@code observability}; routes from a default {@link RouteTemplater}. */
    public static MartyOkHttpInterceptor create(MartyObservability observability) {
        return create(observability, RouteTemplater.create());
    }

    /** An interceptor with its own route templater for client route labels. */
    public static MartyOkHttpInterceptor create(MartyObservability observability, RouteTemplater routes) {
        return new MartyOkHttpInterceptor(
                Objects.requireNonNull(observability, "observability"), Objects.requireNonNull(routes, "routes"));
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        ClientExchange call = ClientExchange.start(
                observability, routes, request.method(), request.url().uri());
        if (call == null) {
            return chain.proceed(request);
        }
        Request.Builder injected = request.newBuilder();
        call.inject(observability, injected, setter);
        Response response;
        try {
            response = chain.proceed(injected.build());
        } catch (IOException | RuntimeException | Error e) {
            call.end(ClientExchange.NO_RESPONSE_STATUS, e);
            throw e;
        }
        call.end(response.code(), null);
        return response;
    }
}
