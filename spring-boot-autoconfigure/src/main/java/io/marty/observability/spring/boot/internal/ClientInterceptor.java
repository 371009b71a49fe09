package io.marty.observability.spring.boot.internal;

import io.marty.observability.http.HttpClientCall;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/** {@code RestClient}/{@code RestTemplate}: the http module's client call around each exchange. */
public final class ClientInterceptor implements ClientHttpRequestInterceptor {

    private final HttpClientCall.Starter<HttpHeaders> calls;

    public ClientInterceptor(HttpClientCall.Starter<HttpHeaders> calls) {
        this.calls = calls;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        HttpClientCall<HttpHeaders> call = calls.start(request.getMethod().name(), request.getURI());
        if (call == null) {
            return execution.execute(request, body);
        }
        call.inject(request.getHeaders());
        ClientHttpResponse response;
        try {
            response = execution.execute(request, body);
        } catch (IOException | RuntimeException | Error e) {
            call.end(HttpClientCall.NO_RESPONSE_STATUS, e);
            throw e;
        }
        call.end(response.getStatusCode().value(), null);
        return response;
    }
}
