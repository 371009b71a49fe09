package io.marty.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** An isolated Logback context writing JSON lines into memory; every line is parsed by Jackson. */
final class TestLogs implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final LoggerContext context = new LoggerContext();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final MartyJsonEncoder encoder = new MartyJsonEncoder();
    final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();

    TestLogs(Consumer<MartyJsonEncoder> config) {
        context.setName("test");
        context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
        context.start();
        encoder.setContext(context);
        encoder.setServiceName("orders");
        encoder.setServiceVersion("1.2.3");
        encoder.setEnvironment("testing");
        config.accept(encoder);
        encoder.start();
        appender.setContext(context);
        appender.setName("JSON");
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.setImmediateFlush(true);
        appender.start();
    }

    TestLogs() {
        this(e -> {});
    }

    /** Routes the root logger to {@code target} (default: the JSON appender). */
    Logger logger(String name) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender("JSON") == null && root.getAppender("ASYNC") == null) {
            root.addAppender(appender);
        }
        return context.getLogger(name);
    }

    void route(Appender<ILoggingEvent> a) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(a);
    }

    String text() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Parses every line; fails on any line that is not one complete JSON object. */
    List<JsonNode> lines() {
        String all = text();
        List<JsonNode> nodes = new ArrayList<>();
        if (all.isEmpty()) {
            return nodes;
        }
        assertThat(all).endsWith("\n");
        for (String line : all.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                assertThat(n.isObject()).as("line is a JSON object: %s", line).isTrue();
                nodes.add(n);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new AssertionError("not valid JSON: " + line, e);
            } catch (UncheckedIOException e) {
                throw new AssertionError(e);
            }
        }
        return nodes;
    }

    JsonNode single() {
        List<JsonNode> l = lines();
        assertThat(l).hasSize(1);
        return l.get(0);
    }

    @Override
    public void close() {
        context.stop();
    }
}
