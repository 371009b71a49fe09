package io.marty.observability.loganalysis.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marty.observability.loganalysis.Alert;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * POSTs alerts as JSON {@code {"source":"marty-loganalysis","alerts":[{…Alert#toMap…}]}} to a webhook
 * URL, asynchronously with bounded retries and timeouts (see {@link HttpAlertSink}).
 *
 * <pre>{@code
 * WebhookAlertSink sink = WebhookAlertSink.builder(URI.create("https://hooks.example/alerts"))
 *     .maxRetries(3).requestTimeout(Duration.ofSeconds(5)).build();
 * }</pre>
 */
public final class WebhookAlertSink extends HttpAlertSink {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WebhookAlertSink(Builder b) {
        super(b);
    }

    public static Builder builder(URI url) {
        return new Builder(url);
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    protected String body(List<Alert> batch) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "marty-loganalysis");
        m.put("alerts", batch.stream().map(Alert::toMap).collect(Collectors.toList()));
        try {
            return MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builder for {@link WebhookAlertSink}. */
    public static final class Builder extends HttpAlertSink.Settings<Builder> {
        private Builder(URI url) {
            super(url);
        }

        public WebhookAlertSink build() {
            return new WebhookAlertSink(this);
        }
    }
}
