package io.marty.observability.core.propagation;

import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * A {@link TextMapGetter} whose {@code get}/{@code getAll} ignore the case of the key, as HTTP
 * headers and gRPC metadata do. Marty's propagators look a header up once with such a getter;
 * with any other getter they retry the lower-case name when the canonical one is missing (plain
 * maps, message headers), which costs a second lookup per absent header.
 *
 * <pre>{@code
 * TextMapGetter<HttpServletRequest> getter = new CaseInsensitiveGetter<>() {
 *     public Iterable<String> keys(HttpServletRequest r) { return Collections.list(r.getHeaderNames()); }
 *     public String get(HttpServletRequest r, String key) { return r == null ? null : r.getHeader(key); }
 * };
 * }</pre>
 *
 * @param <C> carrier type
 */
public interface CaseInsensitiveGetter<C> extends TextMapGetter<C> {}
