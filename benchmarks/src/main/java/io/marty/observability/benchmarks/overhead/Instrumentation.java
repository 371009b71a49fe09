package io.marty.observability.benchmarks.overhead;

import com.sun.net.httpserver.Filter;
import io.grpc.ServerInterceptor;
import java.util.List;
import java.util.Map;

/**
 * What a variant adds to the trivial services: filters/interceptors plus the counters it wants in the stats
 * file. The bare and agent variants add nothing (the agent instruments bytecode from outside).
 */
interface Instrumentation extends AutoCloseable {

    /** Filters for the JDK HttpServer context, outermost first. */
    default List<Filter> jdkFilters() {
        return List.of();
    }

    /** Jakarta servlet filters for the Jetty context, outermost first. */
    default List<jakarta.servlet.Filter> servletFilters() {
        return List.of();
    }

    /** gRPC server interceptors. */
    default List<ServerInterceptor> grpcInterceptors() {
        return List.of();
    }

    /** Called once per request by the services (e.g. to write an access log line); must not block. */
    default void onRequest(String route, int status) {}

    /** Extra counters written to the stats file, e.g. exported and dropped spans. */
    default Map<String, Long> counters() {
        return Map.of();
    }

    @Override
    default void close() {}

    Instrumentation NONE = new Instrumentation() {};
}
