package io.marty.observability.demo;

/** Handle of a started demo service. */
record DemoHandle(String name, int httpPort, int grpcPort, Runnable stopper) implements DemoService {
    @Override
    public void close() {
        stopper.run();
    }
}
