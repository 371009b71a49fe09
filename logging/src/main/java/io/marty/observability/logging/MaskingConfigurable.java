package io.marty.observability.logging;

import org.jspecify.annotations.Nullable;

/**
 * The PII masking properties shared by {@link MartyJsonEncoder} and {@link MaskingAppender}.
 * Logback's configurator finds these setters on both components:
 *
 * <pre>{@code
 * <maskingStrategy>hash</maskingStrategy>
 * <maskingSalt>${LOG_HASH_SALT}</maskingSalt>
 * <sensitiveKeys>iban,tax_id</sensitiveKeys>
 * }</pre>
 */
public interface MaskingConfigurable {
    /** The component's masking settings (mutable until the component starts). */
    MaskingSettings maskingSettings();

    /** Comma-separated keys added to {@link PiiMasker#DEFAULT_SENSITIVE_KEYS}. */
    default void setSensitiveKeys(@Nullable String sensitiveKeys) {
        maskingSettings().sensitiveKeys = sensitiveKeys;
    }

    /** {@code redact} (default), {@code partial} or {@code hash}. */
    default void setMaskingStrategy(@Nullable String maskingStrategy) {
        maskingSettings().strategy = maskingStrategy;
    }

    /** Salt for the {@code hash} strategy. */
    default void setMaskingSalt(@Nullable String maskingSalt) {
        maskingSettings().salt = maskingSalt;
    }

    /** Uses this masker instead of one built from the masking properties. */
    default void setMasker(@Nullable PiiMasker masker) {
        maskingSettings().masker = masker;
    }

    /** Values of the masking properties of one component. */
    final class MaskingSettings {
        String sensitiveKeys;
        String strategy;
        String salt;
        PiiMasker masker;

        /** The masker given by {@link #setMasker}, else one built from the properties (fails fast). */
        PiiMasker build() {
            return masker != null ? masker : PiiMasker.fromProperties(strategy, salt, sensitiveKeys);
        }
    }
}
