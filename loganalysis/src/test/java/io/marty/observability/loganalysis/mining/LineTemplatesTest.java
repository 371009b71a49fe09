package io.marty.observability.loganalysis.mining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineTemplatesTest {

    @Test
    void everyLineGetsItsFinalTemplateAfterMerges() throws Exception {
        LineTemplates lt = new LineTemplates(TemplateMiner.builder().build());
        MatchResult first = lt.add("Invalid user alice from 1.2.3.4");
        lt.add("Invalid user bob from 1.2.3.5");
        lt.add("Invalid user carol, \"admin\" from 1.2.3.6"); // other token count: own template
        lt.add("Invalid user dave from 1.2.3.7");
        lt.add("Invalid user erin from 1.2.3.8");
        lt.add("Invalid user frank from 1.2.3.9"); // the fifth distinct word: the position is a variable
        assertThat(first.template()).as("at arrival").isEqualTo("Invalid user alice from <*>");
        assertThat(lt.finalTemplates())
                .containsExactly(
                        "Invalid user <*> from <*>",
                        "Invalid user <*> from <*>",
                        "Invalid user carol, \"admin\" from <*>",
                        "Invalid user <*> from <*>",
                        "Invalid user <*> from <*>",
                        "Invalid user <*> from <*>");
        assertThat(lt.finalIdOf(1)).isEqualTo(lt.finalIdOf(0)).isEqualTo(lt.finalIdOf(4));

        StringBuilder csv = new StringBuilder();
        lt.writeCsv(csv);
        List<List<String>> rows = TemplateCsv.read(new StringReader(csv.toString()));
        assertThat(rows).hasSize(7);
        assertThat(rows.get(0)).containsExactly("LineId", "EventId", "EventTemplate");
        assertThat(rows.get(3)).containsExactly("3", "E" + lt.finalIdOf(2), "Invalid user carol, \"admin\" from <*>");
        assertThat(rows.get(4).get(0)).isEqualTo("4");
        assertThat(rows.get(4).get(1)).isEqualTo(rows.get(1).get(1));
    }

    @Test
    void indexOutsideRecordedLinesIsAnError() {
        LineTemplates lt = new LineTemplates(TemplateMiner.builder().build());
        lt.add("x");
        assertThat(lt.size()).isEqualTo(1);
        assertThatThrownBy(() -> lt.finalTemplateOf(1)).hasMessageContaining("line index 1");
    }

    @Test
    void growsPastItsInitialCapacity() {
        LineTemplates lt = new LineTemplates(TemplateMiner.builder().build());
        for (int i = 0; i < 5_000; i++) {
            lt.add("request " + i + " done");
        }
        assertThat(lt.size()).isEqualTo(5_000);
        assertThat(lt.finalTemplateOf(4_999)).isEqualTo("request <*> done");
    }
}
