package io.marty.observability.loganalysis.mining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Guards the accuracy of the default configuration on Loghub-2k (third-party data kept outside
 * the repo; found by {@link LoghubDataset#locate()}). Skipped when the data is absent. The floors sit just below
 * the scores of the default configuration and at or above Drain's published GA.
 */
class LoghubAccuracyTest {

    static Path dataRoot() {
        return LoghubDataset.locate().orElse(null);
    }

    @ParameterizedTest(name = "{0}: GA >= {1} (Drain {2}), corrected PA >= {3}")
    @CsvSource({
        // dataset, GA floor (original labels), Drain GA, PA floor (corrected labels)
        "HDFS,      0.99, 0.998, 0.60",
        "OpenSSH,   0.99, 0.788, 0.45",
        "Proxifier, 0.99, 0.527, 0.00",
        "Spark,     0.99, 0.920, 0.70",
        "Mac,       0.90, 0.787, 0.45",
    })
    void gaStaysAboveFloor(String dataset, double gaFloor, double drainGa, double paFloor) throws IOException {
        Path root = dataRoot();
        assumeTrue(root != null && Files.isDirectory(root.resolve(dataset)), "Loghub-2k data not present");
        LoghubDataset original = LoghubDataset.load(root.resolve(dataset).resolve(dataset + "_2k.log_structured.csv"));
        LoghubDataset corrected =
                LoghubDataset.load(root.resolve(dataset).resolve(dataset + "_2k.log_structured_corrected.csv"));
        assertThat(original.contents()).hasSize(2000);

        ParsingAccuracy o = original.evaluate(TemplateMiner.builder().build());
        ParsingAccuracy c = corrected.evaluate(TemplateMiner.builder().build());
        assertThat(o.ga()).isGreaterThanOrEqualTo(gaFloor).isGreaterThanOrEqualTo(drainGa);
        assertThat(c.pa()).isGreaterThanOrEqualTo(paFloor);
    }
}
