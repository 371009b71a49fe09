package io.marty.observability.loganalysis.mining;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No rule, word list or threshold of the module may be there for one benchmark dataset: the
 * production sources must not name any Loghub dataset. Names that are also ordinary words
 * (windows, spark, ...) are matched as written in the benchmark, the others in any case.
 */
class NoDatasetNamesTest {
    private static final Pattern AS_WRITTEN = Pattern.compile("\\b(Windows|Linux|Mac|Apache|Spark|HPC|BGL|HDFS)\\b");
    private static final Pattern ANY_CASE = Pattern.compile(
            "\\b(hdfs|hadoop|zookeeper|bgl|thunderbird|android|healthapp|openssh|openstack|proxifier)\\b",
            Pattern.CASE_INSENSITIVE);

    @Test
    void productionSourcesNameNoBenchmarkDataset() throws IOException {
        Path main = Path.of("src/main");
        assertThat(main).as("run from the module directory").isDirectory();
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                    for (int i = 0; i < lines.size(); i++) {
                        for (Pattern p : List.of(AS_WRITTEN, ANY_CASE)) {
                            Matcher m = p.matcher(lines.get(i));
                            if (m.find()) {
                                hits.add(f + ":" + (i + 1) + ": " + m.group());
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        assertThat(hits).isEmpty();
    }

    @Test
    void thePatternsFindTheNames() {
        assertThat(AS_WRITTEN.matcher("tuned for Spark logs").find()).isTrue();
        assertThat(ANY_CASE.matcher("if (source.equals(\"openstack\"))").find()).isTrue();
        assertThat(AS_WRITTEN.matcher("baseline windows of sparkling data").find())
                .isFalse();
    }
}
