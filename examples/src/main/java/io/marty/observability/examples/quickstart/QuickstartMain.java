package io.marty.observability.examples.quickstart;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;

/** Runs the quickstart service until Ctrl-C: {@code java ... QuickstartMain [port]}. */
public final class QuickstartMain {
    private QuickstartMain() {}

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        MartyObservability obs = MartyObservability.start(ObservabilityConfig.builderFromEnvironment()
                .serviceName("quickstart")
                .build());
        QuickstartService service = new QuickstartService(obs, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            obs.close();
        }));
        System.out.println("quickstart listening on http://127.0.0.1:" + service.port() + "/orders/42");
        Thread.currentThread().join();
    }
}
