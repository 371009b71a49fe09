package io.marty.observability.console.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One request/response pair as the console's handlers see it: blocking reads of the body and one
 * blocking write of the whole response (status line, headers and body leave in one write, so a
 * keep-alive client never waits on Nagle's algorithm).
 */
final class Exchange {
    private final Request request;
    private final Response response;
    private InputStream body;
    private final AtomicLong bodyBytes = new AtomicLong();
    private volatile boolean bodyRead;

    Exchange(Request request, Response response) {
        this.request = request;
        this.response = response;
    }

    String method() {
        return request.getMethod();
    }

    /** Decoded path, e.g. {@code /api/traces/abc}. */
    String path() {
        return request.getHttpURI().getDecodedPath();
    }

    /** Raw (undecoded) query string or null. */
    String rawQuery() {
        return request.getHttpURI().getQuery();
    }

    /** First value of a request header, or null. */
    String header(String name) {
        return request.getHeaders().get(name);
    }

    List<String> headers(String name) {
        return request.getHeaders().getValuesList(name);
    }

    /** Declared Content-Length, or -1 when absent (chunked). */
    long contentLength() {
        return request.getLength();
    }

    InputStream body() {
        if (body == null) {
            body = new FilterInputStream(Content.Source.asInputStream(request)) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    bodyBytes.addAndGet(b < 0 ? 0 : 1);
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    bodyBytes.addAndGet(Math.max(0, n));
                    return n;
                }
            };
        }
        return body;
    }

    /**
     * Until {@link #bodyRead()}, closes the connection (failing the blocked read) as soon as the body
     * has arrived slower than {@code minBytesPerSecond} on average, checked every second: a client
     * trickling bytes never trips the idle timeout but must not hold a worker for long.
     */
    void guardBodyRate(long minBytesPerSecond) {
        long start = System.nanoTime();
        Scheduler scheduler = request.getComponents().getScheduler();
        Runnable check = new Runnable() {
            @Override
            public void run() {
                if (bodyRead) {
                    return;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (bodyBytes.get() < minBytesPerSecond * seconds) {
                    request.getConnectionMetaData()
                            .getConnection()
                            .getEndPoint()
                            .close();
                } else {
                    scheduler.schedule(this, 1, TimeUnit.SECONDS);
                }
            }
        };
        scheduler.schedule(check, 1, TimeUnit.SECONDS);
    }

    /** Ends the {@link #guardBodyRate} checks. */
    void bodyRead() {
        bodyRead = true;
    }

    void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    void addHeader(String name, String value) {
        response.getHeaders().add(name, value);
    }

    /** Writes status, headers and body at once and blocks until written. */
    void respond(int status, String contentType, byte[] bytes) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(true, ByteBuffer.wrap(bytes), written);
            written.block();
        }
    }
}
