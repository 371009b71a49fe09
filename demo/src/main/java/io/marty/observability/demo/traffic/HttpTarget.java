package io.marty.observability.demo.traffic;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends demo requests to the gateway over HTTP: {@code GET /products/{id}},
 * {@code POST /checkout} and {@code POST /login} with small JSON bodies. Faults travel as the
 * {@link DemoRequest#FAULT_HEADER} / {@link DemoRequest#DELAY_HEADER} headers; the user as
 * {@code X-MMF-User-ID}; the client address as {@code X-Forwarded-For}.
 */
public final class HttpTarget implements Target {
    private final URI base;
    private final HttpClient client;

    public HttpTarget(URI gatewayBase) {
        String s = gatewayBase.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    @Override
    public int send(DemoRequest r) throws Exception {
        HttpRequest.Builder b = switch (r.kind()) {
            case BROWSE ->
                HttpRequest.newBuilder(base.resolve(
                                "products/" + (1 + Math.floorMod(r.userId().hashCode(), 50))))
                        .GET();
            case CHECKOUT ->
                HttpRequest.newBuilder(base.resolve("checkout"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + r.userId() + "\",\"amountCents\":"
                                + r.amountCents() + ",\"items\":" + (1 + r.amountCents() % 4) + "}"));
            case LOGIN ->
                HttpRequest.newBuilder(base.resolve("login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"user\":\"" + r.userId() + "\",\"password\":\"" + r.password() + "\"}"));
        };
        b.timeout(Duration.ofSeconds(10)).header("X-MMF-User-ID", r.userId()).header("X-Forwarded-For", r.clientIp());
        if (r.failPayment()) {
            b.header(DemoRequest.FAULT_HEADER, "payment-error");
        }
        if (r.delayMillis() > 0) {
            b.header(DemoRequest.DELAY_HEADER, Integer.toString(r.delayMillis()));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
