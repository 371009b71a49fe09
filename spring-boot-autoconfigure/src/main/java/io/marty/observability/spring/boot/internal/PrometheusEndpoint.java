package io.marty.observability.spring.boot.internal;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@code /actuator/prometheus} for Marty's registry when the application has no Micrometer
 * Prometheus registry (with one, Boot's own endpoint serves both: see {@link PrometheusMerge}).
 * Prometheus text format 0.0.4, which every Prometheus scrapes.
 */
@WebEndpoint(id = "prometheus")
public final class PrometheusEndpoint {

    private static final String TEXT = "text/plain;version=0.0.4;charset=utf-8";

    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();

    public PrometheusEndpoint(PrometheusRegistry registry) {
        this.registry = registry;
    }

    @ReadOperation(produces = TEXT)
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            formats.getPrometheusTextFormatWriter().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
