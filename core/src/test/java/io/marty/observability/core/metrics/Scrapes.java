package io.marty.observability.core.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test helper: renders a registry in the text formats. */
public final class Scrapes {
    private Scrapes() {}

    public static String openMetrics(PrometheusRegistry registry) {
        return write(OpenMetricsTextFormatWriter.create(), registry);
    }

    public static String text(PrometheusRegistry registry) {
        return write(PrometheusTextFormatWriter.create(), registry);
    }

    private static String write(ExpositionFormatWriter writer, PrometheusRegistry registry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
