package io.marty.observability.spring.boot.internal;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.jdbc.MartyDataSource;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps every {@link DataSource} bean in a {@link MartyDataSource}, once: a DataSource that already
 * is, or wraps, a MartyDataSource is left as it is. The pool stays reachable with {@code
 * unwrap(HikariDataSource.class)}.
 */
public final class DataSourceTracing implements BeanPostProcessor {
    private final ObjectProvider<MartyObservability> observability;
    private final Duration slowQueryThreshold;

    /**
     * @throws IllegalArgumentException naming {@code marty.jdbc.slow-query-threshold} when it is not positive
     */
    public DataSourceTracing(ObjectProvider<MartyObservability> observability, Duration slowQueryThreshold) {
        if (slowQueryThreshold.isZero() || slowQueryThreshold.isNegative()) {
            throw new IllegalArgumentException(
                    "marty.jdbc.slow-query-threshold: must be positive, got '" + slowQueryThreshold + "'");
        }
        this.observability = observability;
        this.slowQueryThreshold = slowQueryThreshold;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource dataSource) || traced(dataSource)) {
            return bean;
        }
        MartyObservability obs = observability.getIfAvailable();
        if (obs == null) {
            return bean;
        }
        return MartyDataSource.builder(dataSource, obs)
                .slowQueryThreshold(slowQueryThreshold)
                .build();
    }

    private static boolean traced(DataSource dataSource) {
        if (dataSource instanceof MartyDataSource) {
            return true;
        }
        try {
            return dataSource.isWrapperFor(MartyDataSource.class);
        } catch (SQLException | RuntimeException e) {
            // a DataSource that cannot answer is not one of ours
            return false;
        }
    }
}
