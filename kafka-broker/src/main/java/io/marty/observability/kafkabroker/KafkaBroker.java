package io.marty.observability.kafkabroker;

import io.marty.observability.kafkabroker.internal.BrokerMain;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one node) running in a child
 * JVM started from this process's class path: loopback only, ephemeral ports, a temporary log
 * directory deleted on {@link #close()}, bounded start and stop times. The child exits when this
 * process dies (its standard input closes). For integration tests and {@code marty demo
 * --with-kafka}; the class path must hold {@code org.apache.kafka:kafka_2.13}, which this module
 * depends on.
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.start()) {
 *     broker.createTopics("orders");
 *     Map<String, Object> config = Map.of("bootstrap.servers", broker.bootstrapServers());
 *     // ... producers and consumers ...
 * }
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {

    /** Default time allowed for the child JVM to format its directory and answer a client. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);
    /** Default time allowed for a clean stop before the child is killed. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final String LOGBACK_CONFIG = "io/marty/observability/kafkabroker/logback-broker.xml";
    private static final int START_ATTEMPTS = 3; // a free port taken by someone else before the bind

    private final Process process;
    private final Path directory;
    private final Path logFile;
    private final String bootstrapServers;
    private final Duration stopTimeout;
    private boolean closed;

    private KafkaBroker(Process process, Path directory, Path logFile, String bootstrapServers, Duration stopTimeout) {
        this.process = process;
        this.directory = directory;
        this.logFile = logFile;
        this.bootstrapServers = bootstrapServers;
        this.stopTimeout = stopTimeout;
    }

    /** Starts a broker with the default settings and waits until it answers. */
    public static KafkaBroker start() throws IOException {
        return builder().start();
    }

    /** For a start timeout, a stop timeout or extra broker properties. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:<port>}: the value for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The child JVM's process id. */
    public long pid() {
        return process.pid();
    }

    /** The temporary directory holding the configuration, the data and {@link #logFile()}. */
    public Path directory() {
        return directory;
    }

    /** The child JVM's standard output and error. */
    public Path logFile() {
        return logFile;
    }

    /** Whether the child JVM is running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Creates topics with one partition each (topics that exist are left as they are) and waits for
     * the broker to confirm, so consumers that subscribe next find them.
     *
     * @throws IllegalStateException when the broker does not confirm within 30 s
     */
    public void createTopics(String... names) {
        createTopics(1, names);
    }

    /** Creates topics with {@code partitions} partitions each; see {@link #createTopics(String...)}. */
    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        try (Admin admin = admin()) {
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e);
                    }
                } catch (TimeoutException e) {
                    throw new IllegalStateException("topic " + name + " not created within 30 s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating topic " + name, e);
                }
            });
        }
    }

    private Admin admin() {
        return adminFor(bootstrapServers);
    }

    private static Admin adminFor(String bootstrapServers) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000);
        return Admin.create(config);
    }

    /**
     * Stops the broker (a clean shutdown through its shutdown hook, killed after the stop timeout)
     * and deletes its directory. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(process, stopTimeout);
        deleteRecursively(directory);
    }

    private static void stop(Process process, Duration timeout) {
        try {
            process.getOutputStream().close(); // BrokerMain exits on EOF
        } catch (IOException e) {
            // already closed
        }
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp directory left behind is not worth failing a stop for
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker{" + bootstrapServers + ", pid=" + process.pid() + "}";
    }

    /** Settings of a broker to start. */
    public static final class Builder {
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {}

        /** Time allowed to start (default {@link #DEFAULT_START_TIMEOUT}); positive. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = positive(timeout, "startTimeout");
            return this;
        }

        /** Time allowed for a clean stop (default {@link #DEFAULT_STOP_TIMEOUT}); positive. */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = positive(timeout, "stopTimeout");
            return this;
        }

        /**
         * A broker property added to or replacing the defaults (e.g. {@code num.partitions}); the
         * listeners, node id, roles and log directory are the launcher's and cannot be replaced.
         */
        public Builder property(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException("broker property " + key + " is set by the launcher");
            }
            properties.put(key, value);
            return this;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }

        /**
         * Starts the child JVM and waits until the broker answers a client.
         *
         * @throws IOException when it exits, or does not answer within the start timeout; the
         *     message holds the end of its output
         */
        public KafkaBroker start() throws IOException {
            IOException last = null;
            for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
                Path dir = Files.createTempDirectory("marty-kafka-");
                try {
                    return launch(dir);
                } catch (PortTakenException e) {
                    deleteRecursively(dir);
                    last = e;
                } catch (IOException | RuntimeException e) {
                    deleteRecursively(dir);
                    throw e;
                }
            }
            throw last;
        }

        private KafkaBroker launch(Path dir) throws IOException {
            int[] ports = freePorts(2);
            String bootstrap = "127.0.0.1:" + ports[0];
            Path config = dir.resolve("server.properties");
            writeConfig(config, dir.resolve("data"), ports[0], ports[1]);
            Path log = dir.resolve("broker.log");
            String java =
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = List.of(
                    java,
                    "-Xmx384m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-Djava.awt.headless=true",
                    "-Dlogback.configurationFile=" + LOGBACK_CONFIG,
                    "-cp",
                    classpath(),
                    BrokerMain.class.getName(),
                    config.toString(),
                    Uuid.randomUuid().toString());
            ProcessBuilder pb =
                    new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("KAFKA_") || k.startsWith("OTEL_"));
            Process process = pb.start();
            try {
                awaitReady(process, bootstrap, log);
            } catch (IOException | RuntimeException e) {
                stop(process, Duration.ofSeconds(10));
                throw e;
            }
            return new KafkaBroker(process, dir, log, bootstrap, stopTimeout);
        }

        private void writeConfig(Path file, Path data, int brokerPort, int controllerPort) throws IOException {
            Properties p = new Properties();
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("node.id", "1");
            p.setProperty(
                    "listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            p.setProperty("log.dirs", data.toString());
            // one node: internal topics with one replica and one partition start fast
            p.setProperty("num.partitions", "1");
            p.setProperty("offsets.topic.replication.factor", "1");
            p.setProperty("offsets.topic.num.partitions", "1");
            p.setProperty("transaction.state.log.replication.factor", "1");
            p.setProperty("transaction.state.log.min.isr", "1");
            p.setProperty("transaction.state.log.num.partitions", "1");
            p.setProperty("share.coordinator.state.topic.replication.factor", "1");
            p.setProperty("share.coordinator.state.topic.min.isr", "1");
            p.setProperty("share.coordinator.state.topic.num.partitions", "1");
            p.setProperty("group.initial.rebalance.delay.ms", "0");
            p.setProperty("auto.create.topics.enable", "true");
            p.setProperty("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
            properties.forEach(p::setProperty);
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(w, "single-node KRaft broker written by KafkaBroker");
            }
        }

        private void awaitReady(Process process, String bootstrap, Path log) throws IOException {
            long deadline = System.nanoTime() + startTimeout.toNanos();
            try (Admin admin = adminFor(bootstrap)) {
                while (true) {
                    if (!process.isAlive()) {
                        String tail = tail(log);
                        if (tail.contains("Address already in use")) {
                            throw new PortTakenException(tail);
                        }
                        throw new IOException("the Kafka broker exited with code " + process.exitValue()
                                + " before it was ready; its output ends with:\n" + tail);
                    }
                    try {
                        admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
                        return;
                    } catch (ExecutionException | TimeoutException e) {
                        // not answering yet
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for the Kafka broker", e);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IOException("the Kafka broker did not answer within " + startTimeout.toSeconds()
                                + " s (output in " + log + "):\n" + tail(log));
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for the Kafka broker", e);
                    }
                }
            }
        }
    }

    private static final java.util.Set<String> RESERVED = java.util.Set.of(
            "process.roles",
            "node.id",
            "listeners",
            "advertised.listeners",
            "controller.listener.names",
            "controller.quorum.voters",
            "listener.security.protocol.map",
            "inter.broker.listener.name",
            "log.dirs");

    /** The broker could not bind a port chosen as free: another process took it meanwhile. */
    private static final class PortTakenException extends IOException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String output) {
            super("a port chosen for the Kafka broker was taken before it bound it:\n" + output);
        }
    }

    private static String classpath() {
        StringBuilder b = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                b.append(b.length() == 0 ? "" : File.pathSeparator)
                        .append(Paths.get(entry).toAbsolutePath());
            }
        }
        return b.toString();
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    private static String tail(Path log) {
        try {
            String t = Files.readString(log, StandardCharsets.UTF_8).strip();
            return t.length() <= 2000 ? t : "..." + t.substring(t.length() - 2000);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
