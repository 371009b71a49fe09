package io.marty.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonConsoleAppenderTest {
    @Test
    void streamsWholeLinesToStdoutFromEightThreads() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (TestLogs logs = new TestLogs()) {
            JsonConsoleAppender console = new JsonConsoleAppender();
            console.setContext(logs.context);
            console.setEncoder(logs.encoder);
            console.start();
            logs.route(console);
            Logger log = logs.context.getLogger("console");
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                ts.add(new Thread(() -> {
                    for (int i = 0; i < 1000; i++) {
                        log.atInfo().addKeyValue("t", id).addKeyValue("i", i).log("line \"{}\"\n", i);
                    }
                }));
            }
            ts.forEach(Thread::start);
            for (Thread t : ts) {
                t.join(60_000);
            }
            logs.context.stop();
        } finally {
            System.setOut(original);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            JsonNode n = TestLogs.JSON.readTree(line);
            assertThat(seen.add(n.get("fields").get("t").asInt() + ":"
                            + n.get("fields").get("i").asInt()))
                    .isTrue();
        }
        assertThat(seen).hasSize(8000);
    }
}
