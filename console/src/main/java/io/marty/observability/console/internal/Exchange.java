package io.marty.observability.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;

/**
 * One request/response pair as the console's handlers see it: blocking reads of the body and one
 * blocking write of the whole response (status line, headers and body leave in one write, so a
 * keep-alive client never waits on Nagle's algorithm).
 */
final class Exchange {
    private final Request request;
    private final Response response;
    private InputStream body;

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
            body = Content.Source.asInputStream(request);
        }
        return body;
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
