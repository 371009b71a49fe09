package io.marty.observability.grpc.internal;

import io.grpc.Metadata;
import io.marty.observability.core.propagation.CaseInsensitiveGetter;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collections;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link TextMapGetter}/{@link TextMapSetter} over gRPC {@link Metadata}: header names are lower
 * case in metadata, so every lookup lower-cases the propagator's name (keys cached, bounded).
 * Internal: not a stable API.
 */
public final class GrpcCarriers {

    private static final int MAX_CACHED_KEYS = 128;
    private static final Map<String, Metadata.Key<String>> KEYS = new ConcurrentHashMap<>();

    private GrpcCarriers() {}

    /** The ASCII metadata key for a header name, or {@code null} for binary/invalid names. */
    public static Metadata.Key<String> key(String name) {
        Metadata.Key<String> key = KEYS.get(name);
        if (key != null) {
            return key;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
            return null;
        }
        try {
            key = Metadata.Key.of(lower, Metadata.ASCII_STRING_MARSHALLER);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (KEYS.size() < MAX_CACHED_KEYS) {
            KEYS.put(name, key);
        }
        return key;
    }

    /** Reads metadata (lower-case keys). */
    public static final TextMapGetter<Metadata> GETTER = new CaseInsensitiveGetter<>() {
        @Override
        public Iterable<String> keys(Metadata carrier) {
            return carrier.keys();
        }

        @Override
        public String get(Metadata carrier, String name) {
            Metadata.Key<String> key = carrier == null ? null : key(name);
            return key == null ? null : carrier.get(key);
        }

        @Override
        public Iterator<String> getAll(Metadata carrier, String name) {
            Metadata.Key<String> key = carrier == null ? null : key(name);
            Iterable<String> all = key == null ? null : carrier.getAll(key);
            return all == null ? Collections.emptyIterator() : all.iterator();
        }
    };

    /** Writes metadata (lower-case keys), replacing earlier values of the same key. */
    public static final TextMapSetter<Metadata> SETTER = (carrier, name, value) -> {
        Metadata.Key<String> key = carrier == null || value == null ? null : key(name);
        if (key != null) {
            carrier.discardAll(key);
            carrier.put(key, value);
        }
    };
}
