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
    void lambdasAndOtherRunnablesGetThePlainName() {
        Runnable lambda = () -> {};
        Runnable wrappedLambda = new DelegatingErrorHandlingRunnable(lambda, TaskUtils.LOG_AND_SUPPRESS_ERROR_HANDLER);

        assertThat(ContextTaskDecorator.spanName(lambda)).isEqualTo("task");
        assertThat(ContextTaskDecorator.spanName(wrappedLambda)).isEqualTo("task");
    }
}
