package io.marty.observability.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * OTLP export of traces, metrics and logs, read as the OpenTelemetry SDK reads it: generic options,
 * each overridable per signal. Immutable; build with {@link #builder(ConfigSource)}; {@link
 * #forSignal(Signal)} gives what one signal's exporter is built with.
 *
 * <pre>{@code
 * OtlpSettings otlp = OtlpSettings.builder(ConfigSource.environment())
 *         .endpoint("https://collector:4318")                          // traces go to .../v1/traces
 *         .header("api-key", System.getenv("API_KEY"))
 *         .compression("gzip")
 *         .endpoint(Signal.LOGS, "https://logs.example.com/otlp/v1/logs")  // used as given
 *         .build();
 * }</pre>
 *
 * <p>Resolution of one option for a signal: the per-signal value (builder, then {@code
 * OTEL_EXPORTER_OTLP_<SIGNAL>_<OPTION>}), else the generic one (builder, then {@code MMF_OTLP_*} where
 * one exists, then {@code OTEL_EXPORTER_OTLP_<OPTION>}), else the default. A per-signal endpoint is
 * used as given; a generic one gets {@code /v1/traces}, {@code /v1/metrics} or {@code /v1/logs}
 * appended for {@code http/protobuf} (not for {@code grpc}). Per-signal headers replace the generic
 * ones. Durations are whole milliseconds. Certificate and key files must exist and hold PEM data.
 *
 * <table>
 *   <caption>Options ({@code <SIGNAL>} is {@code TRACES}, {@code METRICS} or {@code LOGS})</caption>
 *   <tr><th>option</th><th>generic variable</th><th>per-signal variable</th><th>default</th></tr>
 *   <tr><td>endpoint</td><td>{@code MMF_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}</td>
 *       <td>{@code OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT}</td><td>{@code http://localhost:4318}
 *       ({@code :4317} for grpc)</td></tr>
 *   <tr><td>protocol</td><td>{@code MMF_OTLP_PROTOCOL}, {@code OTEL_EXPORTER_OTLP_PROTOCOL}</td>
 *       <td>{@code OTEL_EXPORTER_OTLP_<SIGNAL>_PROTOCOL}</td><td>{@code http/protobuf} (or {@code grpc})</td></tr>
 *   <tr><td>headers</td><td>{@code OTEL_EXPORTER_OTLP_HEADERS}</td><td>{@code OTEL_EXPORTER_OTLP_<SIGNAL>_HEADERS}</td>
 *       <td>none ({@code k=v,k2=v2}, values percent-decoded)</td></tr>
 *   <tr><td>compression</td><td>{@code OTEL_EXPORTER_OTLP_COMPRESSION}</td>
 *       <td>{@code OTEL_EXPORTER_OTLP_<SIGNAL>_COMPRESSION}</td><td>{@code none} (or {@code gzip})</td></tr>
 *   <tr><td>timeout</td><td>{@code OTEL_EXPORTER_OTLP_TIMEOUT}</td><td>{@code OTEL_EXPORTER_OTLP_<SIGNAL>_TIMEOUT}</td>
 *       <td>10000 ms</td></tr>
 *   <tr><td>trusted certificates</td><td>{@code OTEL_EXPORTER_OTLP_CERTIFICATE}</td>
 *       <td>{@code OTEL_EXPORTER_OTLP_<SIGNAL>_CERTIFICATE}</td><td>the JVM's trust store</td></tr>
 *   <tr><td>client key, client certificate</td><td>{@code OTEL_EXPORTER_OTLP_CLIENT_KEY},
 *       {@code OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE}</td><td>{@code OTEL_EXPORTER_OTLP_<SIGNAL>_CLIENT_KEY},
 *       {@code ..._CLIENT_CERTIFICATE}</td><td>none (both or neither)</td></tr>
 * </table>
 */
public final class OtlpSettings {
    /** OTLP protocol: protobuf over HTTP (default, port 4318). */
    public static final String PROTOCOL_HTTP_PROTOBUF = "http/protobuf";
    /** OTLP protocol: gRPC (port 4317). */
    public static final String PROTOCOL_GRPC = "grpc";
    /** Default OTLP endpoint for {@code http/protobuf}. */
    public static final String DEFAULT_HTTP_ENDPOINT = "http://localhost:4318";
    /** Default OTLP endpoint for {@code grpc}. */
    public static final String DEFAULT_GRPC_ENDPOINT = "http://localhost:4317";
    /** Default timeout of one export request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String endpoint;
    private final String protocol;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final Map<Signal, OtlpExporterSettings> signals;
    // what toBuilder() restores: options given explicitly (builder or variable), generic and per signal
    private final Map<String, Object> given;
    private final Map<Signal, Map<String, String>> givenSignalHeaders;

    private OtlpSettings(
            String endpoint,
            String protocol,
            Map<String, String> headers,
            Duration timeout,
            Map<Signal, OtlpExporterSettings> signals,
            Map<String, Object> given,
            Map<Signal, Map<String, String>> givenSignalHeaders) {
        this.endpoint = endpoint;
        this.protocol = protocol;
        this.headers = java.util.Collections.unmodifiableMap(headers);
        this.timeout = timeout;
        this.signals = signals;
        this.given = given;
        this.givenSignalHeaders = givenSignalHeaders;
    }

    /** A builder reading nothing but its own values and the defaults. */
    public static Builder builder() {
        return new Builder(ConfigSource.empty());
    }

    /** A builder whose unset values are read from {@code source}. */
    public static Builder builder(ConfigSource source) {
        return new Builder(source);
    }

    /** The generic base endpoint without trailing slash, e.g. {@code http://localhost:4318}. */
    public String endpoint() {
        return endpoint;
    }

    /** The generic protocol. */
    public String protocol() {
        return protocol;
    }

    /** The generic headers. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The generic timeout. */
    public Duration timeout() {
        return timeout;
    }

    /** The resolved settings of one signal's exporter. */
    public OtlpExporterSettings forSignal(Signal signal) {
        return signals.get(Objects.requireNonNull(signal, "signal"));
    }

    /** The resolved settings of the span exporter. */
    public OtlpExporterSettings traces() {
        return signals.get(Signal.TRACES);
    }

    /** The resolved settings of the metric exporter. */
    public OtlpExporterSettings metrics() {
        return signals.get(Signal.METRICS);
    }

    /** The resolved settings of the log record exporter. */
    public OtlpExporterSettings logs() {
        return signals.get(Signal.LOGS);
    }

    /** A builder holding the options given to this one (builder values and variables read). */
    public Builder toBuilder() {
        Builder b = builder();
        given.forEach(b.values::set);
        b.headers.putAll(headers);
        givenSignalHeaders.forEach((s, h) -> b.signalHeaders.get(s).putAll(h));
        return b;
    }

    @Override
    public String toString() {
        return "OtlpSettings{" + signals.values() + "}";
    }

    /** Builder of {@link OtlpSettings}; {@link #build()} validates. */
    public static final class Builder {
        private final Values values;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<Signal, Map<String, String>> signalHeaders = new EnumMap<>(Signal.class);

        private Builder(ConfigSource source) {
            this.values = new Values(source);
            for (Signal s : Signal.values()) {
                signalHeaders.put(s, new LinkedHashMap<>());
            }
        }

        /** Generic base endpoint, an absolute {@code http://} or {@code https://} URL. */
        public Builder endpoint(String endpoint) {
            values.set("otlpEndpoint", endpoint);
            return this;
        }

        /** Endpoint of one signal, used as given (full URL including the path for {@code http/protobuf}). */
        public Builder endpoint(Signal signal, String endpoint) {
            values.set(signal.property("Endpoint"), endpoint);
            return this;
        }

        /** Generic protocol: {@code http/protobuf} (default) or {@code grpc}. */
        public Builder protocol(String protocol) {
            values.set("otlpProtocol", protocol);
            return this;
        }

        /** Protocol of one signal. */
        public Builder protocol(Signal signal, String protocol) {
            values.set(signal.property("Protocol"), protocol);
            return this;
        }

        /** Adds a header sent with every export (e.g. an API key); wins over the same name in the variable. */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds a header of one signal; a signal with own headers does not send the generic ones. */
        public Builder header(Signal signal, String name, String value) {
            signalHeaders.get(signal).put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Generic compression: {@code none} (default) or {@code gzip}. */
        public Builder compression(String compression) {
            values.set("otlpCompression", compression);
            return this;
        }

        /** Compression of one signal. */
        public Builder compression(Signal signal, String compression) {
            values.set(signal.property("Compression"), compression);
            return this;
        }

        /** Generic timeout of one export request (default 10 s). */
        public Builder timeout(Duration timeout) {
            values.set("otlpTimeout", timeout);
            return this;
        }

        /** Timeout of one signal's export request. */
        public Builder timeout(Signal signal, Duration timeout) {
            values.set(signal.property("Timeout"), timeout);
            return this;
        }

        /** PEM file of the certificates to trust instead of the JVM's trust store. */
        public Builder trustedCertificates(@Nullable Path pem) {
            values.set("otlpCertificate", pem);
            return this;
        }

        /** Trusted certificates of one signal. */
        public Builder trustedCertificates(Signal signal, @Nullable Path pem) {
            values.set(signal.property("Certificate"), pem);
            return this;
        }

        /** Client key (PKCS#8 PEM) and certificate chain (PEM) for mutual TLS. */
        public Builder clientTls(@Nullable Path privateKey, @Nullable Path certificateChain) {
            values.set("otlpClientKey", privateKey);
            values.set("otlpClientCertificate", certificateChain);
            return this;
        }

        /** Client key and certificate chain of one signal. */
        public Builder clientTls(Signal signal, @Nullable Path privateKey, @Nullable Path certificateChain) {
            values.set(signal.property("ClientKey"), privateKey);
            values.set(signal.property("ClientCertificate"), certificateChain);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws io.marty.observability.core.ObservabilityConfigException naming the key and value
         */
        public OtlpSettings build() {
            Level generic = new Level("otlp", "OTEL_EXPORTER_OTLP_", "MMF_OTLP_");
            Setting<String> protocol = generic.protocol.isSet()
                    ? generic.protocol
                    : new Setting<>("otlpProtocol", PROTOCOL_HTTP_PROTOBUF, PROTOCOL_HTTP_PROTOBUF);
            checkProtocol(protocol);
            if (generic.endpoint.isSet()) {
                Values.checkHttpUrl(generic.endpoint, DEFAULT_HTTP_ENDPOINT);
            }
            Setting<Duration> timeout =
                    generic.timeout.isSet() ? generic.timeout : new Setting<>("otlpTimeout", null, DEFAULT_TIMEOUT);
            Values.checkPositive(timeout);
            Map<String, String> genericHeaders = new LinkedHashMap<>(values.keyValues("OTEL_EXPORTER_OTLP_HEADERS"));
            genericHeaders.putAll(headers);
            Map<String, Object> given = new LinkedHashMap<>();
            generic.remember(given);

            Map<Signal, OtlpExporterSettings> signals = new EnumMap<>(Signal.class);
            Map<Signal, Map<String, String>> givenHeaders = new EnumMap<>(Signal.class);
            for (Signal s : Signal.values()) {
                Level own = new Level(s.property(""), s.variable(""), null);
                own.remember(given);
                Map<String, String> ownHeaders = new LinkedHashMap<>(values.keyValues(s.variable("HEADERS")));
                ownHeaders.putAll(signalHeaders.get(s));
                if (!ownHeaders.isEmpty()) {
                    givenHeaders.put(s, ownHeaders);
                }
                signals.put(
                        s,
                        resolve(
                                s,
                                own,
                                generic,
                                protocol,
                                timeout,
                                ownHeaders.isEmpty() ? genericHeaders : ownHeaders));
            }
            String base = generic.endpoint.isSet()
                    ? stripTrailingSlash(generic.endpoint.value)
                    : PROTOCOL_GRPC.equals(protocol.value.trim()) ? DEFAULT_GRPC_ENDPOINT : DEFAULT_HTTP_ENDPOINT;
            return new OtlpSettings(
                    base, protocol.value.trim(), genericHeaders, timeout.value, signals, given, givenHeaders);
        }

        /** One signal's settings: its own options, else the generic ones, else the defaults. */
        private OtlpExporterSettings resolve(
                Signal s,
                Level own,
                Level generic,
                Setting<String> protocol,
                Setting<Duration> timeout,
                Map<String, String> headers) {
            Setting<String> p = or(own.protocol, protocol);
            checkProtocol(p);
            boolean grpc = PROTOCOL_GRPC.equals(p.value.trim());
            String url;
            if (own.endpoint.isSet()) {
                Values.checkHttpUrl(
                        own.endpoint, (grpc ? DEFAULT_GRPC_ENDPOINT : DEFAULT_HTTP_ENDPOINT + "/") + s.httpPath());
                url = own.endpoint.value;
            } else {
                String base = generic.endpoint.isSet()
                        ? generic.endpoint.value
                        : grpc ? DEFAULT_GRPC_ENDPOINT : DEFAULT_HTTP_ENDPOINT;
                url = grpc ? stripTrailingSlash(base) : (base.endsWith("/") ? base : base + "/") + s.httpPath();
            }
            Setting<String> c = or(own.compression, generic.compression);
            String compression = c.isSet() ? c.value.trim().toLowerCase(Locale.ROOT) : "none";
            if (!compression.equals("gzip") && !compression.equals("none")) {
                throw Values.oneOf(c, "gzip, none");
            }
            Setting<Duration> t = or(own.timeout, timeout);
            Values.checkPositive(t);
            Setting<Path> cert = or(own.certificate, generic.certificate);
            Setting<Path> key = or(own.clientKey, generic.clientKey);
            Setting<Path> chain = or(own.clientCertificate, generic.clientCertificate);
            checkPem(cert, false);
            checkPem(key, true);
            checkPem(chain, false);
            if (key.isSet() != chain.isSet()) {
                throw (key.isSet() ? key : chain)
                        .invalid("a client key and a client certificate must be given together ("
                                + s.variable("CLIENT_KEY") + " or OTEL_EXPORTER_OTLP_CLIENT_KEY, "
                                + s.variable("CLIENT_CERTIFICATE") + " or OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE)");
            }
            return new OtlpExporterSettings(
                    s, url, p.value.trim(), headers, compression, t.value, cert.value, key.value, chain.value);
        }

        /**
         * The options given at one level, generic or one signal's (builder property {@code
         * <property>Endpoint}..., variable {@code <variable>ENDPOINT}..., for the generic level also
         * {@code MMF_OTLP_ENDPOINT}/{@code MMF_OTLP_PROTOCOL}); unset options are not defaulted.
         */
        private final class Level {
            final String property;
            final Setting<String> endpoint;
            final Setting<String> protocol;
            final Setting<String> compression;
            final Setting<Duration> timeout;
            final Setting<Path> certificate;
            final Setting<Path> clientKey;
            final Setting<Path> clientCertificate;

            Level(String property, String variable, String mmfVariable) {
                this.property = property;
                endpoint = values.string(property + "Endpoint", null, names(mmfVariable, "ENDPOINT", variable));
                protocol = values.string(property + "Protocol", null, names(mmfVariable, "PROTOCOL", variable));
                compression = values.string(property + "Compression", null, variable + "COMPRESSION");
                timeout = values.get(property + "Timeout", Values.MILLIS, null, variable + "TIMEOUT");
                certificate = path(property + "Certificate", variable + "CERTIFICATE");
                clientKey = path(property + "ClientKey", variable + "CLIENT_KEY");
                clientCertificate = path(property + "ClientCertificate", variable + "CLIENT_CERTIFICATE");
            }

            /** Records the options given here (builder or variable) for {@link OtlpSettings#toBuilder()}. */
            void remember(Map<String, Object> given) {
                put(given, "Endpoint", endpoint);
                put(given, "Protocol", protocol);
                put(given, "Compression", compression);
                put(given, "Timeout", timeout);
                put(given, "Certificate", certificate);
                put(given, "ClientKey", clientKey);
                put(given, "ClientCertificate", clientCertificate);
            }

            private void put(Map<String, Object> given, String option, Setting<?> s) {
                if (s.isSet()) {
                    given.put(property + option, s.value);
                }
            }
        }

        private static String[] names(String mmfVariable, String option, String variable) {
            return mmfVariable == null
                    ? new String[] {variable + option}
                    : new String[] {mmfVariable + option, variable + option};
        }

        private Setting<Path> path(String property, String variable) {
            return values.get(
                    property,
                    raw -> {
                        try {
                            return Path.of(raw.trim());
                        } catch (InvalidPathException e) {
                            throw new IllegalArgumentException("is not a valid file path");
                        }
                    },
                    null,
                    variable);
        }

        private static void checkProtocol(Setting<String> p) {
            String v = p.value == null ? null : p.value.trim();
            if (!PROTOCOL_HTTP_PROTOBUF.equals(v) && !PROTOCOL_GRPC.equals(v)) {
                throw Values.oneOf(p, "http/protobuf, grpc");
            }
        }

        /** Checks that a configured file exists and holds PEM data: a private key, else X.509 certificates. */
        private static void checkPem(Setting<Path> file, boolean privateKey) {
            if (!file.isSet()) {
                return;
            }
            if (!Files.isRegularFile(file.value) || !Files.isReadable(file.value)) {
                throw file.invalid("must name a readable PEM file");
            }
            try {
                if (privateKey) {
                    String pem = Files.readString(file.value, StandardCharsets.US_ASCII);
                    if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
                        throw file.invalid("must hold a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)");
                    }
                } else {
                    try (InputStream in = Files.newInputStream(file.value)) {
                        if (CertificateFactory.getInstance("X.509")
                                .generateCertificates(in)
                                .isEmpty()) {
                            throw file.invalid("holds no PEM certificate");
                        }
                    }
                }
            } catch (IOException | CertificateException e) {
                throw file.invalid("cannot be read as PEM: " + e.getMessage());
            }
        }

        private static <T> Setting<T> or(Setting<T> own, Setting<T> generic) {
            return own.isSet() ? own : generic;
        }
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
