package io.marty.observability.demo;

/** A running demo service: its ports and how to stop it. */
public interface DemoService extends AutoCloseable {

    /** The service's name (e.g. {@code gateway}). */
    String name();

    /** The HTTP port, or -1 when the service has no HTTP side. */
    int httpPort();

    /** The gRPC port, or -1 when the service has no gRPC side. */
    int grpcPort();

    /** Stops the service's servers (not the shared {@code MartyObservability}). */
    @Override
    void close();
}
