package io.marty.observability.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void escapesQuotesBackslashesAndEveryControlCharacter() {
        assertThat(JsonWriter.quote("a\"b\\c\nd\re\tf\u0001g\bh\fi\u001fj\u007f"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\bh\\fi\\u001fj\u007f\"");
    }

    @Test
    void keepsNonAsciiAndSurrogatePairsButEscapesLoneSurrogates() {
        StringBuilder sb = new StringBuilder("x=");
        JsonWriter.quote(sb, "café ✓ 😀 \ud83d x \ude00");
        assertThat(sb).hasToString("x=\"café ✓ 😀 \\ud83d x \\ude00\"");
        assertThat(JsonWriter.quote("end\ud83d")).isEqualTo("\"end\\ud83d\"");
    }

    @Test
    void writesNestedObjectsAndArraysWithCommas() {
        String json = new JsonWriter()
                .beginObject()
                .field("s", "v")
                .field("n", (String) null)
                .field("l", 7L)
                .field("b", true)
                .name("a")
                .beginArray()
                .value(1L)
                .beginObject()
                .endObject()
                .beginArray()
                .endArray()
                .value("x")
                .endArray()
                .name("o")
                .beginObject()
                .field("k", false)
                .endObject()
                .endObject()
                .toString();
        assertThat(json)
                .isEqualTo("{\"s\":\"v\",\"n\":null,\"l\":7,\"b\":true,\"a\":[1,{},[],\"x\"],\"o\":{\"k\":false}}");
    }

    @Test
    void writesDoublesAsShortPlainDecimalsAndNonFiniteAsNull() {
        String json = new JsonWriter()
                .beginArray()
                .value(30.0)
                .value(0.999)
                .value(14.4)
                .value(-2.5)
                .value(0.00001)
                .value(1e20)
                .value(Double.NaN)
                .value(Double.POSITIVE_INFINITY)
                .endArray()
                .toString();
        assertThat(json).isEqualTo("[30,0.999,14.4,-2.5,0.00001,100000000000000000000,null,null]");
    }

    @Test
    void appendsToAGivenBuilder() {
        StringBuilder sb = new StringBuilder("prefix ");
        new JsonWriter(sb).beginObject().field("a", 1L).endObject();
        assertThat(sb).hasToString("prefix {\"a\":1}");
    }
}
