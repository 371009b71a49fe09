package io.marty.observability.business;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {
    private static final long BUCKET = Duration.ofMinutes(5).toMillis();

    static AnomalyDetector detector() {
        return AnomalyDetector.builder()
                .bucket(Duration.ofMinutes(5))
                .season(Duration.ofDays(1))
                .seasons(7)
                .minSeasons(2)
                .sensitivity(3.5)
                .minRelativeChange(0.3)
                .consecutive(2)
                .direction(AnomalyDetector.Direction.DROP)
                .build();
    }

    /** Feeds {@code days} of traffic from {@code from}; returns the results of every closed bucket. */
    private static int[] run(AnomalyDetector d, SeasonalTraffic traffic, long from, long to, long countFrom) {
        int buckets = 0;
        int deviating = 0;
        int anomalous = 0;
        int episodes = 0;
        boolean inEpisode = false;
        for (long t = from; t < to; t += BUCKET) {
            d.add(t, traffic.revenue(t, 1.0));
            for (AnomalyDetector.Result r : d.evaluate(t + BUCKET)) {
                if (r.bucketStartMillis() < countFrom) {
                    continue;
                }
                buckets++;
                deviating += r.deviating() ? 1 : 0;
                anomalous += r.anomalous() ? 1 : 0;
                if (r.anomalous() && !inEpisode) {
                    episodes++;
                }
                inEpisode = r.anomalous();
            }
        }
        return new int[] {buckets, deviating, anomalous, episodes};
    }

    @Test
    void staysQuietOnFourteenDaysOfSeasonalTrafficAndCatchesAFiftyPercentDropWithinTwoBuckets() throws Exception {
        AnomalyDetector d = detector();
        SeasonalTraffic traffic = new SeasonalTraffic(20260302L, 100);
        long start = SeasonalTraffic.start();
        long measured = start + SeasonalTraffic.days(7); // a week of history first
        long end = measured + SeasonalTraffic.days(14);
        int[] quiet = run(d, traffic, start, end, measured);
        double fpRate = (double) quiet[2] / quiet[0];

        // then a 50 % revenue drop at 14:00 of the next day (a busy hour), lasting two hours
        long dropAt = end + Duration.ofHours(14).toMillis();
        long detectedAt = -1;
        for (long t = end; t < dropAt + Duration.ofHours(2).toMillis() && detectedAt < 0; t += BUCKET) {
            d.add(t, traffic.revenue(t, t >= dropAt ? 0.5 : 1.0));
            for (AnomalyDetector.Result r : d.evaluate(t + BUCKET)) {
                if (r.anomalous() && r.bucketStartMillis() >= dropAt) {
                    detectedAt = r.bucketStartMillis() + BUCKET; // known when the bucket closes
                } else if (r.anomalous()) {
                    quiet[3]++;
                }
            }
        }
        long delayMinutes =
                detectedAt < 0 ? -1 : Duration.ofMillis(detectedAt - dropAt).toMinutes();
        String figures = String.format(
                Locale.ROOT,
                "buckets=%d deviating=%d anomalous=%d episodes=%d fp_rate=%.5f delay_minutes=%d",
                quiet[0],
                quiet[1],
                quiet[2],
                quiet[3],
                fpRate,
                delayMinutes);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/anomaly-figures.txt"), figures + "\n");
        System.out.println("anomaly figures: " + figures);

        assertThat(quiet[0]).isEqualTo(14 * 288);
        assertThat(quiet[3]).as(figures).isZero();
        assertThat(fpRate).as(figures).isZero();
        assertThat(detectedAt).as("50%% drop not detected: %s", figures).isPositive();
        assertThat(delayMinutes).as(figures).isLessThanOrEqualTo(15);
    }

    @Test
    void warmsUpBeforeJudgingAndThenFlagsADrop() {
        AnomalyDetector d = AnomalyDetector.builder()
                .bucket(Duration.ofSeconds(10))
                .season(Duration.ofMinutes(1))
                .seasons(3)
                .minSeasons(2)
                .consecutive(1)
                .build();
        long t0 = 1_000_000_000L;
        for (int i = 0; i < 18; i++) { // three seasons of a flat 100 per bucket
            d.add(t0 + i * 10_000L, 100);
        }
        List<AnomalyDetector.Result> first = d.evaluate(t0 + 180_000);
        assertThat(first).hasSize(18);
        // first season: no history; second: one season (warming up, needs two); third: judged
        assertThat(first.subList(0, 11)).allMatch(AnomalyDetector.Result::warmingUp);
        assertThat(first.subList(12, 18)).noneMatch(AnomalyDetector.Result::warmingUp);
        assertThat(first).noneMatch(AnomalyDetector.Result::anomalous);
        d.add(t0 + 180_000, 40);
        List<AnomalyDetector.Result> r = d.evaluate(t0 + 190_000);
        assertThat(r).singleElement().satisfies(x -> {
            assertThat(x.warmingUp()).isFalse();
            assertThat(x.expected()).isEqualTo(100.0);
            assertThat(x.anomalous()).isTrue();
            assertThat(x.explanation()).contains("drop").contains("-60%");
        });
        d.add(t0 + 190_000, 95);
        assertThat(d.evaluate(t0 + 200_000))
                .singleElement()
                .satisfies(x -> assertThat(x.anomalous()).isFalse());
    }

    @Test
    void spikesAreIgnoredWhenWatchingDrops() {
        AnomalyDetector d = AnomalyDetector.builder()
                .bucket(Duration.ofSeconds(10))
                .season(Duration.ofMinutes(1))
                .seasons(2)
                .minSeasons(1)
                .consecutive(1)
                .build();
        long t0 = 1_000_000_000L;
        for (int i = 0; i < 6; i++) {
            d.add(t0 + i * 10_000L, 100);
        }
        d.add(t0 + 60_000, 500);
        List<AnomalyDetector.Result> r = d.evaluate(t0 + 70_000);
        assertThat(r.get(r.size() - 1).anomalous()).isFalse();
        assertThat(r.get(r.size() - 1).score()).isGreaterThan(4);
    }

    @Test
    void badSettingsFailNamingTheSetting() {
        assertThatThrownBy(() -> AnomalyDetector.builder()
                        .bucket(Duration.ofMinutes(7))
                        .season(Duration.ofDays(1))
                        .build())
                .hasMessageContaining("season");
        assertThatThrownBy(() -> AnomalyDetector.builder().sensitivity(0)).hasMessageContaining("sensitivity");
        assertThatThrownBy(
                        () -> AnomalyDetector.builder().seasons(2).minSeasons(3).build())
                .hasMessageContaining("minSeasons");
    }
}
