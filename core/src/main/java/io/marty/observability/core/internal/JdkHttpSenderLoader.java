package io.marty.observability.core.internal;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal, unstable. Makes the OTLP/HTTP exporters use the JDK {@code HttpClient} sender
 * ({@code opentelemetry-exporter-sender-jdk}) rather than the OkHttp one, which stays on the class
 * path for OTLP/gRPC. The OkHttp sender does not set {@code TCP_NODELAY}: its body writes wait for
 * the receiver's delayed ACK (Nagle), so one export of 512 spans to a local collector took 17–30
 * ms of wall time and the batch queue overflowed above ~17k spans/s (benchmarks/RESULTS.md). The
 * JDK client sets {@code TCP_NODELAY} on its connections. Every other lookup goes to the default
 * loader unchanged.
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
                jdk.add(provider);
            }
        }
        return jdk.isEmpty() ? all : jdk;
    }
}
