package io.marty.observability.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Queue/batch settings of the span and log batch processors: defaults, environment, validation. */
class BatchExportConfigTest {

    @Test
    void defaultsAreFourSdkBatchesPerSpanExportAndTheSdkDefaultsForLogs() {
        ObservabilityConfig c = ObservabilityConfig.builder().serviceName("s").build();
        assertThat(c.spanExportQueueSize()).isEqualTo(8192);
        assertThat(c.spanExportBatchSize()).isEqualTo(2048);
        assertThat(c.spanExportScheduleDelay()).isEqualTo(Duration.ofMillis(5000));
        assertThat(c.spanExportTimeout()).isEqualTo(Duration.ofMillis(30000));
        assertThat(c.logExportQueueSize()).isEqualTo(2048);
        assertThat(c.logExportBatchSize()).isEqualTo(512);
        assertThat(c.logExportScheduleDelay()).isEqualTo(Duration.ofMillis(1000));
        assertThat(c.logExportTimeout()).isEqualTo(Duration.ofMillis(30000));
    }

    @Test
    void standardVariablesAreRead() {
        ObservabilityConfig c = ObservabilityConfig.fromEnvironment(Map.of(
                "OTEL_SERVICE_NAME", "s",
                "OTEL_BSP_MAX_QUEUE_SIZE", "8192",
                "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "1024",
                "OTEL_BSP_SCHEDULE_DELAY", "200",
                "OTEL_BSP_EXPORT_TIMEOUT", "3000",
                "OTEL_BLRP_MAX_QUEUE_SIZE", "100",
                "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "10",
                "OTEL_BLRP_SCHEDULE_DELAY", "0",
                "OTEL_BLRP_EXPORT_TIMEOUT", "500"));
        assertThat(c.spanExportQueueSize()).isEqualTo(8192);
        assertThat(c.spanExportBatchSize()).isEqualTo(1024);
        assertThat(c.spanExportScheduleDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.spanExportTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.logExportQueueSize()).isEqualTo(100);
        assertThat(c.logExportBatchSize()).isEqualTo(10);
        assertThat(c.logExportScheduleDelay()).isZero();
        assertThat(c.logExportTimeout()).isEqualTo(Duration.ofMillis(500));
        // toBuilder keeps them, the builder overrides the environment
        ObservabilityConfig d = c.toBuilder().spanExportQueueSize(4096).build();
        assertThat(d.spanExportQueueSize()).isEqualTo(4096);
        assertThat(d.spanExportBatchSize()).isEqualTo(1024);
        assertThat(d.logExportQueueSize()).isEqualTo(100);
    }

    @Test
    void aSpanQueueSetAloneGetsAQuarterOfItAsBatch() {
        assertThat(ObservabilityConfig.fromEnvironment(
                                Map.of("OTEL_SERVICE_NAME", "s", "OTEL_BSP_MAX_QUEUE_SIZE", "2048"))
                        .spanExportBatchSize())
                .isEqualTo(512);
        assertThat(ObservabilityConfig.builder()
                        .serviceName("s")
                        .spanExportQueueSize(1024)
                        .build()
                        .spanExportBatchSize())
                .isEqualTo(256);
        assertThat(ObservabilityConfig.builder()
                        .serviceName("s")
                        .spanExportQueueSize(3)
                        .build()
                        .spanExportBatchSize())
                .isEqualTo(1);
        assertThat(ObservabilityConfig.builder()
                        .serviceName("s")
                        .spanExportQueueSize(65536)
                        .build()
                        .spanExportBatchSize())
                .isEqualTo(2048);
    }

    @Test
    void badVariablesNameTheVariableAndValue() {
        assertEnvError("OTEL_BSP_MAX_QUEUE_SIZE", "lots", "must be an integer");
        assertEnvError("OTEL_BSP_MAX_QUEUE_SIZE", "0", "must be at least 1");
        assertEnvError("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "16384", "between 1 and the queue size (8192)");
        assertEnvError("OTEL_BSP_SCHEDULE_DELAY", "-5", "zero or a positive duration");
        assertEnvError("OTEL_BSP_EXPORT_TIMEOUT", "0", "positive duration");
        assertEnvError("OTEL_BSP_EXPORT_TIMEOUT", "5s", "whole number of milliseconds");
        assertEnvError("OTEL_BLRP_MAX_QUEUE_SIZE", "-1", "must be at least 1");
        assertEnvError("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "0", "between 1 and the queue size");
    }

    @Test
    void badBuilderValuesNameTheProperty() {
        assertThatThrownBy(() -> ObservabilityConfig.builder()
                        .serviceName("s")
                        .spanExportQueueSize(16)
                        .spanExportBatchSize(32)
                        .build())
                .isInstanceOf(ObservabilityConfigException.class)
                .hasMessageContaining("spanExportBatchSize='32'")
                .hasMessageContaining("queue size (16)");
        assertThatThrownBy(() -> ObservabilityConfig.builder()
                        .serviceName("s")
                        .logExportTimeout(Duration.ofSeconds(-1))
                        .build())
                .isInstanceOf(ObservabilityConfigException.class)
                .hasMessageContaining("logExportTimeout");
        assertThatThrownBy(() -> ObservabilityConfig.builder()
                        .serviceName("s")
                        .spanExportScheduleDelay(null)
                        .build())
                .isInstanceOf(ObservabilityConfigException.class)
                .hasMessageContaining("spanExportScheduleDelay");
    }

    private static void assertEnvError(String variable, String value, String reason) {
        ObservabilityConfigException e = catchThrowableOfType(
                ObservabilityConfigException.class,
                () -> ObservabilityConfig.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "s", variable, value)));
        assertThat(e).as("%s=%s", variable, value).isNotNull();
        assertThat(e.key()).isEqualTo(variable);
        assertThat(e.value()).isEqualTo(value);
        assertThat(e.getMessage()).contains(reason);
    }
}
