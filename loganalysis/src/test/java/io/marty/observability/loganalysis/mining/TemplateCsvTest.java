package io.marty.observability.loganalysis.mining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateCsvTest {

    @Test
    void quotesOnlyWhenNeeded() {
        assertThat(TemplateCsv.field("plain <*> text")).isEqualTo("plain <*> text");
        assertThat(TemplateCsv.field("a, b")).isEqualTo("\"a, b\"");
        assertThat(TemplateCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(TemplateCsv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(TemplateCsv.field("cr\r")).isEqualTo("\"cr\r\"");
        assertThat(TemplateCsv.field(null)).isEmpty();
    }

    @Test
    void writtenRowsReadBackIdentically() throws Exception {
        StringBuilder sb = new StringBuilder();
        List<String> tricky = List.of("", "x", "a,b", "\"q\"", "multi\nline", "end\r\n", "  spaces  ");
        TemplateCsv.writeRow(sb, tricky.toArray(new String[0]));
        TemplateCsv.writeRow(sb, "1", "E1", "done");
        List<List<String>> rows = TemplateCsv.read(new StringReader(sb.toString()));
        assertThat(rows).containsExactly(tricky, List.of("1", "E1", "done"));
    }

    @Test
    void readsCrlfAndEmptyFields() throws Exception {
        List<List<String>> rows = TemplateCsv.read(new StringReader("a,,c\r\n\"x,y\",2,\r\nlast,row,no-newline"));
        assertThat(rows)
                .containsExactly(List.of("a", "", "c"), List.of("x,y", "2", ""), List.of("last", "row", "no-newline"));
    }

    @Test
    void unterminatedQuoteIsAnError() {
        assertThatThrownBy(() -> TemplateCsv.read(new StringReader("a,\"open\nb")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quoted field");
    }
}
