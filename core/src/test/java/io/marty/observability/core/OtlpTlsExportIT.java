package io.marty.observability.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE}, {@code _CLIENT_KEY} and {@code _CLIENT_CERTIFICATE}
 * reach the real exporter: an HTTPS receiver on 127.0.0.1 with a self-signed certificate the JVM
 * does not trust, requiring a client certificate.
 */
class OtlpTlsExportIT {
    private HttpsServer receiver;
    private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
    private final List<Certificate> clientCertificates = new CopyOnWriteArrayList<>();
    private Path cert;
    private Path key;

    @BeforeEach
    void startReceiver() throws Exception {
        cert = Path.of(getClass().getResource("/tls/localhost-cert.pem").toURI());
        key = Path.of(getClass().getResource("/tls/localhost-key.pem").toURI());
        Certificate certificate;
        try (InputStream in = Files.newInputStream(cert)) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        String pem = Files.readString(key, StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        PrivateKey privateKey = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        char[] password = "test".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", privateKey, password, new Certificate[] {certificate});
        store.setCertificateEntry("client", certificate); // the same self-signed certificate serves the client
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        receiver = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setHttpsConfigurator(new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = ssl.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        receiver.createContext("/v1/traces", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                byte[] body = in.readAllBytes();
                if (body.length > 0) { // not the empty request that opens the exporter's connection at start
                    received.add(ExportTraceServiceRequest.parseFrom(body));
                    clientCertificates.addAll(
                            List.of(((HttpsExchange) ex).getSSLSession().getPeerCertificates()));
                }
            }
            ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        MartyObservability.current().ifPresent(MartyObservability::close);
        receiver.stop(0);
    }

    private void exportOneSpan(Map<String, String> env) throws Exception {
        MartyObservability obs = MartyObservability.start(ObservabilityConfig.builderFromEnvironment(env)
                .serviceName("checkout")
                .sampleRate(1.0)
                .logsExporter("none")
                .otlpTimeout(Duration.ofSeconds(3))
                .prometheusRegistry(new PrometheusRegistry())
                .build());
        obs.tracing().trace("paid", () -> "ok");
        obs.close();
    }

    @Test
    void trustedCertificateAndClientCertificateAreUsed() throws Exception {
        exportOneSpan(Map.of(
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                        "https://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces",
                "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", cert.toString(),
                "OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY", key.toString(),
                "OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE", cert.toString()));
        assertThat(received).hasSize(1);
        assertThat(received.get(0)
                        .getResourceSpans(0)
                        .getScopeSpans(0)
                        .getSpans(0)
                        .getName())
                .isEqualTo("paid");
        assertThat(clientCertificates).hasSize(1);
    }

    @Test
    void withoutTheClientCertificateTheServerRefuses() throws Exception {
        // control: the same setup minus the client key pair never reaches the handler
        exportOneSpan(Map.of(
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                "https://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces",
                "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE",
                cert.toString()));
        assertThat(received).isEmpty();
    }
}
