package io.marty.observability.core.alert;

import io.marty.observability.core.json.JsonWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Sends alerts to Prometheus Alertmanager with its v2 API ({@code POST /api/v2/alerts}, a JSON array
 * of {@code {labels, annotations, startsAt, endsAt, generatorURL}}). Labels: {@code alertname} (the
 * rule), {@code severity}, {@code service}, {@code rule_type}, {@code source} ({@link
 * HttpAlertSink.Settings#source}, default {@code marty}) and
 * the alert's group key (e.g. {@code user_id}); annotations: {@code summary}, {@code description}
 * (the explanation), {@code value}, {@code threshold} and the sample's {@code correlation_id}/{@code
 * trace_id}. {@code endsAt} is {@code startsAt} plus the rule's cooldown (at least 5 min) so the alert
 * resolves by itself unless fired again.
 *
 * <pre>{@code
 * AlertmanagerAlertSink sink = AlertmanagerAlertSink.builder(URI.create("http://alertmanager:9093")).build();
 * }</pre>
 */
public final class AlertmanagerAlertSink extends HttpAlertSink {
    private static final long MIN_ACTIVE_MILLIS = 5 * 60_000L;

    private final URI endpoint;
    private final String generatorUrl;

    private AlertmanagerAlertSink(Builder b) {
        super(b);
        String base = b.uri.toString();
        this.endpoint =
                URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v2/alerts");
        this.generatorUrl = b.generatorUrl;
    }

    /** {@code baseUrl} is the Alertmanager root, e.g. {@code http://127.0.0.1:9093}. */
    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    @Override
    public String name() {
        return "alertmanager";
    }

    @Override
    protected URI target() {
        return endpoint;
    }

    @Override
    protected String body(List<Alert> batch) {
        JsonWriter w = new JsonWriter();
        AlertJson.write(w, toPostableAlerts(batch, generatorUrl, source()));
        return w.toString();
    }

    /** The Alertmanager v2 {@code PostableAlerts} body for {@code alerts}, labelled {@code source="marty"}. */
    public static List<Map<String, Object>> toPostableAlerts(List<Alert> alerts, @Nullable String generatorUrl) {
        return toPostableAlerts(alerts, generatorUrl, HttpAlertSink.Settings.DEFAULT_SOURCE);
    }

    /** The Alertmanager v2 {@code PostableAlerts} body for {@code alerts} with the given {@code source} label. */
    public static List<Map<String, Object>> toPostableAlerts(
            List<Alert> alerts, @Nullable String generatorUrl, String source) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Alert a : alerts) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("alertname", a.rule());
            labels.put("severity", a.severity().label());
            labels.put("service", a.service());
            labels.put("rule_type", a.type());
            labels.put("source", source);
            a.groupKey().forEach((k, v) -> labels.putIfAbsent(labelName(k), v));
            Map<String, String> ann = new LinkedHashMap<>();
            ann.put("summary", a.summary());
            ann.put("description", a.explanation());
            ann.put("value", String.valueOf(a.value()));
            ann.put("threshold", String.valueOf(a.threshold()));
            for (String k : new String[] {"correlation_id", "trace_id"}) {
                String v = a.sample().get(k);
                if (v != null) {
                    ann.put(k, v);
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("labels", labels);
            m.put("annotations", ann);
            m.put("startsAt", a.firedAt().toString());
            long active = Math.max(MIN_ACTIVE_MILLIS, a.cooldown().toMillis());
            m.put("endsAt", a.firedAt().plusMillis(active).toString());
            if (generatorUrl != null) {
                m.put("generatorURL", generatorUrl);
            }
            out.add(m);
        }
        return out;
    }

    /** Alertmanager label names must match {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    static String labelName(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok =
                    c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            sb.append(ok ? c : '_');
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }

    /** Builder for {@link AlertmanagerAlertSink}. */
    public static final class Builder extends HttpAlertSink.Settings<Builder> {
        private String generatorUrl;

        private Builder(URI url) {
            super(url);
        }

        /** Link shown in Alertmanager for the alert's source (e.g. the console URL). */
        public Builder generatorUrl(@Nullable String url) {
            this.generatorUrl = url;
            return this;
        }

        public AlertmanagerAlertSink build() {
            return new AlertmanagerAlertSink(this);
        }
    }
}
