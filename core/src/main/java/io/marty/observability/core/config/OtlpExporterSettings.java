package io.marty.observability.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The resolved OTLP exporter settings of one {@link Signal}: what the exporter of that signal is
 * built with. Obtained from {@link OtlpSettings#forSignal(Signal)}.
 *
 * <pre>{@code
 * OtlpExporterSettings logs = ObservabilityConfig.fromEnvironment().otlp().logs();
 * logs.endpoint();      // OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + "/v1/logs"
 * logs.headers();       // OTEL_EXPORTER_OTLP_LOGS_HEADERS, else OTEL_EXPORTER_OTLP_HEADERS
 * }</pre>
 */
public final class OtlpExporterSettings {
    private final Signal signal;
    private final String endpoint;
    private final String protocol;
    private final Map<String, String> headers;
    private final String compression;
    private final Duration timeout;
    private final Path trustedCertificates;
    private final Path clientKey;
    private final Path clientCertificate;

    OtlpExporterSettings(
            Signal signal,
            String endpoint,
            String protocol,
            Map<String, String> headers,
            String compression,
            Duration timeout,
            Path trustedCertificates,
            Path clientKey,
            Path clientCertificate) {
        this.signal = signal;
        this.endpoint = endpoint;
        this.protocol = protocol;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.compression = compression;
        this.timeout = timeout;
        this.trustedCertificates = trustedCertificates;
        this.clientKey = clientKey;
        this.clientCertificate = clientCertificate;
    }

    /** The signal these settings are for. */
    public Signal signal() {
        return signal;
    }

    /**
     * The full endpoint URL the exporter sends to: for {@code http/protobuf} including the signal
     * path (e.g. {@code http://collector:4318/v1/traces}), for {@code grpc} the server address.
     */
    public String endpoint() {
        return endpoint;
    }

    /** {@code http/protobuf} or {@code grpc}. */
    public String protocol() {
        return protocol;
    }

    /** Whether the protocol is {@code grpc}. */
    public boolean isGrpc() {
        return OtlpSettings.PROTOCOL_GRPC.equals(protocol);
    }

    /** Headers sent with every export request of this signal. */
    public Map<String, String> headers() {
        return headers;
    }

    /** {@code gzip} or {@code none}. */
    public String compression() {
        return compression;
    }

    /** Timeout of one export request. */
    public Duration timeout() {
        return timeout;
    }

    /** PEM file of the certificates trusted for TLS, or {@code null} for the JVM's trust store. */
    public @Nullable Path trustedCertificates() {
        return trustedCertificates;
    }

    /** PEM file of the client's private key for mutual TLS (PKCS#8), or {@code null}. */
    public @Nullable Path clientKey() {
        return clientKey;
    }

    /** PEM file of the client's certificate chain for mutual TLS, or {@code null}. */
    public @Nullable Path clientCertificate() {
        return clientCertificate;
    }

    /** Header names only: their values are often credentials. */
    @Override
    public String toString() {
        return "OtlpExporterSettings{" + signal + " " + protocol + " " + endpoint + ", headers=" + headers.keySet()
                + ", compression=" + compression + ", timeout=" + timeout
                + (trustedCertificates != null ? ", certificate=" + trustedCertificates : "")
                + (clientKey != null ? ", client TLS" : "") + "}";
    }
}
