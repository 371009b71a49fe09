package io.marty.observability.demo.traffic;

/** Where generated requests go: real services over HTTP ({@link HttpTarget}) or a simulation. */
@FunctionalInterface
public interface Target {
    /**
     * Sends one request and returns the HTTP-like status (200 ok, 4xx client error, 5xx server
     * error). Exceptions count as failed sends, never stop the generator.
     */
    int send(DemoRequest request) throws Exception;
}
