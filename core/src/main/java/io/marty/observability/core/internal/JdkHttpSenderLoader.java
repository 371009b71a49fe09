package io.marty.observability.core.internal;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Internal, unstable. Makes the OTLP/HTTP exporters use the JDK {@code HttpClient} sender
 * ({@code opentelemetry-exporter-sender-jdk}) rather than the OkHttp one, which stays on the class
 * path for OTLP/gRPC. The OkHttp sender does not set {@code TCP_NODELAY}: its body writes wait for
 * the receiver's delayed ACK (Nagle), so one export of 512 spans to a local collector took 17–30
 * ms of wall time and the batch queue overflowed above ~17k spans/s (benchmarks/RESULTS.md). The
 * JDK client sets {@code TCP_NODELAY} on its connections. Every other lookup goes to the default
 * loader unchanged.
 *
 * <p>For a plain {@code http://} endpoint the exporter hands the sender no {@code SSLContext}, and
 * {@code HttpClient} then loads the JVM's default one, which reads and parses the default trust
 * store (about 90 ms of the exporter's build on this project's machine) for a connection that
 * never uses TLS. The sender gets a context whose trust manager trusts no certificate instead;
 * {@code https://} endpoints are passed through unchanged.
 */
public final class JdkHttpSenderLoader implements ComponentLoader {
    static final String JDK_SENDER = "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider";

    private final ComponentLoader delegate;

    private JdkHttpSenderLoader(ComponentLoader delegate) {
        this.delegate = delegate;
    }

    /** A loader over this library's class loader. */
    public static ComponentLoader create() {
        return new JdkHttpSenderLoader(ComponentLoader.forClassLoader(JdkHttpSenderLoader.class.getClassLoader()));
    }

    @Override
    public <T> Iterable<T> load(Class<T> spiClass) {
        Iterable<T> all = delegate.load(spiClass);
        if (spiClass != HttpSenderProvider.class) {
            return all;
        }
        List<T> jdk = new ArrayList<>(1);
        for (T provider : all) {
            if (provider.getClass().getName().equals(JDK_SENDER)) {
                jdk.add(spiClass.cast(new PlainHttpWithoutTrustStore((HttpSenderProvider) provider)));
            }
        }
        return jdk.isEmpty() ? all : jdk;
    }

    /** The JDK sender, given an {@code SSLContext} without trust store for {@code http://} endpoints. */
    private static final class PlainHttpWithoutTrustStore implements HttpSenderProvider {
        private final HttpSenderProvider jdk;

        PlainHttpWithoutTrustStore(HttpSenderProvider jdk) {
            this.jdk = jdk;
        }

        @Override
        public HttpSender createSender(HttpSenderConfig config) {
            if (config.getSslContext() != null
                    || !"http".equals(config.getEndpoint().getScheme())) {
                return jdk.createSender(config);
            }
            SSLContext noTls;
            try {
                noTls = SSLContext.getInstance("TLS");
                noTls.init(null, new TrustManager[] {TrustsNothing.INSTANCE}, null);
            } catch (GeneralSecurityException | RuntimeException e) {
                return jdk.createSender(config); // the JVM default then, as without this wrapper
            }
            return jdk.createSender(new WithSslContext(config, noTls));
        }
    }

    /** Rejects every certificate: used only where no TLS connection is ever made. */
    private enum TrustsNothing implements X509TrustManager {
        INSTANCE;

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("TLS is not used for a plain http:// OTLP endpoint");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("TLS is not used for a plain http:// OTLP endpoint");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** {@code config} with {@code sslContext}; everything else delegated. */
    private static final class WithSslContext implements HttpSenderConfig {
        private final HttpSenderConfig config;
        private final SSLContext sslContext;

        WithSslContext(HttpSenderConfig config, SSLContext sslContext) {
            this.config = config;
            this.sslContext = sslContext;
        }

        @Override
        public URI getEndpoint() {
            return config.getEndpoint();
        }

        @Override
        public String getContentType() {
            return config.getContentType();
        }

        @Override
        public @Nullable Compressor getCompressor() {
            return config.getCompressor();
        }

        @Override
        public Duration getTimeout() {
            return config.getTimeout();
        }

        @Override
        public Duration getConnectTimeout() {
            return config.getConnectTimeout();
        }

        @Override
        public Supplier<Map<String, List<String>>> getHeadersSupplier() {
            return config.getHeadersSupplier();
        }

        @Override
        public @Nullable ProxyOptions getProxyOptions() {
            return config.getProxyOptions();
        }

        @Override
        public @Nullable RetryPolicy getRetryPolicy() {
            return config.getRetryPolicy();
        }

        @Override
        public SSLContext getSslContext() {
            return sslContext;
        }

        @Override
        public X509TrustManager getTrustManager() {
            return TrustsNothing.INSTANCE;
        }

        @Override
        public @Nullable ExecutorService getExecutorService() {
            return config.getExecutorService();
        }

        @Override
        public long getMaxResponseBodySize() {
            return config.getMaxResponseBodySize();
        }
    }
}
