package io.marty.observability.spring.boot.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisURI;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.redis.MartyRedisCommandListener;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Adds a {@link MartyRedisCommandListener} to every Lettuce {@code RedisClient} / {@code
 * RedisClusterClient} bean. Lettuce reads its command listeners when a connection is opened, so
 * connections a bean opened in its own initialisation are not traced.
 */
public class RedisClientTracing implements BeanPostProcessor {
    private final ObjectProvider<MartyObservability> observability;
    private final String cache;

    public RedisClientTracing(ObjectProvider<MartyObservability> observability, String cache) {
        this.observability = observability;
        this.cache = cache;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AbstractRedisClient client) {
            addListener(client, null);
        }
        return bean;
    }

    /** Adds a listener to {@code client}; {@code server} (when known) names the server on the spans. */
    protected final void addListener(AbstractRedisClient client, @Nullable RedisURI server) {
        MartyObservability obs = observability.getIfAvailable();
        if (obs == null) {
            return;
        }
        MartyRedisCommandListener.Builder listener =
                MartyRedisCommandListener.builder(obs).cache(cache);
        if (server != null) {
            listener.server(server);
        }
        client.addListener(listener.build());
    }
}
