package io.marty.observability.core.alert;

import io.marty.observability.core.json.JsonWriter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * POSTs alerts as JSON {@code {"source":"marty","alerts":[{…Alert#toMap…}]}} to a webhook
 * URL (the {@code source} is set with {@link HttpAlertSink.Settings#source}), asynchronously with bounded retries and timeouts (see {@link HttpAlertSink}).
 *
 * <pre>{@code
 * WebhookAlertSink sink = WebhookAlertSink.builder(URI.create("https://hooks.example/alerts"))
 *     .maxRetries(3).requestTimeout(Duration.ofSeconds(5)).build();
 * }</pre>
 */
public final class WebhookAlertSink extends HttpAlertSink {
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
        m.put("source", source());
        m.put("alerts", batch.stream().map(Alert::toMap).collect(Collectors.toList()));
        JsonWriter w = new JsonWriter();
        AlertJson.write(w, m);
        return w.toString();
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
