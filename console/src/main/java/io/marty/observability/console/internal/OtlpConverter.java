package io.marty.observability.console.internal;

import io.marty.observability.console.ConsoleLog;
import io.marty.observability.console.ConsoleMetricPoint;
import io.marty.observability.console.ConsoleSpan;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts OTLP export requests into console records, collecting per-item rejections and applying
 * the {@link IngestLimits} (dropping and counting what is over them, clipping every string).
 */
public final class OtlpConverter {
    static final String UNKNOWN_SERVICE = "unknown_service";
    /** Explicit histogram bounds kept per point (OTel's exponential histograms use at most 160). */
    private static final int MAX_BUCKETS = 256;

    private static final int MAX_EXEMPLARS = 16;

    private final IngestLimits limits;
    private final IngestLimits.Dropped dropped;

    private OtlpConverter(IngestLimits limits, IngestLimits.Dropped dropped) {
        this.limits = limits;
        this.dropped = dropped;
    }

    /** Converted items plus the number rejected and the first rejection reason. */
    public record Result<T>(List<T> accepted, long rejected, String firstError) {}

    static Result<ConsoleSpan> spans(ExportTraceServiceRequest req, IngestLimits limits, IngestLimits.Dropped dropped) {
        return new OtlpConverter(limits, dropped).spans(req);
    }

