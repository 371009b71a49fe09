package io.marty.observability.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonStringsTest {
    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertThat(JsonStrings.quote("a\"b\\c\nd\re\tf\u0001g")).isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\"");
    }

    @Test
    void keepsNonAsciiAndAppendsToTheBuilder() {
        StringBuilder sb = new StringBuilder("x=");
        JsonStrings.quote(sb, "café ✓");
        assertThat(sb).hasToString("x=\"café ✓\"");
    }
}
