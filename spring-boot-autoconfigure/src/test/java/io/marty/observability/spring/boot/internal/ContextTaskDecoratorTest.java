package io.marty.observability.spring.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.scheduling.support.DelegatingErrorHandlingRunnable;
import org.springframework.scheduling.support.ScheduledMethodRunnable;
import org.springframework.scheduling.support.TaskUtils;

class ContextTaskDecoratorTest {

    public static class Sweeper {
        public void sweep() {}
    }

    @Test
    void scheduledMethodsNameTheirSpanThroughTheSchedulersWrappers() throws Exception {
        ScheduledMethodRunnable scheduled =
                new ScheduledMethodRunnable(new Sweeper(), Sweeper.class.getMethod("sweep"));
        Runnable wrapped = new DelegatingErrorHandlingRunnable(scheduled, TaskUtils.LOG_AND_SUPPRESS_ERROR_HANDLER);

        assertThat(ContextTaskDecorator.spanName(scheduled)).isEqualTo("task Sweeper.sweep");
        // a nested class has '$' in its binary name: not taken from toString(), so a plain name
        assertThat(ContextTaskDecorator.spanName(wrapped)).isEqualTo("task");
    }

    @Test
    void theSchedulersFutureAroundATopLevelClassesMethodNamesIt() throws Exception {
        java.util.concurrent.ScheduledThreadPoolExecutor executor =
                new java.util.concurrent.ScheduledThreadPoolExecutor(1) {
                    @Override
                    protected <V> java.util.concurrent.RunnableScheduledFuture<V> decorateTask(
                            Runnable runnable, java.util.concurrent.RunnableScheduledFuture<V> task) {
                        names.add(ContextTaskDecorator.spanName(task));
                        return task;
                    }
                };
        try {
            Runnable wrapped = new DelegatingErrorHandlingRunnable(
                    new ScheduledMethodRunnable(new StringBuilder(), StringBuilder.class.getMethod("trimToSize")),
                    TaskUtils.LOG_AND_SUPPRESS_ERROR_HANDLER);
            executor.schedule(wrapped, 1, java.util.concurrent.TimeUnit.HOURS);
            assertThat(names).containsExactly("task StringBuilder.trimToSize");
        } finally {
            executor.shutdownNow();
        }
    }

    private final java.util.List<String> names = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    void lambdasAndOtherRunnablesGetThePlainName() {
        Runnable lambda = () -> {};
        Runnable wrappedLambda = new DelegatingErrorHandlingRunnable(lambda, TaskUtils.LOG_AND_SUPPRESS_ERROR_HANDLER);

        assertThat(ContextTaskDecorator.spanName(lambda)).isEqualTo("task");
        assertThat(ContextTaskDecorator.spanName(wrappedLambda)).isEqualTo("task");
    }
}
