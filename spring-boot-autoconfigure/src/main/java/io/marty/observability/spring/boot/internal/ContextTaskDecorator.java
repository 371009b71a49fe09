package io.marty.observability.spring.boot.internal;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.correlation.CorrelationContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.reflect.Method;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.support.ScheduledMethodRunnable;

/**
 * Carries the submitting thread's context into {@code @Async} and executor tasks; a task submitted
 * without a correlation context ({@code @Scheduled} runs, tasks started at startup) gets a new root
 * correlation and an INTERNAL span for each run, so its log lines and outgoing calls are tied
 * together too.
 */
public final class ContextTaskDecorator implements TaskDecorator {

    private static final String INSTRUMENTATION = "io.marty.observability.spring.task";

    private final MartyObservability observability;

    public ContextTaskDecorator(MartyObservability observability) {
        this.observability = observability;
    }

    @Override
    public Runnable decorate(Runnable task) {
        Context captured = Context.current();
        if (CorrelationContext.fromContext(captured).correlationId() != null) {
            return captured.wrap(task);
        }
        String name = spanName(task);
        Tracer tracer = observability.openTelemetry().getTracer(INSTRUMENTATION);
        return () -> runInNewContext(tracer, name, task);
    }

    private static void runInNewContext(Tracer tracer, String name, Runnable task) {
        Context root = Context.root().with(CorrelationContext.newRoot());
        Span span = tracer.spanBuilder(name)
                .setParent(root)
                .setSpanKind(SpanKind.INTERNAL)
                .startSpan();
        try (Scope ignored = root.with(span).makeCurrent()) {
            task.run();
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * {@code task Class.method} for {@code @Scheduled} methods, else {@code task}: low cardinality.
     * The scheduler hands over its own wrappers (the executor's future around Spring's
     * error-handling runnable), which name the method only in {@code toString()} ("…
     * DelegatingErrorHandlingRunnable for pkg.Class.method]"). Only those wrappers are asked, once
     * per scheduled task; anything that is not a plain qualified method name gives {@code task}.
     */
    static String spanName(Runnable task) {
        if (task instanceof ScheduledMethodRunnable scheduled) {
            Method method = scheduled.getMethod();
            return "task " + method.getDeclaringClass().getSimpleName() + "." + method.getName();
        }
        String type = task.getClass().getName();
        if (!type.startsWith("org.springframework.scheduling.") && !type.startsWith("java.util.concurrent.")) {
            return "task";
        }
        String described = task.toString();
        int at = described.indexOf(SCHEDULER_WRAPPER);
        if (at < 0) {
            return "task";
        }
        int from = at + SCHEDULER_WRAPPER.length();
        int to = described.indexOf(']', from);
        String qualified = described.substring(from, to < 0 ? described.length() : to);
        int method = qualified.lastIndexOf('.');
        if (method <= 0
                || qualified.length() > 300
                || !QUALIFIED_METHOD.matcher(qualified).matches()) {
            return "task";
        }
        return "task " + qualified.substring(qualified.lastIndexOf('.', method - 1) + 1);
    }

    private static final String SCHEDULER_WRAPPER = "DelegatingErrorHandlingRunnable for ";

    private static final java.util.regex.Pattern QUALIFIED_METHOD =
            java.util.regex.Pattern.compile("[A-Za-z_][\\w]*(\\.[A-Za-z_][\\w]*)+");
}
