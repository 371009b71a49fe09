package io.marty.observability.kafkabroker.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Entry point of the broker's child JVM: formats the log directory (KRaft needs a formatted
 * {@code meta.properties}), then runs {@code kafka.Kafka}. The JVM exits when its standard input
 * closes, so a broker never outlives the process that started it, even one killed without running
 * its shutdown hooks. Internal: not a stable API.
 *
 * <p>Arguments: {@code <server.properties> <cluster id>}.
 */
public final class BrokerMain {

    /** Printed to standard output once formatting is done and the broker starts. */
    public static final String FORMATTED = "MARTY-KAFKA-FORMATTED";

    private BrokerMain() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: BrokerMain <server.properties> <cluster id>");
            System.exit(2);
        }
        int formatted = kafka.tools.StorageTool.execute(
                new String[] {"format", "--ignore-formatted", "-t", args[1], "-c", args[0]}, System.out);
        if (formatted != 0) {
            System.err.println("formatting the log directory failed with exit code " + formatted);
            System.exit(formatted);
        }
        System.out.println(FORMATTED);
        Thread watchdog = new Thread(BrokerMain::exitWhenStdinCloses, "marty-kafka-parent-watch");
        watchdog.setDaemon(true);
        watchdog.start();
        kafka.Kafka.main(new String[] {args[0]});
    }

    private static void exitWhenStdinCloses() {
        InputStream in = System.in;
        byte[] buffer = new byte[64];
        try {
            while (in.read(buffer) >= 0) {
                // the parent writes nothing; EOF means it is gone
            }
        } catch (IOException e) {
            // stdin broken: the parent is gone as well
        }
        System.exit(0); // runs kafka.Kafka's shutdown hook: a clean broker stop
    }
}
