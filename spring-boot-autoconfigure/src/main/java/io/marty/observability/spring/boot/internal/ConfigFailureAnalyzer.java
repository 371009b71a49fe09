package io.marty.observability.spring.boot.internal;

import io.marty.observability.core.ObservabilityConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a rejected Marty setting into Boot's startup report: which property (or environment
 * variable) holds which bad value, what is wrong, and what to change.
 */
public final class ConfigFailureAnalyzer extends AbstractFailureAnalyzer<ObservabilityConfigException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ObservabilityConfigException cause) {
        String property = PropertiesMapping.propertyOf(cause.key());
        String where = property != null ? "property '" + property + "'" : "setting '" + cause.key() + "'";
        String value = cause.value() == null ? "(missing)" : "'" + cause.value() + "'";
        String description = "Marty Observability could not start: " + where + " has the invalid value " + value
                + ".\n\n" + cause.getMessage();
        String action = "serviceName".equals(cause.key())
                ? "Set marty.service.name (or spring.application.name, or OTEL_SERVICE_NAME) to the name of this service."
                : property != null
                        ? "Correct '" + property + "' in application.yml/properties (or remove it to fall back to the"
                                + " OTEL_*/MMF_* environment variables and defaults), or set marty.enabled=false."
                        : "Correct the environment variable or system property '" + cause.key()
                                + "', or set the matching marty.* property, which takes precedence.";
        return new FailureAnalysis(description, action, cause);
    }
}