    private Result<ConsoleSpan> spans(ExportTraceServiceRequest req) {
        List<ConsoleSpan> out = new ArrayList<>();
        long rejected = 0;
        String firstError = "";
        for (ResourceSpans rs : req.getResourceSpansList()) {
            String service = serviceName(rs.getResource().getAttributesList());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    String problem =
                            idProblem(s.getTraceId().size(), s.getSpanId().size(), false);
                    if (problem != null) {
                        rejected++;
                        firstError = firstError.isEmpty() ? "span '" + name(s.getName()) + "': " + problem : firstError;
                        continue;
                    }
                    Map<String, String> attrs = attributes(s.getAttributesList());
                    int eventCount = Math.min(s.getEventsCount(), limits.maxEventsPerSpan());
                    dropped.events.addAndGet(s.getEventsCount() - eventCount);
                    List<ConsoleSpan.Event> events = new ArrayList<>(eventCount);
                    for (Span.Event e : s.getEventsList().subList(0, eventCount)) {
                        events.add(new ConsoleSpan.Event(
                                name(e.getName()), e.getTimeUnixNano(), attributes(e.getAttributesList())));
                    }
                    long duration = Math.max(0, s.getEndTimeUnixNano() - s.getStartTimeUnixNano());
                    out.add(new ConsoleSpan(
                            0,
                            Hex.encode(s.getTraceId()),
                            Hex.encode(s.getSpanId()),
                            s.getParentSpanId().isEmpty() ? "" : Hex.encode(s.getParentSpanId()),
                            name(s.getName()),
                            kind(s.getKindValue()),
                            service,
                            s.getStartTimeUnixNano(),
                            duration,
                            status(s.getStatus().getCodeValue()),
                            name(s.getStatus().getMessage()),
                            attrs.getOrDefault("mmf.correlation_id", ""),
                            attrs,
                            events));
                }
            }
        }
        return new Result<>(out, rejected, firstError);
    }

    static Result<ConsoleLog> logs(ExportLogsServiceRequest req, IngestLimits limits, IngestLimits.Dropped dropped) {
        return new OtlpConverter(limits, dropped).logs(req);
    }

    private Result<ConsoleLog> logs(ExportLogsServiceRequest req) {
        List<ConsoleLog> out = new ArrayList<>();
        long rejected = 0;
        String firstError = "";
        for (ResourceLogs rl : req.getResourceLogsList()) {
            String service = serviceName(rl.getResource().getAttributesList());
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                String scope = name(sl.getScope().getName());
                for (LogRecord r : sl.getLogRecordsList()) {
                    boolean hasIds = !r.getTraceId().isEmpty() || !r.getSpanId().isEmpty();
                    String problem = hasIds
                            ? idProblem(r.getTraceId().size(), r.getSpanId().size(), true)
                            : null;
                    if (problem != null) {
                        rejected++;
                        firstError = firstError.isEmpty() ? "log record: " + problem : firstError;
                        continue;
                    }
                    Map<String, String> attrs = attributes(r.getAttributesList());
                    long time = r.getTimeUnixNano() != 0 ? r.getTimeUnixNano() : r.getObservedTimeUnixNano();
                    if (time == 0) {
                        time = System.currentTimeMillis() * 1_000_000L;
                    }
                    String logger = first(attrs, "logger", "logger_name", "code.namespace");
                    out.add(new ConsoleLog(
                            0,
                            time,
                            severity(r.getSeverityNumberValue(), r.getSeverityText()),
                            value(r.getBody()),
                            service,
                            first(attrs, "category", "mmf.category", "log.category"),
                            logger.isEmpty() ? scope : logger,
                            r.getTraceId().isEmpty() ? "" : Hex.encode(r.getTraceId()),
                            r.getSpanId().isEmpty() ? "" : Hex.encode(r.getSpanId()),
                            first(attrs, "correlation_id", "mmf.correlation_id", "context.correlation_id"),
                            attrs));
                }
            }
        }
        return new Result<>(out, rejected, firstError);
    }

    static Result<ConsoleMetricPoint> metrics(
            ExportMetricsServiceRequest req, IngestLimits limits, IngestLimits.Dropped dropped) {
        return new OtlpConverter(limits, dropped).metrics(req);
    }

    /** Name, unit and service of one metric, clipped once for all its points. */
    private record MetricId(String name, String unit, String service) {}

    private Result<ConsoleMetricPoint> metrics(ExportMetricsServiceRequest req) {
        List<ConsoleMetricPoint> out = new ArrayList<>();
        long rejected = 0;
        String firstError = "";
        for (ResourceMetrics rm : req.getResourceMetricsList()) {
            String service = serviceName(rm.getResource().getAttributesList());
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric metric : sm.getMetricsList()) {
                    MetricId m = new MetricId(name(metric.getName()), name(metric.getUnit()), service);
                    int room = limits.maxPointsPerRequest() - out.size();
                    int points = pointCount(metric);
                    if (points > room) {
                        // over the per-request cap: reject the rest (partial success tells the exporter)
                        rejected += points - Math.max(0, room);
                        dropped.points.addAndGet(points - Math.max(0, room));
                        firstError = firstError.isEmpty()
                                ? "more than " + limits.maxPointsPerRequest() + " data points in one request"
                                : firstError;
                        if (room <= 0) {
                            continue;
                        }
                    }
                    switch (metric.getDataCase()) {
                        case GAUGE ->
                            metric.getGauge().getDataPointsList().stream()
                                    .limit(room)
                                    .forEach(p -> out.add(number(m, "gauge", p)));
                        case SUM ->
                            metric.getSum().getDataPointsList().stream()
                                    .limit(room)
                                    .forEach(p -> out.add(number(m, "sum", p)));
                        case HISTOGRAM ->
                            metric.getHistogram().getDataPointsList().stream()
                                    .limit(room)
                                    .forEach(p -> out.add(histogram(m, p)));
                        case EXPONENTIAL_HISTOGRAM ->
                            metric.getExponentialHistogram().getDataPointsList().stream()
                                    .limit(room)
                                    .forEach(p -> out.add(summaryLike(
                                            m,
                                            "exponential_histogram",
                                            p.getTimeUnixNano(),
                                            attributes(p.getAttributesList()),
                                            p.getCount(),
                                            p.getSum(),
                                            exemplars(p.getExemplarsList()))));
                        case SUMMARY ->
                            metric.getSummary().getDataPointsList().stream()
                                    .limit(room)
                                    .forEach(p -> out.add(summaryLike(
                                            m,
                                            "summary",
                                            p.getTimeUnixNano(),
                                            attributes(p.getAttributesList()),
                                            p.getCount(),
                                            p.getSum(),
                                            List.of())));
                        default -> {
                            rejected++;
                            firstError = firstError.isEmpty() ? "metric '" + m.name() + "' has no data" : firstError;
                        }
                    }
                }
            }
        }
        return new Result<>(out, rejected, firstError);
    }

    private static int pointCount(Metric m) {
        return switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsCount();
            case SUM -> m.getSum().getDataPointsCount();
            case HISTOGRAM -> m.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> m.getSummary().getDataPointsCount();
            default -> 0;
        };
    }

    private ConsoleMetricPoint number(MetricId m, String type, NumberDataPoint p) {
        double v = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
        return new ConsoleMetricPoint(
                0,
                m.name(),
                m.service(),
                type,
                m.unit(),
                p.getTimeUnixNano(),
                attributes(p.getAttributesList()),
                v,
                0,
                0,
                List.of(),
                List.of(),
                exemplars(p.getExemplarsList()));
    }

    private ConsoleMetricPoint histogram(MetricId m, HistogramDataPoint p) {
        return new ConsoleMetricPoint(
                0,
                m.name(),
                m.service(),
                "histogram",
                m.unit(),
                p.getTimeUnixNano(),
                attributes(p.getAttributesList()),
                p.getCount() == 0 ? 0 : p.getSum() / p.getCount(),
                p.getCount(),
                p.getSum(),
                List.copyOf(cut(p.getExplicitBoundsList(), MAX_BUCKETS)),
                List.copyOf(cut(p.getBucketCountsList(), MAX_BUCKETS + 1)),
                exemplars(p.getExemplarsList()));
    }

    private ConsoleMetricPoint summaryLike(
            MetricId m,
            String type,
            long time,
            Map<String, String> attrs,
            long count,
            double sum,
            List<ConsoleMetricPoint.Exemplar> ex) {
        return new ConsoleMetricPoint(
                0,
                m.name(),
                m.service(),
                type,
                m.unit(),
                time,
                attrs,
                count == 0 ? 0 : sum / count,
                count,
                sum,
                List.of(),
                List.of(),
                ex);
    }

    /** The first {@code max} elements; a longer list counts as clipped. */
    private <T> List<T> cut(List<T> list, int max) {
        if (list.size() <= max) {
            return list;
        }
        dropped.clipped.incrementAndGet();
        return list.subList(0, max);
    }

    private List<ConsoleMetricPoint.Exemplar> exemplars(List<Exemplar> list) {
        if (list.isEmpty()) {
            return List.of();
        }
        List<ConsoleMetricPoint.Exemplar> out = new ArrayList<>(Math.min(list.size(), MAX_EXEMPLARS));
        for (Exemplar e : cut(list, MAX_EXEMPLARS)) {
            double v = e.getValueCase() == Exemplar.ValueCase.AS_INT ? e.getAsInt() : e.getAsDouble();
            out.add(new ConsoleMetricPoint.Exemplar(
                    v,
                    e.getTimeUnixNano(),
                    e.getTraceId().size() == 16 ? Hex.encode(e.getTraceId()) : "",
                    e.getSpanId().size() == 8 ? Hex.encode(e.getSpanId()) : ""));
        }
        return out;
    }

    private static String idProblem(int traceIdLen, int spanIdLen, boolean spanIdOptional) {
        if (traceIdLen != 16) {
            return "trace id must be 16 bytes, got " + traceIdLen;
        }
        if (spanIdLen != 8 && !(spanIdOptional && spanIdLen == 0)) {
            return "span id must be 8 bytes, got " + spanIdLen;
        }
        return null;
    }

    private String serviceName(List<KeyValue> resourceAttrs) {
        for (KeyValue kv : resourceAttrs) {
            if ("service.name".equals(kv.getKey())) {
                String s = name(render(kv.getValue(), limits.maxNameChars()));
                return s.isEmpty() ? UNKNOWN_SERVICE : s;
            }
        }
        return UNKNOWN_SERVICE;
    }

    /** The first {@code maxAttributes} attributes, keys and values clipped; the rest dropped and counted. */
    private Map<String, String> attributes(List<KeyValue> kvs) {
        if (kvs.isEmpty()) {
            return Map.of();
        }
        int kept = Math.min(kvs.size(), limits.maxAttributes());
        dropped.attributes.addAndGet(kvs.size() - kept);
        Map<String, String> m = new LinkedHashMap<>();
        for (KeyValue kv : kvs.subList(0, kept)) {
            m.put(name(kv.getKey()), value(kv.getValue()));
        }
        return m;
    }

    private String value(AnyValue v) {
        return clip(render(v, limits.maxValueChars()), limits.maxValueChars());
    }

    private String name(String s) {
        return clip(s, limits.maxNameChars());
    }

    /** Bounds the size of any single string kept, so one huge value cannot eat the store. */
    private String clip(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        dropped.clipped.incrementAndGet();
        return s.substring(0, max) + "...";
    }

    private static String first(Map<String, String> attrs, String... keys) {
        for (String k : keys) {
            String v = attrs.get(k);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return "";
    }

    /**
     * The value as text; arrays and maps stop growing once past {@code max} characters (the caller
     * clips the rest), so a deeply nested value costs no more than its clipped text.
     */
    static String render(AnyValue v, int max) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            case BYTES_VALUE ->
                Hex.encode(v.getBytesValue()
                        .substring(0, Math.min(v.getBytesValue().size(), max / 2 + 1)));
            case ARRAY_VALUE -> {
                StringBuilder sb = new StringBuilder("[");
                for (AnyValue e : v.getArrayValue().getValuesList()) {
                    if (sb.length() > max) {
                        break;
                    }
                    sb.append(sb.length() > 1 ? ", " : "").append(render(e, max - sb.length()));
                }
                yield sb.append(']').toString();
            }
            case KVLIST_VALUE -> {
                StringBuilder sb = new StringBuilder("{");
                for (KeyValue kv : v.getKvlistValue().getValuesList()) {
                    if (sb.length() > max) {
                        break;
                    }
                    sb.append(sb.length() > 1 ? ", " : "")
                            .append(kv.getKey(), 0, Math.min(kv.getKey().length(), max))
                            .append('=')
                            .append(render(kv.getValue(), max - sb.length()));
                }
                yield sb.append('}').toString();
            }
            default -> "";
        };
    }

    private static String kind(int k) {
        return switch (k) {
            case 1 -> "INTERNAL";
            case 2 -> "SERVER";
            case 3 -> "CLIENT";
            case 4 -> "PRODUCER";
            case 5 -> "CONSUMER";
            default -> "UNSPECIFIED";
        };
    }

    private static String status(int code) {
        return switch (code) {
            case 1 -> "OK";
            case 2 -> "ERROR";
            default -> "UNSET";
        };
    }

    /** Maps OTLP severity numbers (1-24) to six levels; falls back to the severity text. */
    static String severity(int number, String text) {
        if (number >= 21) {
            return "FATAL";
        } else if (number >= 17) {
            return "ERROR";
        } else if (number >= 13) {
            return "WARN";
        } else if (number >= 9) {
            return "INFO";
        } else if (number >= 5) {
            return "DEBUG";
        } else if (number >= 1) {
            return "TRACE";
        }
        String t = text.toUpperCase(java.util.Locale.ROOT);
        return switch (t) {
            case "WARNING" -> "WARN";
            case "CRITICAL", "SEVERE" -> "FATAL";
            case "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL" -> t;
            default -> "INFO";
        };
    }
}
