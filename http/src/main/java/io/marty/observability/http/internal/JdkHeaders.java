package io.marty.observability.http.internal;

import com.sun.net.httpserver.Headers;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Header reads on the JDK's {@link Headers} without its per-call key normalisation. {@code
 * Headers.getFirst} copies and re-cases the key and hashes the copy on every call; a request
 * looks up about ten propagation headers, most of them absent. Here the key is normalised once
 * (by {@code Headers} itself, so whatever casing rule the running JDK uses) and absent headers
 * are answered by one hash lookup with the cached hash. Internal: not a stable API.
 */
public final class JdkHeaders {
    private static final int MAX_CACHED_NAMES = 256;
    private static final ConcurrentHashMap<String, String> NORMALIZED = new ConcurrentHashMap<>();

    private JdkHeaders() {}

    /** The first value of {@code name}, or null. */
    public static String first(Headers headers, String name) {
        if (headers == null || name == null || !headers.keySet().contains(normalized(name))) {
            return null;
        }
        return headers.getFirst(name);
    }

    /** Every value of {@code name}, in order. */
    public static Iterator<String> all(Headers headers, String name) {
        if (headers == null || name == null || !headers.keySet().contains(normalized(name))) {
            return Collections.emptyIterator();
        }
        List<String> values = headers.get(name);
        return values == null ? Collections.emptyIterator() : values.iterator();
    }

    static String normalized(String name) {
        String cached = NORMALIZED.get(name);
        if (cached != null) {
            return cached;
        }
        Headers probe = new Headers();
        probe.put(name, List.of());
        String key = probe.keySet().iterator().next();
        if (NORMALIZED.size() < MAX_CACHED_NAMES) {
            NORMALIZED.put(name, key);
        }
        return key;
    }
}
