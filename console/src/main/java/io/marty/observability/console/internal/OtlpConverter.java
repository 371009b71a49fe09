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

/** Converts OTLP export requests into console records, collecting per-item rejections. */
public final class OtlpConverter {
    static final String UNKNOWN_SERVICE = "unknown_service";
    private static final int MAX_VALUE_CHARS = 8192;

    private OtlpConverter() {}

    /** Converted items plus the number rejected and the first rejection reason. */
    public record Result<T>(List<T> accepted, long rejected, String firstError) {}

    public static Result<ConsoleSpan> spans(ExportTraceServiceRequest req) {
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
                        firstError = firstError.isEmpty() ? "span '" + clip(s.getName()) + "': " + problem : firstError;
                        continue;
                    }
                    Map<String, String> attrs = attributes(s.getAttributesList());
                    List<ConsoleSpan.Event> events = new ArrayList<>(s.getEventsCount());
                    for (Span.Event e : s.getEventsList()) {
                        events.add(new ConsoleSpan.Event(
                                e.getName(), e.getTimeUnixNano(), attributes(e.getAttributesList())));
                    }
                    long duration = Math.max(0, s.getEndTimeUnixNano() - s.getStartTimeUnixNano());
                    out.add(new ConsoleSpan(
                            0,
                            Hex.encode(s.getTraceId()),
                            Hex.encode(s.getSpanId()),
                            s.getParentSpanId().isEmpty() ? "" : Hex.encode(s.getParentSpanId()),
                            clip(s.getName()),
                            kind(s.getKindValue()),
                            service,
                            s.getStartTimeUnixNano(),
                            duration,
                            status(s.getStatus().getCodeValue()),
                            clip(s.getStatus().getMessage()),
                            attrs.getOrDefault("mmf.correlation_id", ""),
                            attrs,
                            events));
                }
            }
        }
        return new Result<>(out, rejected, firstError);
    }

    public static Result<ConsoleLog> logs(ExportLogsServiceRequest req) {
        List<ConsoleLog> out = new ArrayList<>();
        long rejected = 0;
        String firstError = "";
        for (ResourceLogs rl : req.getResourceLogsList()) {
            String service = serviceName(rl.getResource().getAttributesList());
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                String scope = sl.getScope().getName();
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
                            clip(render(r.getBody())),
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

    public static Result<ConsoleMetricPoint> metrics(ExportMetricsServiceRequest req) {
        List<ConsoleMetricPoint> out = new ArrayList<>();
        long rejected = 0;
        String firstError = "";
        for (ResourceMetrics rm : req.getResourceMetricsList()) {
            String service = serviceName(rm.getResource().getAttributesList());
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    switch (m.getDataCase()) {
                        case GAUGE ->
                            m.getGauge().getDataPointsList().forEach(p -> out.add(number(m, service, "gauge", p)));
                        case SUM -> m.getSum().getDataPointsList().forEach(p -> out.add(number(m, service, "sum", p)));
                        case HISTOGRAM ->
                            m.getHistogram().getDataPointsList().forEach(p -> out.add(histogram(m, service, p)));
                        case EXPONENTIAL_HISTOGRAM ->
                            m.getExponentialHistogram()
                                    .getDataPointsList()
                                    .forEach(p -> out.add(summaryLike(
                                            m,
                                            service,
                                            "exponential_histogram",
                                            p.getTimeUnixNano(),
                                            attributes(p.getAttributesList()),
                                            p.getCount(),
                                            p.getSum(),
                                            exemplars(p.getExemplarsList()))));
                        case SUMMARY ->
                            m.getSummary()
                                    .getDataPointsList()
                                    .forEach(p -> out.add(summaryLike(
                                            m,
                                            service,
                                            "summary",
                                            p.getTimeUnixNano(),
                                            attributes(p.getAttributesList()),
                                            p.getCount(),
                                            p.getSum(),
                                            List.of())));
                        default -> {
                            rejected++;
                            firstError = firstError.isEmpty()
                                    ? "metric '" + clip(m.getName()) + "' has no data"
                                    : firstError;
                        }
                    }
                }
            }
        }
        return new Result<>(out, rejected, firstError);
    }

    private static ConsoleMetricPoint number(Metric m, String service, String type, NumberDataPoint p) {
        double v = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
        return new ConsoleMetricPoint(
                0,
                m.getName(),
                service,
                type,
                m.getUnit(),
                p.getTimeUnixNano(),
                attributes(p.getAttributesList()),
                v,
                0,
                0,
                List.of(),
                List.of(),
                exemplars(p.getExemplarsList()));
    }

    private static ConsoleMetricPoint histogram(Metric m, String service, HistogramDataPoint p) {
        return new ConsoleMetricPoint(
                0,
                m.getName(),
                service,
                "histogram",
                m.getUnit(),
                p.getTimeUnixNano(),
                attributes(p.getAttributesList()),
                p.getCount() == 0 ? 0 : p.getSum() / p.getCount(),
                p.getCount(),
                p.getSum(),
                List.copyOf(p.getExplicitBoundsList()),
                List.copyOf(p.getBucketCountsList()),
                exemplars(p.getExemplarsList()));
    }

    private static ConsoleMetricPoint summaryLike(
            Metric m,
            String service,
            String type,
            long time,
            Map<String, String> attrs,
            long count,
            double sum,
            List<ConsoleMetricPoint.Exemplar> ex) {
        return new ConsoleMetricPoint(
                0,
                m.getName(),
                service,
                type,
                m.getUnit(),
                time,
                attrs,
                count == 0 ? 0 : sum / count,
                count,
                sum,
                List.of(),
                List.of(),
                ex);
    }

    private static List<ConsoleMetricPoint.Exemplar> exemplars(List<Exemplar> list) {
        if (list.isEmpty()) {
            return List.of();
        }
        List<ConsoleMetricPoint.Exemplar> out = new ArrayList<>(list.size());
        for (Exemplar e : list) {
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

    static String serviceName(List<KeyValue> resourceAttrs) {
        for (KeyValue kv : resourceAttrs) {
            if ("service.name".equals(kv.getKey())) {
                String s = render(kv.getValue());
                return s.isEmpty() ? UNKNOWN_SERVICE : clip(s);
            }
        }
        return UNKNOWN_SERVICE;
    }

    static Map<String, String> attributes(List<KeyValue> kvs) {
        if (kvs.isEmpty()) {
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (KeyValue kv : kvs) {
            m.put(clip(kv.getKey()), clip(render(kv.getValue())));
        }
        return m;
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

    static String render(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            case BYTES_VALUE -> Hex.encode(v.getBytesValue());
            case ARRAY_VALUE -> {
                StringBuilder sb = new StringBuilder("[");
                for (AnyValue e : v.getArrayValue().getValuesList()) {
                    sb.append(sb.length() > 1 ? ", " : "").append(render(e));
                }
                yield sb.append(']').toString();
            }
            case KVLIST_VALUE -> {
                StringBuilder sb = new StringBuilder("{");
                for (KeyValue kv : v.getKvlistValue().getValuesList()) {
                    sb.append(sb.length() > 1 ? ", " : "")
                            .append(kv.getKey())
                            .append('=')
                            .append(render(kv.getValue()));
                }
                yield sb.append('}').toString();
            }
            default -> "";
        };
    }

    /** Bounds the size of any single string we keep, so one huge attribute cannot eat the store. */
    static String clip(String s) {
        return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS) + "...";
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
