package io.marty.observability.slo;

import io.marty.observability.spec.SpecException;
import io.marty.observability.spec.SpecNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads SLOs from YAML: OpenSLO v1 documents ({@code apiVersion: openslo/v1}, {@code kind: SLO} with an
 * inline {@code indicator} or an {@code indicatorRef} to a {@code kind: SLI} in the same file) and the
 * concise native form (see {@code docs/slo.md}); a file may mix both, one per YAML document.
 *
 * <pre>{@code
 * service: checkout
 * slos:
 *   - availability 99.9% over 30d
 *   - latency p95 < 500ms over 7d
 *   - name: orders-latency
 *     slo: latency < 250ms for 99% over 28d
 *     route: /orders/{id}
 *     priority: critical
 * }</pre>
 *
 * <p>Errors are {@link SloSpecException}s located as {@code <file>:<line>:<col>: <path.to.key>: <what is
 * wrong>}, e.g. {@code checkout.yaml:5:13: slos[0].target: target 100.5% must be above 0% and below 100%}.
 *
 * <pre>{@code
 * List<Slo> slos = SloLoader.load(Path.of("deploy/slo/checkout.yaml"));
 * }</pre>
 */
public final class SloLoader {
    private SloLoader() {}

    /** An SLO and the YAML node it was read from (for duplicate errors). */
    record Parsed(Slo slo, SpecNode at) {}

    /** Loads every SLO in a file (one or more YAML documents). */
    public static List<Slo> load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SloSpecException(file.toString(), 0, null, "cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Loads SLOs from several files; ids must be unique across them. */
    public static List<Slo> load(List<Path> files) {
        List<Slo> out = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        for (Path f : files) {
            for (Slo s : load(f)) {
                Path first = seen.putIfAbsent(s.id(), f);
                if (first != null) {
                    throw new SloSpecException(
                            f.toString(), 0, null, "duplicate SLO '" + s.id() + "' (also in " + first + ")", null);
                }
                out.add(s);
            }
        }
        return out;
    }

    /** Parses YAML text; {@code source} names it in errors. */
    public static List<Slo> parse(String yaml, String source) {
        try {
            List<SpecNode> docs = SpecNode.readAll(yaml, source);
            OpenSloParser openSlo = new OpenSloParser();
            // SLI documents first, so indicatorRef can point forward.
            for (SpecNode d : docs) {
                if (OpenSloParser.isOpenSlo(d) && "SLI".equals(d.string("kind", null))) {
                    openSlo.addSli(d);
                }
            }
            List<Parsed> parsed = new ArrayList<>();
            for (SpecNode d : docs) {
                if (OpenSloParser.isOpenSlo(d)) {
                    String kind = d.string("kind");
                    if (kind.equals("SLO")) {
                        parsed.add(new Parsed(openSlo.parse(d), d));
                    }
                    // Service, SLI, DataSource, AlertPolicy... documents are context only.
                } else if (d.has("apiVersion")) {
                    throw d.get("apiVersion")
                            .error("unsupported apiVersion '" + d.string("apiVersion")
                                    + "' (expected openslo/v1 or the native form without apiVersion)");
                } else {
                    parsed.addAll(NativeSloParser.parse(d));
                }
            }
            Map<String, Parsed> ids = new HashMap<>();
            List<Slo> out = new ArrayList<>();
            for (Parsed p : parsed) {
                Parsed first = ids.putIfAbsent(p.slo().id(), p);
                if (first != null) {
                    throw p.at().error("duplicate SLO '" + p.slo().id() + "' (first at line "
                            + first.at().line() + ")");
                }
                out.add(p.slo());
            }
            return out;
        } catch (SloSpecException e) {
            throw e;
        } catch (SpecException e) {
            throw new SloSpecException(e);
        }
    }
}
