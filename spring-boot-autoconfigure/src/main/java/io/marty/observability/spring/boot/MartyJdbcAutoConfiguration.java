package io.marty.observability.spring.boot;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.jdbc.MartyDataSource;
import io.marty.observability.spring.boot.internal.DataSourceTracing;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * JDBC, when Marty's jdbc module is on the class path: every {@link DataSource} bean (Boot's pool
 * or the application's own) is wrapped in a {@link MartyDataSource}, so statements become CLIENT
 * spans under the request's span with its correlation id, plus {@code mmf_db_client_*} metrics and
 * the slow-query log. A DataSource is wrapped once; the pool stays reachable through {@code
 * unwrap}:
 *
 * <pre>{@code
 * HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
 * }</pre>
 *
 * <p>Off with {@code marty.jdbc.enabled=false}; {@code marty.jdbc.slow-query-threshold} (default
 * 500 ms) sets the slow-query log's threshold.
 */
@AutoConfiguration(after = MartyAutoConfiguration.class)
@ConditionalOnClass({DataSource.class, MartyDataSource.class})
@ConditionalOnBooleanProperty(name = "marty.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "marty.jdbc.enabled", matchIfMissing = true)
@ConditionalOnBean(MartyObservability.class)
public class MartyJdbcAutoConfiguration {

    // static: a BeanPostProcessor is created before the other beans; the environment is read
    // directly because MartyProperties is not bound yet at that point
    @Bean
    static DataSourceTracing martyDataSourceTracing(
            ObjectProvider<MartyObservability> observability, Environment environment) {
        return new DataSourceTracing(
                observability,
                Binder.get(environment)
                        .bind("marty.jdbc.slow-query-threshold", Duration.class)
                        .orElse(MartyDataSource.DEFAULT_SLOW_QUERY_THRESHOLD));
    }
}
