package io.marty.observability.core.internal;

import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.ContextStorageProvider;

/**
 * Internal, unstable. {@code ServiceLoader} entry that makes OTel's context storage keep the MDC in
 * sync from the very first context use, independent of when Marty is started.
 */
public final class MdcContextStorageProvider implements ContextStorageProvider {
    @Override
    public ContextStorage get() {
        return MdcContextStorage.wrap(ContextStorage.defaultStorage());
    }
}
