package io.marty.observability.http;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Embedded Jetty 12 (ee10) on 127.0.0.1 with an ephemeral port and a small thread pool. */
final class JettyTestServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    private JettyTestServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static Builder builder() {
        return new Builder();
    }

    int port() {
        return connector.getLocalPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    static final class Builder {
        private final Map<String, Filter> filters = new LinkedHashMap<>();
        private final Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        private int maxThreads = 16;

        Builder filter(Filter filter) {
            filters.put(filter.getClass().getName() + filters.size(), filter);
            return this;
        }

        Builder servlet(String mapping, HttpServlet servlet) {
            servlets.put(mapping, servlet);
            return this;
        }

        Builder maxThreads(int maxThreads) {
            this.maxThreads = maxThreads;
            return this;
        }

        JettyTestServer start() throws Exception {
            QueuedThreadPool pool = new QueuedThreadPool(maxThreads, 2);
            pool.setName("jetty-test");
            Server server = new Server(pool);
            ServerConnector connector = new ServerConnector(server, 1, 1);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            for (Filter filter : filters.values()) {
                FilterHolder holder = new FilterHolder(filter);
                holder.setAsyncSupported(true);
                context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
            }
            servlets.forEach((mapping, servlet) -> {
                ServletHolder holder = new ServletHolder(servlet);
                holder.setAsyncSupported(true);
                context.addServlet(holder, mapping);
            });
            server.setHandler(context);
            server.start();
            return new JettyTestServer(server, connector);
        }
    }
}
