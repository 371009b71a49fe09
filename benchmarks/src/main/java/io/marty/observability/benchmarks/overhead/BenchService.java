package io.marty.observability.benchmarks.overhead;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.marty.observability.benchmarks.overhead.proto.HelloGrpc;
import io.marty.observability.benchmarks.overhead.proto.HelloReply;
import io.marty.observability.benchmarks.overhead.proto.HelloRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The trivial "hello" service of the overhead harness, in one of three server kinds and one of the variants.
 *
 * <pre>{@code
 * java -Dsun.net.httpserver.nodelay=true -cp benchmarks/target/benchmarks.jar \
 *     io.marty.observability.benchmarks.overhead.BenchService --server jdk --variant bare --port 8080
 * curl http://127.0.0.1:8080/hello
 * }</pre>
 *
 * <p>HTTP kinds answer {@code GET /hello} with {@code 200 hello}; the gRPC kind serves {@code marty.bench.Hello/Say}.
 * The agent variants are the bare service started with {@code -javaagent}. Prints {@code LISTENING <port>} once
 * serving and runs until killed (SIGTERM closes the instrumentation, which flushes).
 */
public final class BenchService {

    static final byte[] BODY = "hello".getBytes(StandardCharsets.US_ASCII);

    /**
     * Requests that reached the handler, in every variant (the same cost for all): printed as {@code SERVED n} at
     * shutdown, after the instrumentation flushed, so the harness can compare the spans a sink received with the
     * requests that made them.
     */
    static final LongAdder SERVED = new LongAdder();

    private BenchService() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        String server = args.require("server");
        String variant = args.get("variant", "bare");
        int port = args.getInt("port", 0);
        // every variant initialises Logback, as any real service does, so startup compares instrumentation only
        org.slf4j.LoggerFactory.getLogger(BenchService.class).info("starting {} {}", server, variant);
        Instrumentation instr = Variants.create(variant, server, args);
        Stats stats = args.has("stats")
                ? new Stats(Path.of(args.get("stats", "")), args.getInt("stats-interval-ms", 1000), instr::counters)
                : null;
        AutoCloseable running = switch (server) {
            case "jdk" -> startJdk(port, instr, args.getInt("threads", 4));
            case "jetty" -> startJetty(port, instr);
            case "grpc" -> startGrpc(port, instr, args.get("grpc-executor", "default"));
            default -> throw new IllegalArgumentException("--server must be jdk, jetty or grpc, got '" + server + "'");
        };
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("close failed: " + e);
            }
            instr.close();
            if (stats != null) {
                stats.close();
            }
            System.out.println("SERVED " + SERVED.sum());
            System.out.flush();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static AutoCloseable startJdk(int port, Instrumentation instr, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        HttpContext ctx = server.createContext("/hello", (HttpExchange ex) -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                ex.sendResponseHeaders(200, BODY.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(BODY);
                }
                SERVED.increment();
                instr.onRequest("/hello", 200);
            }
        });
        ctx.getFilters().addAll(instr.jdkFilters());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        server.setExecutor(pool);
        server.start();
        System.out.println("LISTENING " + server.getAddress().getPort());
        return () -> {
            server.stop(0);
            pool.shutdownNow();
        };
    }

    private static AutoCloseable startJetty(int port, Instrumentation instr) throws Exception {
        org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        for (jakarta.servlet.Filter f : instr.servletFilters()) {
            context.addFilter(new FilterHolder(f), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder(new HelloServlet(instr)), "/hello");
        server.setHandler(context);
        server.start();
        System.out.println("LISTENING " + connector.getLocalPort());
        return server::stop;
    }

    /**
     * {@code default} keeps gRPC's cached executor (what most services run); {@code direct} runs the handler on the
     * Netty event loop. On the shared 2-core machine {@code direct} measured far slower and noisier, so it is
     * opt-in ({@code --grpc-executor direct}).
     */
    private static AutoCloseable startGrpc(int port, Instrumentation instr, String executor) throws IOException {
        var service = ServerInterceptors.intercept(new HelloService(instr), instr.grpcInterceptors());
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(service);
        switch (executor) {
            case "direct" -> builder.directExecutor();
            case "default" -> {}
            default ->
                throw new IllegalArgumentException("--grpc-executor must be direct or default, got '" + executor + "'");
        }
        Server server = builder.build().start();
        System.out.println("LISTENING " + server.getPort());
        return () -> {
            server.shutdown();
            server.awaitTermination(5, TimeUnit.SECONDS);
        };
    }

    static final class HelloServlet extends HttpServlet {
        private final transient Instrumentation instr;

        HelloServlet(Instrumentation instr) {
            this.instr = instr;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setStatus(200);
            resp.setContentType("text/plain");
            resp.setContentLength(BODY.length);
            resp.getOutputStream().write(BODY);
            SERVED.increment();
            instr.onRequest("/hello", 200);
        }
    }

    static final class HelloService extends HelloGrpc.HelloImplBase {
        private final Instrumentation instr;

        HelloService(Instrumentation instr) {
            this.instr = instr;
        }

        @Override
        public void say(HelloRequest request, StreamObserver<HelloReply> response) {
            response.onNext(HelloReply.newBuilder()
                    .setMessage("hello " + request.getName())
                    .build());
            response.onCompleted();
            SERVED.increment();
            instr.onRequest("marty.bench.Hello/Say", 0);
        }
    }
}
