package io.marty.observability.logging;

/** How {@link PiiMasker} replaces a sensitive value. */
public enum MaskingStrategy {
    /** Replace the whole value by {@code [REDACTED]} (typed for patterns, e.g. {@code [REDACTED:email]}). */
    REDACT,
    /**
     * Keep the last 4 characters ({@code ****1234}); e-mail addresses keep their first character and
     * domain ({@code j***@example.com}). Bearer tokens and JWTs are always fully redacted.
     */
    PARTIAL,
    /**
     * Replace by {@code sha256:} and the first 16 hex digits of SHA-256(salt + value), so the same
     * secret gives the same token and events stay joinable without revealing the value.
     */
    HASH
}
