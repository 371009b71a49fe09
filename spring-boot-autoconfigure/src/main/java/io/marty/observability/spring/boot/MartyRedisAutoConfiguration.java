package io.marty.observability.spring.boot;

import io.lettuce.core.AbstractRedisClient;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.redis.MartyRedisCommandListener;
import io.marty.observability.spring.boot.internal.LettuceConnectionFactoryTracing;
import io.marty.observability.spring.boot.internal.RedisClientTracing;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Redis, when Marty's redis module and Lettuce are on the class path: a {@link
 * MartyRedisCommandListener} on the Lettuce client of Spring Data Redis' {@code
 * LettuceConnectionFactory} (Boot's or the application's) and on every Lettuce {@code RedisClient}
 * bean, so each command is a CLIENT span under the caller's span and counted in {@code
 * mmf_cache_operations_total{cache=...}}. Nothing to write in the application:
 *
 * <pre>{@code
 * @Autowired StringRedisTemplate redis;
 * redis.opsForValue().get("order:42");   // span GET, result hit/miss
 * }</pre>
 *
 * <p>Off with {@code marty.redis.enabled=false}; {@code marty.redis.cache} sets the {@code cache}
 * label (default {@code redis}).
 */
@AutoConfiguration(after = MartyAutoConfiguration.class)
@ConditionalOnClass({AbstractRedisClient.class, MartyRedisCommandListener.class})
@ConditionalOnBooleanProperty(name = "marty.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "marty.redis.enabled", matchIfMissing = true)
@ConditionalOnBean(MartyObservability.class)
public class MartyRedisAutoConfiguration {

    private static final String FACTORY = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";

    private static String cache(Environment environment) {
        return Binder.get(environment).bind("marty.redis.cache", String.class).orElse("redis");
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = FACTORY)
    static class SpringDataRedis {
        @Bean
        static LettuceConnectionFactoryTracing martyRedisTracing(
                ObjectProvider<MartyObservability> observability, Environment environment) {
            return new LettuceConnectionFactoryTracing(observability, cache(environment));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(FACTORY)
    static class LettuceOnly {
        @Bean
        static RedisClientTracing martyRedisTracing(
                ObjectProvider<MartyObservability> observability, Environment environment) {
            return new RedisClientTracing(observability, cache(environment));
        }
    }
}
