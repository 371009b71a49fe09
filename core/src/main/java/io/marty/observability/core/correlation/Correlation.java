package io.marty.observability.core.correlation;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * Static helpers around {@link CorrelationContext} for application code.
 *
 * <pre>{@code
 * Order order = Correlation.withCorrelation("create-order", () -> service.create(request));
 * String cid = Correlation.currentCorrelationId().orElse("-");
 * }</pre>
 */
public final class Correlation {

    private Correlation() {}

    /**
     * Runs {@code body} in a child of the current correlation context (same correlation id, a fresh
     * one when none is set; new request id; parent kept) whose operation id is {@code
     * operationName}. The previous context (and MDC) is restored afterwards, even on exceptions.
     */
    public static <T extends @Nullable Object> T withCorrelation(String operationName, Callable<T> body)
            throws Exception {
        Objects.requireNonNull(body, "body");
        return withCorrelation(childFor(operationName), body);
    }

    /** Like {@link #withCorrelation(String, Callable)} for code that returns nothing. */
    public static void withCorrelation(String operationName, Runnable body) {
        Objects.requireNonNull(body, "body");
        withCorrelation(childFor(operationName), body);
    }

    /** Runs {@code body} with {@code context} as the current correlation context. */
    public static <T extends @Nullable Object> T withCorrelation(CorrelationContext context, Callable<T> body)
            throws Exception {
        try (Scope ignored = Objects.requireNonNull(context, "context").makeCurrent()) {
            return body.call();
        }
    }

    /** Runs {@code body} with {@code context} as the current correlation context. */
    public static void withCorrelation(CorrelationContext context, Runnable body) {
        try (Scope ignored = Objects.requireNonNull(context, "context").makeCurrent()) {
            body.run();
        }
    }

    /**
     * Makes {@code context} current until the returned scope is closed (use try-with-resources).
     */
    public static Scope attach(CorrelationContext context) {
        return Objects.requireNonNull(context, "context").makeCurrent();
    }

    /**
     * The current correlation context if it has a correlation id, else a new root context stored in
     * a new {@link Context} derived from the current one (not attached).
     */
    public static CorrelationContext currentOrNewRoot() {
        CorrelationContext c = CorrelationContext.current();
        return c.correlationId() != null ? c : CorrelationContext.newRoot();
    }

    /** Correlation id of the current context. */
    public static Optional<String> currentCorrelationId() {
        return Optional.ofNullable(CorrelationContext.current().correlationId());
    }

    /** Request id of the current context. */
    public static Optional<String> currentRequestId() {
        return Optional.ofNullable(CorrelationContext.current().requestId());
    }

    /** Parent request id of the current context. */
    public static Optional<String> currentParentRequestId() {
        return Optional.ofNullable(CorrelationContext.current().parentRequestId());
    }

    /** User id of the current context. */
    public static Optional<String> currentUserId() {
        return Optional.ofNullable(CorrelationContext.current().userId());
    }

    /** Session id of the current context. */
    public static Optional<String> currentSessionId() {
        return Optional.ofNullable(CorrelationContext.current().sessionId());
    }

    /** Operation id of the current context. */
    public static Optional<String> currentOperationId() {
        return Optional.ofNullable(CorrelationContext.current().operationId());
    }

    /** Plugin id of the current context. */
    public static Optional<String> currentPluginId() {
        return Optional.ofNullable(CorrelationContext.current().pluginId());
    }

    private static CorrelationContext childFor(String operationName) {
        return CorrelationContext.current().newChild().toBuilder()
                .operationId(operationName)
                .build();
    }
}
