package io.marty.observability.core.config;

import io.marty.observability.core.ObservabilityConfigException;

/** A resolved value with the key that supplied it (builder property or variable), for error messages. */
final class Setting<T> {
    final String key;
    final String raw;
    final T value;

    Setting(String key, String raw, T value) {
        this.key = key;
        this.raw = raw;
        this.value = value;
    }

    /** An exception naming this setting's key and raw value. */
    ObservabilityConfigException invalid(String reason) {
        return new ObservabilityConfigException(key, raw, reason);
    }

    boolean isSet() {
        return value != null;
    }
}
