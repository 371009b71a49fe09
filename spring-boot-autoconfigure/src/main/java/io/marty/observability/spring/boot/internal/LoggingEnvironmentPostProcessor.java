package io.marty.observability.spring.boot.internal;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Points {@code logging.config} at Marty's default Logback file (JSON lines with the MMF schema on
 * stdout, through the bounded async appender) unless the application chose a logging configuration
 * itself ({@code logging.config}, or a {@code logback-spring.xml}/{@code logback.xml} of its own),
 * Logback is absent, {@code marty.enabled=false} or {@code marty.logs.json-console=false}. Runs
 * before Boot's logging system starts.
 */
public final class LoggingEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** The default configuration shipped in this jar. */
    public static final String CONFIG = "classpath:io/marty/observability/spring/boot/logback-spring.xml";

    private static final String[] OWN_FILES = {
        "logback-spring.xml", "logback-spring.groovy", "logback.xml", "logback-test.xml"
    };

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        ClassLoader loader = application.getClassLoader();
        if (!environment.getProperty("marty.enabled", Boolean.class, true)
                || !environment.getProperty("marty.logs.json-console", Boolean.class, true)
                || environment.containsProperty("logging.config")
                || !ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext", loader)
                || !ClassUtils.isPresent("io.marty.observability.logging.MartyJsonEncoder", loader)) {
            return;
        }
        ClassLoader resources = loader != null ? loader : ClassUtils.getDefaultClassLoader();
        for (String own : OWN_FILES) {
            if (resources != null && resources.getResource(own) != null) {
                return;
            }
        }
        environment
                .getPropertySources()
                .addLast(new MapPropertySource("marty-logging", Map.of("logging.config", CONFIG)));
    }
}
