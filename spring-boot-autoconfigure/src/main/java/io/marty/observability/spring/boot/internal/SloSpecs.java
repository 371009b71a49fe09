package io.marty.observability.spring.boot.internal;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.slo.Slo;
import io.marty.observability.slo.SloLoader;
import io.marty.observability.slo.SloSpecException;
import io.marty.observability.slo.SloTracker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/** SLO specs from Spring resource patterns (inside jars too), parsed by the slo module's loader. */
public final class SloSpecs {

    private SloSpecs() {}

    /**
     * Every SLO of every resource matching {@code locations}.
     *
     * @throws SloSpecException for a spec that does not parse (file:line:col: path: what) or an id
     *     used twice
     */
    public static List<Slo> load(ResourcePatternResolver resolver, List<String> locations) {
        List<Slo> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (String location : locations) {
            Resource[] resources;
            try {
                resources = resolver.getResources(location);
            } catch (IOException e) {
                throw new SloSpecException(location, 0, null, "cannot list: " + e.getMessage(), e);
            }
            for (Resource resource : resources) {
                String source = resource.getDescription();
                for (Slo slo : SloLoader.parse(read(resource, source), source)) {
                    String first = seen.putIfAbsent(slo.id(), source);
                    if (first != null) {
                        throw new SloSpecException(
                                source, 0, null, "duplicate SLO '" + slo.id() + "' (also in " + first + ")", null);
                    }
                    out.add(slo);
                }
            }
        }
        return out;
    }

    /**
     * Attaches {@code tracker} to {@code observability}. When another context of this JVM already
     * attached SLO metrics to the same shared instance, this tracker still counts but its metrics
     * stay out of the registry (a metric name can be registered once); that is counted and logged.
     */
    public static SloTracker attach(SloTracker tracker, MartyObservability observability) {
        try {
            return tracker.attachTo(observability);
        } catch (IllegalArgumentException e) {
            observability
                    .metrics()
                    .instrumentationErrors()
                    .record(InstrumentationErrors.SPRING, "SLO metrics already registered by another context", e);
            return tracker;
        }
    }

    private static String read(Resource resource, String source) {
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SloSpecException(source, 0, null, "cannot read: " + e.getMessage(), e);
        }
    }
}
