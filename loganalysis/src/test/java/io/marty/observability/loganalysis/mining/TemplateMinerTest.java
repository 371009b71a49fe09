package io.marty.observability.loganalysis.mining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marty.observability.loganalysis.Template;
import io.marty.observability.loganalysis.mining.internal.Masker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TemplateMinerTest {

    private static String templateOf(String line) {
        return TemplateMiner.builder().build().add(line).template();
    }

    @Test
    void coversReadsEachWildcardAsAnyText() {
        assertThat(Masker.covers("<*>", "")).isTrue();
        assertThat(Masker.covers("<*>", "anything at all")).isTrue();
        assertThat(Masker.covers("<*>:<*>", "wpad:<*>")).isTrue();
        assertThat(Masker.covers("a<*>b", "ab")).isTrue();
        assertThat(Masker.covers("x<*>y<*>", "xay")).isTrue();
        assertThat(Masker.covers("(<*>)", "(12)")).isTrue();
        assertThat(Masker.covers("<<*>", "<x")).isTrue(); // a '<' not opening <*> is a literal
        assertThat(Masker.covers("a<*>", "bbc")).isFalse();
        assertThat(Masker.covers("<*>c", "abd")).isFalse();
        assertThat(Masker.covers("a<*>b", "b")).isFalse();
        assertThat(Masker.covers("<*>:<*>", "wpad")).isFalse();
        assertThat(Masker.covers("plain", "plain")).isFalse(); // no wildcard: equality is not covering
    }

    @Test
    void repeatedLineFollowsItsTemplateAfterItGeneralises() {
        TemplateMiner m = TemplateMiner.builder().build();
        String first = "session opened for user alice by root";
        long id = m.add(first).templateId();
        for (String user : new String[] {"bob", "carol", "dave", "erin"}) {
            m.add("session opened for user " + user + " by root");
        }
        MatchResult again = m.add(first); // seen verbatim before: its masked form comes from the line cache
        assertThat(again.templateId()).isEqualTo(m.finalIdOf(id));
        assertThat(again.template()).isEqualTo("session opened for user <*> by root");
        assertThat(m.add(new String(first.toCharArray())).templateId()).isEqualTo(again.templateId());
    }

    @Test
    void linesWithEqualHashCodesKeepTheirOwnMaskedForm() {
        // "AaAa", "AaBB" and "BBBB" have one String hash code: the three lines share a set of the
        // line cache, which holds two, so one is evicted and each must still get its own template
        String[] lines = {
            "worker AaAa stopped after 3 retries",
            "worker AaBB stopped after 3 retries",
            "worker BBBB stopped after 3 retries"
        };
        assertThat(lines[0].hashCode()).isEqualTo(lines[1].hashCode()).isEqualTo(lines[2].hashCode());
        TemplateMiner m = TemplateMiner.builder().cacheSize(2).build();
        for (int round = 0; round < 3; round++) {
            for (String line : lines) {
                String word = line.split(" ")[1];
                assertThat(m.add(line).template()).isEqualTo("worker " + word + " stopped after <*> retries");
            }
        }
        assertThat(m.templateCount()).isEqualTo(3);
    }

    @Test
    void sameShapeGetsSameIdAndStableTemplate() {
        TemplateMiner m = TemplateMiner.builder().build();
        MatchResult a =
                m.add("Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010");
        MatchResult b =
                m.add("Receiving block blk_7503483334202473044 src: /10.251.71.16:36986 dest: /10.251.71.16:50010");
        MatchResult c =
                m.add("Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010");
        assertThat(a.created()).isTrue();
        assertThat(b.created()).isFalse();
        assertThat(b.templateId()).isEqualTo(a.templateId());
        assertThat(c.templateId()).isEqualTo(a.templateId());
        assertThat(b.template()).isEqualTo("Receiving block <*> src: <*>:<*> dest: <*>:<*>");
        assertThat(m.templateCount()).isEqualTo(1);
        assertThat(m.templates())
                .singleElement()
                .satisfies(t -> assertThat(t.count()).isEqualTo(3));
    }

    @Test
    void differentMessagesGetDifferentIds() {
        TemplateMiner m = TemplateMiner.builder().build();
        long a = m.add("Connection closed by 1.2.3.4 [preauth]").templateId();
        long b =
                m.add("Received disconnect from 1.2.3.4: 11: Bye Bye [preauth]").templateId();
        long c = m.add("generating core.2275").templateId();
        long d = m.add("program interrupt").templateId();
        assertThat(List.of(a, b, c, d)).doesNotHaveDuplicates();
    }

    @Test
    void masksGenericVariables() {
        assertThat(templateOf("took 12 ms to send 93.0 B")).isEqualTo("took <*> to send <*>");
        assertThat(templateOf("peer 192.168.0.1 port 22 hex 0xdeadbeef")).isEqualTo("peer <*> port <*> hex <*>");
        assertThat(templateOf("instance 96abccce-8d1f-4e07-b6d1-4b2ab87e23b4 started"))
                .isEqualTo("instance <*> started");
        assertThat(templateOf("loading '/usr/lib/jvm/java/bin/java' now")).isEqualTo("loading '<*>' now");
        assertThat(templateOf("acquire lock=166121161, flags=0x1, tag=\"RILJ\", name=com.android.phone"))
                .isEqualTo("acquire lock=<*>, flags=<*>, tag=<*>, name=<*>");
        assertThat(templateOf("at 12:30:45 on 2016-09-28 done")).isEqualTo("at <*> on <*> done");
        assertThat(templateOf("Accepted password for root from 1.2.3.4 port 22 ssh2"))
                .as("a word with one version digit is a name, not a value")
                .isEqualTo("Accepted password for root from <*> port <*> ssh2");
        assertThat(templateOf("delete blk_11 blk_22 blk_33 blk_44 blk_55")).isEqualTo("delete <*>");
        assertThat(templateOf("sent 1190 bytes (1.16 KB) ok")).isEqualTo("sent <*> bytes ok");
    }

    @Test
    void wordPositionBecomesVariableOnlyAfterEnoughDistinctWords() {
        TemplateMiner m = TemplateMiner.builder().minDistinctWords(4).build();
        long started = m.add("VM Started (Lifecycle Event)").templateId();
        long stopped = m.add("VM Stopped (Lifecycle Event)").templateId();
        assertThat(stopped).as("two values look like an enum: kept apart").isNotEqualTo(started);
        assertThat(m.finalTemplateOf(started)).contains("VM Started (Lifecycle Event)");

        TemplateMiner users = TemplateMiner.builder().minDistinctWords(4).build();
        long alice = users.add("Invalid user alice from 1.2.3.4").templateId();
        long bob = users.add("Invalid user bob from 1.2.3.5").templateId();
        long carolBefore = users.add("Invalid user carol from 1.2.3.6").templateId();
        assertThat(users.templateCount())
                .as("three distinct words: still apart")
                .isEqualTo(3);
        MatchResult carol = users.add("Invalid user dave from 1.2.3.7");
        assertThat(users.finalIdOf(carolBefore)).isEqualTo(alice);
        assertThat(carol.template()).isEqualTo("Invalid user <*> from <*>");
        assertThat(users.finalIdOf(bob)).isEqualTo(alice).isEqualTo(carol.templateId());
        assertThat(users.finalTemplateOf(bob)).contains("Invalid user <*> from <*>");
        assertThat(users.templateCount()).isEqualTo(1);
        assertThat(users.mergedTemplates()).isEqualTo(2);
        assertThat(users.templates().get(0).count()).isEqualTo(4);
    }

    @Test
    void partlyMaskedTokensMatchTheirMoreGeneralPattern() {
        TemplateMiner m = TemplateMiner.builder().build();
        long a = m.add("wpad:80 close, 0 bytes sent").templateId();
        assertThat(m.finalTemplateOf(a)).contains("wpad:<*> close, <*> bytes sent");
        MatchResult b = m.add("proxy.example.org:5070 close, 1 bytes sent"); // host:port -> <*>:<*>
        assertThat(b.templateId()).isEqualTo(a);
        assertThat(b.template()).isEqualTo("<*>:<*> close, <*> bytes sent");
        assertThat(m.add("get:443 close, 9 bytes sent").templateId()).isEqualTo(a);
        assertThat(m.templateCount()).isEqualTo(1);
    }

    @Test
    void templatesAreCappedWithCountedEviction() {
        TemplateMiner m =
                TemplateMiner.builder().maxTemplates(5).historySize(1_000).build();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(m.add("event" + (char) ('a' + i % 26) + (char) ('a' + i / 26) + " happened")
                    .templateId());
        }
        assertThat(m.templateCount()).isEqualTo(5);
        assertThat(m.evictedTemplates()).isEqualTo(95);
        assertThat(m.finalTemplateOf(ids.get(0)))
                .as("evicted text stays resolvable")
                .contains("eventaa happened");

        TemplateMiner small =
                TemplateMiner.builder().maxTemplates(1).historySize(2).build();
        long first = small.add("alpha one").templateId();
        small.add("beta two");
        small.add("gamma three");
        small.add("delta four");
        assertThat(small.forgottenHistory()).isEqualTo(1);
        assertThat(small.finalTemplateOf(first)).isEmpty();
        assertThat(small.finalTemplateOf(424242)).isEmpty();
    }

    @Test
    void oddInputNeverThrows() {
        TemplateMiner m = TemplateMiner.builder().maxTokens(8).build();
        assertThat(m.add(null).template()).isEmpty();
        assertThat(m.add("   ").template()).isEmpty();
        assertThat(m.add("a b c d e f g h i j k l").template()).isEqualTo("a b c d e f g <*>");
        assertThat(m.add("\u0000\uFFFF \uD83D\uDE00 =x= === '' (((").template()).isNotNull();
        assertThat(m.lineCount()).isEqualTo(4);
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> TemplateMiner.builder().similarityThreshold(0))
                .hasMessageContaining("similarityThreshold")
                .hasMessageContaining("0.0");
        assertThatThrownBy(() -> TemplateMiner.builder().maxTemplates(-1))
                .hasMessageContaining("maxTemplates")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> TemplateMiner.builder().minDistinctWords(1)).hasMessageContaining("minDistinctWords");
        assertThatThrownBy(() -> TemplateMiner.builder().maxTokens(1)).hasMessageContaining("maxTokens");
        assertThatThrownBy(() -> TemplateMiner.builder().historySize(0)).hasMessageContaining("historySize");
        assertThatThrownBy(() -> TemplateMiner.builder().cacheSize(0)).hasMessageContaining("cacheSize");
    }

    @Test
    void concurrentAddsAreAllCounted() throws Exception {
        TemplateMiner m = TemplateMiner.builder().build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int tt = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        m.add("worker " + tt + " handled request " + i + " in " + (i % 50) + " ms");
                        m.add("cache miss for key k" + i);
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(m.lineCount()).isEqualTo(16_000);
        assertThat(m.templates().stream().mapToLong(Template::count).sum()).isEqualTo(16_000);
        assertThat(m.templates())
                .extracting(Template::text)
                .containsExactlyInAnyOrder("worker <*> handled request <*> in <*>", "cache miss for key <*>");
    }
}
