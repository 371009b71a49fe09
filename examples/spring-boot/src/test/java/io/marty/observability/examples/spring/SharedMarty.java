package io.marty.observability.examples.spring;

import io.marty.observability.testing.MartyTesting;

/**
 * One in-memory Marty for the whole test JVM. Core runs one instance per JVM, so the sample's
 * services started side by side in a test (and the contexts Spring's test framework caches) all
 * adopt this one: the starter uses a running instance rather than starting a second.
 */
final class SharedMarty {

    private static MartyTesting instance;

    private SharedMarty() {}

    static synchronized MartyTesting get() {
        if (instance == null) {
            instance = MartyTesting.builder().serviceName("orders").start();
        }
        return instance;
    }
}
