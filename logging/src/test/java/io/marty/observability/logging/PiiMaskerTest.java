package io.marty.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.MDC;

class PiiMaskerTest {
    static final String PASSWORD = "hunter2-Sup3rSecret";
    static final String API_KEY = "ak_live_9f8e7d6c5b4a";
    static final String NESTED_TOKEN = "nested-tok-77aa88bb";
    static final String EMAIL = "jane.doe@example.com";
    static final String CARD = "4111 1111 1111 1111";
    static final String CARD_DIGITS = "4111111111111111";
    static final String BEARER = "abcDEF123.secretBearerValue";
    static final String JWT =
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    static final String IBAN = "DE89370400440532013000";
    static final String COOKIE = "session=abcdef0123456789";

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @ParameterizedTest
    @EnumSource(MaskingStrategy.class)
    void noConfiguredSecretReachesTheOutput(MaskingStrategy strategy) {
        try (TestLogs logs = new TestLogs(e -> {
            e.setMaskingStrategy(strategy.name().toLowerCase());
            e.setMaskingSalt("pepper");
            e.setSensitiveKeys("iban");
        })) {
            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("access_token", NESTED_TOKEN);
            nested.put("inner", Map.of("Authorization", "Bearer " + BEARER, "note", "mail " + EMAIL));
            MDC.put("apiKey", API_KEY);
            logs.logger("x")
                    .atInfo()
                    .addKeyValue("password", PASSWORD)
                    .addKeyValue("db_password", PASSWORD)
                    .addKeyValue("X-Api-Key", API_KEY)
                    .addKeyValue("payload", nested)
                    .addKeyValue("list", List.of("card " + CARD, JWT))
                    .addKeyValue("IBAN", IBAN)
                    .addKeyValue("cookie", COOKIE)
                    .log("login by {} with card {} token Bearer {} jwt {}", EMAIL, CARD, BEARER, JWT);
            logs.logger("x")
                    .error(
                            "failed for " + EMAIL,
                            new IllegalStateException("card " + CARD_DIGITS + " declined for " + EMAIL));
            String out = logs.text();
            for (String secret :
                    List.of(PASSWORD, API_KEY, NESTED_TOKEN, EMAIL, CARD, CARD_DIGITS, BEARER, JWT, IBAN, COOKIE)) {
                assertThat(out).as("%s leaks with %s", secret, strategy).doesNotContain(secret);
            }
            // and the lines are still valid JSON with the structure intact
            List<JsonNode> lines = logs.lines();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0).get("fields").get("payload").get("inner").has("note"))
                    .isTrue();
            assertThat(lines.get(1).get("exception").get("stack").asText()).contains("declined");
        }
    }

    @Test
    void strategiesProduceTheDocumentedShapes() {
        PiiMasker redact = PiiMasker.defaults();
        PiiMasker partial =
                PiiMasker.builder().strategy(MaskingStrategy.PARTIAL).build();
        PiiMasker hash = PiiMasker.builder().strategy("hash").salt("s1").build();
        PiiMasker otherSalt = PiiMasker.builder().strategy("hash").salt("s2").build();

        assertThat(redact.maskValue("secret-value")).isEqualTo("[REDACTED]");
        assertThat(partial.maskValue("secret-1234")).isEqualTo("****1234");
        assertThat(partial.maskValue("abc")).isEqualTo("****");
        assertThat(hash.maskValue("v")).startsWith("sha256:").hasSize(23).isEqualTo(hash.maskValue("v"));
        assertThat(hash.maskValue("v")).isNotEqualTo(otherSalt.maskValue("v"));

        assertThat(redact.maskText("to jane.doe@example.com now")).isEqualTo("to [REDACTED:email] now");
        assertThat(partial.maskText("to jane.doe@example.com now")).isEqualTo("to j***@example.com now");
        assertThat(partial.maskText("card 4111-1111-1111-1111.")).isEqualTo("card ****1111.");
        assertThat(redact.maskText("Authorization: Bearer abc.def")).isEqualTo("Authorization: Bearer [REDACTED]");
        assertThat(redact.maskText("t=" + JWT)).isEqualTo("t=[REDACTED:jwt]");
        assertThat(hash.maskText("a@b.io")).isEqualTo(hash.maskText("a@b.io")).startsWith("sha256:");
    }

    @Test
    void cardNumbersNeedLuhnAndBoundaries() {
        PiiMasker m = PiiMasker.defaults();
        assertThat(m.maskText("order 4111111111111112 id")).isEqualTo("order 4111111111111112 id"); // fails Luhn
        assertThat(m.maskText("ts 1732585600000123")).isEqualTo("ts 1732585600000123");
        assertThat(m.maskText("x5500005555555559")).isEqualTo("x5500005555555559"); // glued to a word
        assertThat(m.maskText("mc 5500 0055 5555 5559")).isEqualTo("mc [REDACTED:card]");
        assertThat(m.maskText("amex 378282246310005")).isEqualTo("amex [REDACTED:card]");
    }

    @Test
    void textWithoutTriggersIsReturnedAsIs() {
        String s = "order 42 shipped to warehouse 7 at 10:00";
        assertThat(PiiMasker.defaults().maskText(s)).isSameAs(s);
        assertThat(PiiMasker.none().maskText(JWT + " " + EMAIL)).isEqualTo(JWT + " " + EMAIL);
    }

    @Test
    void sensitiveKeysMatchNormalizedSuffixes() {
        PiiMasker m = PiiMasker.defaults();
        assertThat(m.isSensitiveKey("password")).isTrue();
        assertThat(m.isSensitiveKey("DB_PASSWORD")).isTrue();
        assertThat(m.isSensitiveKey("x-api-key")).isTrue();
        assertThat(m.isSensitiveKey("accessToken")).isTrue();
        assertThat(m.isSensitiveKey("Set-Cookie")).isTrue();
        assertThat(m.isSensitiveKey("card.number")).isTrue();
        assertThat(m.isSensitiveKey("session_id")).isFalse();
        assertThat(m.isSensitiveKey("max_tokens")).isFalse();
        assertThat(m.isSensitiveKey("user_id")).isFalse();
        assertThatThrownBy(() -> PiiMasker.builder().addSensitiveKeys("--")).hasMessageContaining("'--'");
        assertThatThrownBy(() -> PiiMasker.builder().strategy("rot13")).hasMessageContaining("rot13");
    }

    @Test
    void headerRedactionForAccessLogs() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Authorization", List.of("Bearer " + BEARER));
        headers.put("Cookie", List.of(COOKIE, "b=2"));
        headers.put("X-Forwarded-For", List.of("10.0.0.1"));
        headers.put("X-Contact", List.of(EMAIL));
        Map<String, String> out = PiiMasker.defaults().redactHeaders(headers);
        assertThat(out)
                .containsEntry("Authorization", "[REDACTED]")
                .containsEntry("Cookie", "[REDACTED]")
                .containsEntry("X-Forwarded-For", "10.0.0.1")
                .containsEntry("X-Contact", "[REDACTED:email]");
        assertThat(out.toString()).doesNotContain(BEARER).doesNotContain(COOKIE).doesNotContain(EMAIL);
    }

    @Test
    void maskObjectCopiesNestedStructures() {
        Object masked =
                PiiMasker.defaults().maskObject(Map.of("user", Map.of("password", PASSWORD, "mail", EMAIL), "n", 3));
        assertThat(masked.toString())
                .doesNotContain(PASSWORD)
                .doesNotContain(EMAIL)
                .contains("n=3");
    }
}
