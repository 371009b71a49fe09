package io.marty.observability.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.event.command.CommandBaseEvent;
import io.lettuce.core.event.command.CommandFailedEvent;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.lettuce.core.event.command.CommandSucceededEvent;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.RedisCommand;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.core.metrics.MartyCounter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Lettuce command listener: one CLIENT span per Redis command (child of the context current where the
 * command is issued, so it carries the correlation attributes), named after the command, with {@code
 * db.system.name=redis}, {@code db.operation.name} and {@code server.address}/{@code server.port} —
 * never a key or value. Pipelined commands ({@code connection.setAutoFlushCommands(false)}, then {@code flushCommands()}) each get their
 * span. Counts {@code mmf_cache_operations_total{service,cache,operation,result}}: {@code hit}/{@code
 * miss} for reads ({@code GET}, {@code GETEX}, {@code GETDEL}, {@code HGET}, {@code HGETALL}, {@code
 * EXISTS}), {@code success} for the other commands, {@code error} for failures. Instrumentation failures
 * are counted under {@value #COMPONENT}; the command is never affected.
 *
 * <pre>{@code
 * RedisURI uri = RedisURI.create("redis://cache:6379");
 * RedisClient client = RedisClient.create(uri);
 * client.addListener(MartyRedisCommandListener.builder(observability).cache("orders").server(uri).build());
 * }</pre>
 */
public final class MartyRedisCommandListener implements CommandListener {
    /** The {@code InstrumentationErrors} component of the Redis integration. */
    public static final String COMPONENT = InstrumentationErrors.REDIS;

    private static final String INSTRUMENTATION = "io.marty.observability.redis";
    private static final String SPAN_KEY = MartyRedisCommandListener.class.getName() + ".span";
    private static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
    private static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
    private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final Set<String> READS = Set.of("GET", "GETEX", "GETDEL", "HGET", "HGETALL", "EXISTS");

    private final Tracer tracer;
    private final InstrumentationErrors errors;
    private final MartyCounter operations;
    private final String cache;
    private final @Nullable String host;
    private final int port;

    private MartyRedisCommandListener(Builder b) {
        this.tracer = b.observability.openTelemetry().getTracer(INSTRUMENTATION);
        this.errors = b.observability.metrics().instrumentationErrors();
        this.operations = b.observability
                .metrics()
                .counter(
                        "cache_operations_total",
                        "Cache operations by result (hit, miss, success, error).",
                        "cache",
                        "operation",
                        "result");
        this.cache = b.cache;
        this.host = b.host;
        this.port = b.port;
    }

    /** A listener with cache label {@code redis} and no server address. */
    public static MartyRedisCommandListener create(MartyObservability observability) {
        return builder(observability).build();
    }

    /** A builder. */
    public static Builder builder(MartyObservability observability) {
        return new Builder(observability);
    }

    @Override
    public void commandStarted(CommandStartedEvent event) {
        try {
            String operation = operation(event.getCommand());
            SpanBuilder b = tracer.spanBuilder(operation)
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute(DB_SYSTEM_NAME, "redis")
                    .setAttribute(DB_OPERATION_NAME, operation);
            if (host != null) {
                b.setAttribute(SERVER_ADDRESS, host);
                b.setAttribute(SERVER_PORT, (long) port);
            }
            event.getContext().put(SPAN_KEY, b.startSpan());
        } catch (RuntimeException e) {
            errors.record(COMPONENT, "cannot start the Redis span", e);
        }
    }

    @Override
    public void commandSucceeded(CommandSucceededEvent event) {
        try {
            String operation = operation(event.getCommand());
            end(event, null);
            operations
                    .labels(cache, operation, result(operation, event.getCommand()))
                    .inc();
        } catch (RuntimeException e) {
            errors.record(COMPONENT, "cannot end the Redis span", e);
        }
    }

    @Override
    public void commandFailed(CommandFailedEvent event) {
        try {
            end(event, event.getCause());
            operations.labels(cache, operation(event.getCommand()), "error").inc();
        } catch (RuntimeException e) {
            errors.record(COMPONENT, "cannot end the Redis span", e);
        }
    }

    private static void end(CommandBaseEvent event, @Nullable Throwable failure) {
        Object span = event.getContext().remove(SPAN_KEY);
        if (span instanceof Span s) {
            if (failure != null) {
                // the message may quote the command's arguments
                s.setStatus(StatusCode.ERROR);
                s.setAttribute(ERROR_TYPE, failure.getClass().getName());
            }
            s.end();
        }
    }

    private static String operation(RedisCommand<?, ?, ?> command) {
        return command.getType() == null ? "UNKNOWN" : command.getType().toString();
    }

    /** {@code hit}/{@code miss} for reads by the reply (nil, empty or 0 is a miss), else {@code success}. */
    private static String result(String operation, RedisCommand<?, ?, ?> command) {
        if (!READS.contains(operation)) {
            return "success";
        }
        CommandOutput<?, ?, ?> output = command.getOutput();
        Object value = output == null ? null : output.get();
        boolean miss = value == null
                || value instanceof Map<?, ?> m && m.isEmpty()
                || value instanceof Collection<?> c && c.isEmpty()
                || value instanceof Long l && l == 0L;
        return miss ? "miss" : "hit";
    }

    /** Settings of a {@link MartyRedisCommandListener}. */
    public static final class Builder {
        private final MartyObservability observability;
        private String cache = "redis";
        private @Nullable String host;
        private int port;

        private Builder(MartyObservability observability) {
            this.observability = Objects.requireNonNull(observability, "observability");
        }

        /**
         * The {@code cache} label value (default {@code redis}): a fixed name per client, such as {@code orders}.
         *
         * @throws IllegalArgumentException when blank
         */
        public Builder cache(String cache) {
            if (cache == null || cache.isBlank()) {
                throw new IllegalArgumentException("cache: must not be blank");
            }
            this.cache = cache;
            return this;
        }

        /** {@code server.address}/{@code server.port} of the spans, from the URI the client connects to. */
        public Builder server(RedisURI uri) {
            Objects.requireNonNull(uri, "uri");
            this.host = uri.getHost();
            this.port = uri.getPort();
            return this;
        }

        /** The listener; add it with {@code RedisClient.addListener}. */
        public MartyRedisCommandListener build() {
            return new MartyRedisCommandListener(this);
        }
    }
}
