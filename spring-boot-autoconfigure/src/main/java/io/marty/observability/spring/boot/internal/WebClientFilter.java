package io.marty.observability.spring.boot.internal;

import io.marty.observability.http.HttpClientCall;
import io.opentelemetry.context.Scope;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * {@code WebClient}: the http module's client call around each exchange, started at subscription
 * on the context the Reactor pipeline carries (so it parents correctly whichever thread subscribes)
 * and ended on response, error or cancel.
 */
public final class WebClientFilter implements ExchangeFilterFunction {

    private final HttpClientCall.Starter<HttpHeaders> calls;

    public WebClientFilter(HttpClientCall.Starter<HttpHeaders> calls) {
        this.calls = calls;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return Mono.deferContextual(view -> {
            HttpClientCall<HttpHeaders> call;
            try (Scope ignored = ReactorContexts.of(view).makeCurrent()) {
                call = calls.start(request.method().name(), request.url());
            }
            if (call == null) {
                return next.exchange(request);
            }
            ClientRequest.Builder injected = ClientRequest.from(request);
            injected.headers(call::inject);
            return next.exchange(injected.build())
                    .doOnNext(response -> call.end(response.statusCode().value(), null))
                    .doOnError(e -> call.end(HttpClientCall.NO_RESPONSE_STATUS, e))
                    .doOnCancel(() -> call.end(HttpClientCall.NO_RESPONSE_STATUS, null));
        });
    }
}
