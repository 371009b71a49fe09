package io.marty.observability.spring.boot.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisURI;
import io.marty.observability.core.MartyObservability;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@link RedisClientTracing} that also reaches the client inside Spring Data Redis' {@link
 * LettuceConnectionFactory}, which creates it when it starts: at initialisation unless the factory
 * is set to start late ({@code setEarlyStartup(false)}); a late-starting factory is not traced.
 */
public final class LettuceConnectionFactoryTracing extends RedisClientTracing {

    public LettuceConnectionFactoryTracing(ObjectProvider<MartyObservability> observability, String cache) {
        super(observability, cache);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof LettuceConnectionFactory factory) {
            AbstractRedisClient client = factory.getNativeClient();
            if (client != null) {
                addListener(
                        client,
                        factory.isClusterAware() || factory.isRedisSentinelAware()
                                ? null
                                : RedisURI.create(factory.getHostName(), factory.getPort()));
            }
            return bean;
        }
        return super.postProcessAfterInitialization(bean, beanName);
    }
}
