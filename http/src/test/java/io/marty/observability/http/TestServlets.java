package io.marty.observability.http;

import io.marty.observability.core.correlation.CorrelationContext;
import io.opentelemetry.api.trace.Span;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/** Servlets the HTTP tests run behind the filter. */
final class TestServlets {

    private TestServlets() {}

    /** What the handler saw, as "correlationId|requestId|parentRequestId|mdcCorrelationId|traceId". */
    static String seenContext() {
        CorrelationContext c = CorrelationContext.current();
        return c.correlationId() + "|" + c.requestId() + "|" + c.parentRequestId() + "|" + MDC.get("correlation_id")
                + "|" + Span.current().getSpanContext().getTraceId();
    }

    /** Answers 200 with {@link #seenContext()}; {@code ?status=N} answers N. */
    static final class EchoServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String status = req.getParameter("status");
            resp.setStatus(status == null ? 200 : Integer.parseInt(status));
            resp.setContentType("text/plain");
            resp.getWriter().write(seenContext());
        }
    }

    /** Throws from the handler. */
    static final class ThrowingServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) {
            throw new IllegalStateException("handler failed on purpose");
        }
    }

    /** Completes the request on another thread after a short pause. */
    static final class AsyncServlet extends HttpServlet {
        private final ExecutorService executor;

        AsyncServlet(ExecutorService executor) {
            this.executor = executor;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) {
            AsyncContext async = req.startAsync();
            String seen = seenContext();
            executor.execute(() -> {
                try {
                    Thread.sleep(30);
                    resp.setStatus(202);
                    resp.getWriter().write(seen);
                } catch (Exception e) {
                    resp.setStatus(500);
                } finally {
                    async.complete();
                }
            });
        }
    }

    /** Streams a large body in flushed chunks until the client goes away (or 64 MiB). */
    static final class StreamingServlet extends HttpServlet {
        final CountDownLatch firstChunkSent = new CountDownLatch(1);
        volatile Throwable failure;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("application/octet-stream");
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            OutputStream out = resp.getOutputStream();
            try {
                for (int i = 0; i < 1024; i++) {
                    out.write(chunk);
                    out.flush();
                    firstChunkSent.countDown();
                    if (i > 0) {
                        TimeUnit.MILLISECONDS.sleep(5);
                    }
                }
            } catch (IOException e) {
                failure = e;
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
