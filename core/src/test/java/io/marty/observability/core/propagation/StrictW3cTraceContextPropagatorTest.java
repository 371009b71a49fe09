package io.marty.observability.core.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per processing rule of W3C Trace Context Level 2 (cases follow the w3c test suite). */
class StrictW3cTraceContextPropagatorTest {

    private static final String TRACE_ID = "12345678901234567890123456789012";
    private static final String PARENT_ID = "1234567890123456";
    private static final String VALID = "00-" + TRACE_ID + "-" + PARENT_ID + "-01";

    private final StrictW3cTraceContextPropagator propagator = StrictW3cTraceContextPropagator.getInstance();

    /** Header lines in arrival order, names case-insensitive, as an HTTP server presents them. */
    private static final class Headers {
        final List<String[]> lines = new ArrayList<>();

        Headers add(String name, String value) {
            lines.add(new String[] {name, value});
            return this;
        }
    }

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            carrier.lines.forEach(l -> keys.add(l[0]));
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            Iterator<String> all = getAll(carrier, key);
            return all.hasNext() ? all.next() : null;
        }

        @Override
        public Iterator<String> getAll(Headers carrier, String key) {
            List<String> values = new ArrayList<>();
            for (String[] line : carrier.lines) {
                if (line[0].toLowerCase(Locale.ROOT).equals(key)) {
                    values.add(line[1]);
                }
            }
            return values.iterator();
        }
    };

    private SpanContext extract(Headers headers) {
        return Span.fromContext(propagator.extract(Context.root(), headers, GETTER))
                .getSpanContext();
    }

    private SpanContext extractTraceparent(String traceparent) {
        return extract(new Headers().add("traceparent", traceparent));
    }

    private TraceState extractState(String... tracestateLines) {
        Headers headers = new Headers().add("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-00");
        for (String line : tracestateLines) {
            headers.add("tracestate", line);
        }
        SpanContext context = extract(headers);
        assertThat(context.getTraceId()).isEqualTo(TRACE_ID);
        return context.getTraceState();
    }

    private static Map<String, String> asMap(TraceState state) {
        Map<String, String> map = new LinkedHashMap<>();
        state.forEach(map::put);
        return map;
    }

    @Test
    void validTraceparentIsExtractedAsRemoteParent() {
        SpanContext context = extractTraceparent(VALID);
        assertThat(context.isValid()).isTrue();
        assertThat(context.isRemote()).isTrue();
        assertThat(context.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(context.getSpanId()).isEqualTo(PARENT_ID);
        assertThat(context.isSampled()).isTrue();
    }

    @Test
    void headerNameIsCaseInsensitiveAndWrongNamesAreIgnored() {
        assertThat(extract(new Headers().add("TrAcEpArEnT", VALID)).getTraceId())
                .isEqualTo(TRACE_ID);
        assertThat(extract(new Headers().add("trace-parent", VALID)).isValid()).isFalse();
        assertThat(extract(new Headers().add("trace.parent", VALID)).isValid()).isFalse();
    }

    @Test
    void duplicatedTraceparentRestartsTheTrace() {
        long before = propagator.rejectedTraceparents();
        Headers headers = new Headers()
                .add("traceparent", "00-12345678901234567890123456789011-1234567890123456-01")
                .add("traceparent", VALID);
        assertThat(extract(headers).isValid()).isFalse();
        assertThat(propagator.rejectedTraceparents()).isGreaterThan(before);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "00-12345678901234567890123456789012-1234567890123456-01.",
                "00-12345678901234567890123456789012-1234567890123456-01-what-the-future-will-be-like"
            })
    void version00WithExtraCharactersIsInvalid(String value) {
        assertThat(extractTraceparent(value).isValid()).isFalse();
    }

    @Test
    void futureVersionIsParsedAndExtraFieldsAreAllowedAfterADash() {
        assertThat(extractTraceparent("cc-" + TRACE_ID + "-" + PARENT_ID + "-01")
                        .getTraceId())
                .isEqualTo(TRACE_ID);
        assertThat(extractTraceparent("cc-" + TRACE_ID + "-" + PARENT_ID + "-01-what-the-future-will-be-like")
                        .getTraceId())
                .isEqualTo(TRACE_ID);
        assertThat(extractTraceparent("cc-" + TRACE_ID + "-" + PARENT_ID + "-01.what-the-future-will-be-like")
                        .isValid())
                .isFalse();
    }

    @Test
    void futureVersionKeepsOnlyTheSampledFlag() {
        SpanContext context = extractTraceparent("cc-" + TRACE_ID + "-" + PARENT_ID + "-ff");
        assertThat(context.getTraceFlags().asByte()).isEqualTo((byte) 0x01);
    }

    @Test
    void versionFfIsInvalid() {
        assertThat(extractTraceparent("ff-" + TRACE_ID + "-" + PARENT_ID + "-01")
                        .isValid())
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {".0", "0.", "0A", "000", "0000", "0"})
    void versionMustBeTwoLowercaseHexDigits(String version) {
        assertThat(extractTraceparent(version + "-" + TRACE_ID + "-" + PARENT_ID + "-01")
                        .isValid())
                .isFalse();
    }

    @Test
    void allZeroTraceIdIsInvalid() {
        assertThat(extractTraceparent("00-00000000000000000000000000000000-" + PARENT_ID + "-01")
                        .isValid())
                .isFalse();
    }

    @Test
    void allZeroParentIdIsInvalid() {
        assertThat(extractTraceparent("00-" + TRACE_ID + "-0000000000000000-01").isValid())
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "00-.2345678901234567890123456789012-1234567890123456-01",
                "00-1234567890123456789012345678901.-1234567890123456-01",
                "00-123456789012345678901234567890123-1234567890123456-01",
                "00-1234567890123456789012345678901-1234567890123456-01",
                "00-12345678901234567890123456789012-.234567890123456-01",
                "00-12345678901234567890123456789012-123456789012345.-01",
                "00-12345678901234567890123456789012-12345678901234567-01",
                "00-12345678901234567890123456789012-123456789012345-01",
                "00-12345678901234567890123456789012-1234567890123456-.0",
                "00-12345678901234567890123456789012-1234567890123456-0.",
                "00-12345678901234567890123456789012-1234567890123456-001",
                "00-12345678901234567890123456789012-1234567890123456-1",
                "00_12345678901234567890123456789012-1234567890123456-01",
                ""
            })
    void malformedFieldsAreInvalid(String value) {
        assertThat(extractTraceparent(value).isValid()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "00-ABCDEF78901234567890123456789012-1234567890123456-01",
                "00-12345678901234567890123456789012-ABCDEF7890123456-01",
                "00-12345678901234567890123456789012-1234567890123456-0A"
            })
    void uppercaseHexIsInvalid(String value) {
        assertThat(extractTraceparent(value).isValid()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "\t", "\t "})
    void surroundingOptionalWhitespaceIsIgnored(String ows) {
        assertThat(extractTraceparent(ows + VALID).getTraceId()).isEqualTo(TRACE_ID);
        assertThat(extractTraceparent(VALID + ows).getTraceId()).isEqualTo(TRACE_ID);
    }

    @Test
    void unknownFlagsAreIgnoredAndZeroedOnInject() {
        SpanContext context = extractTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-ff");
        assertThat(context.isSampled()).isTrue();
        assertThat(context.getTraceFlags().asByte()).isEqualTo((byte) 0x03);
        Map<String, String> out = new LinkedHashMap<>();
        propagator.inject(Context.root().with(Span.wrap(context)), out, Map::put);
        assertThat(out.get("traceparent")).isEqualTo("00-" + TRACE_ID + "-" + PARENT_ID + "-03");
    }

    @Test
    void notSampledFlagIsKept() {
        assertThat(extractTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-00")
                        .isSampled())
                .isFalse();
    }

    @Test
    void tracestateWithoutTraceparentIsIgnored() {
        SpanContext context = extract(new Headers().add("tracestate", "foo=1"));
        assertThat(context.isValid()).isFalse();
        assertThat(context.getTraceState().isEmpty()).isTrue();
    }

    @Test
    void tracestateIsDroppedWhenTraceparentIsInvalid() {
        SpanContext context = extract(new Headers()
                .add("traceparent", "00-00000000000000000000000000000000-" + PARENT_ID + "-01")
                .add("tracestate", "foo=1"));
        assertThat(context.getTraceState().isEmpty()).isTrue();
    }

    @Test
    void tracestateIsInherited() {
        assertThat(asMap(extractState("foo=1,bar=2"))).containsExactly(Map.entry("foo", "1"), Map.entry("bar", "2"));
    }

    @Test
    void tracestateHeaderNameIsCaseInsensitive() {
        Headers headers = new Headers().add("traceparent", VALID).add("TrAcEsTaTe", "foo=1");
        assertThat(asMap(extract(headers).getTraceState())).containsEntry("foo", "1");
        Headers wrong = new Headers().add("traceparent", VALID).add("trace-state", "foo=1");
        assertThat(extract(wrong).getTraceState().isEmpty()).isTrue();
    }

    @Test
    void emptyHeadersAndEmptyListMembersAreSkipped() {
        assertThat(extractState("").isEmpty()).isTrue();
        assertThat(asMap(extractState("foo=1", ""))).containsExactly(Map.entry("foo", "1"));
        assertThat(asMap(extractState("", "foo=1"))).containsExactly(Map.entry("foo", "1"));
        assertThat(asMap(extractState("foo=1,,, ,\t,bar=2")))
                .containsExactly(Map.entry("foo", "1"), Map.entry("bar", "2"));
    }

    @Test
    void multipleHeadersAreCombinedInOrder() {
        TraceState state = extractState("foo=1,bar=2", "rojo=1,congo=2", "baz=3");
        assertThat(TraceContextCodec.formatTracestate(state)).isEqualTo("foo=1,bar=2,rojo=1,congo=2,baz=3");
    }

    @Test
    void duplicateKeysKeepTheListWithTheFirstEntryOfEachKey() {
        long before = propagator.rejectedTracestates();
        assertThat(asMap(extractState("foo=1,foo=1"))).containsExactly(Map.entry("foo", "1"));
        assertThat(asMap(extractState("foo=1,foo=2"))).containsExactly(Map.entry("foo", "1"));
        assertThat(asMap(extractState("foo=1", "foo=1"))).containsExactly(Map.entry("foo", "1"));
        assertThat(asMap(extractState("foo=1", "foo=2"))).containsExactly(Map.entry("foo", "1"));
        assertThat(TraceContextCodec.formatTracestate(extractState("bar=0,foo=1", "foo=2,baz=3")))
                .isEqualTo("bar=0,foo=1,baz=3");
        assertThat(propagator.rejectedTracestates()).isEqualTo(before);
    }

    @Test
    void duplicateKeysStillCountTowardsTheMemberLimit() {
        StringBuilder list = new StringBuilder("foo=0");
        for (int i = 1; i <= 31; i++) {
            list.append(String.format(Locale.ROOT, ",bar%02d=%02d", i, i));
        }
        assertThat(extractState(list.toString()).size()).isEqualTo(32);
        assertThat(extractState(list + ",foo=1").isEmpty()).isTrue();
    }

    @Test
    void allAllowedCharactersAreAccepted() {
        String key = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
        StringBuilder value = new StringBuilder();
        for (char c = 0x20; c <= 0x7e; c++) {
            if (c != ',' && c != '=') {
                value.append(c);
            }
        }
        assertThat(asMap(extractState(key + "=" + value))).containsEntry(key, value.toString());
        assertThat(asMap(extractState(key + "@a-z0-9_-*/=" + value)))
                .containsEntry(key + "@a-z0-9_-*/", value.toString());
    }

    @Test
    void optionalWhitespaceAroundMembersIsIgnored() {
        assertThat(asMap(extractState("foo=1 \t , \t bar=2, \t baz=3")))
                .containsExactly(Map.entry("foo", "1"), Map.entry("bar", "2"), Map.entry("baz", "3"));
        assertThat(asMap(extractState("\t foo=1 \t"))).containsExactly(Map.entry("foo", "1"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "foo =1",
                "FOO=1",
                "foo.bar=1",
                "_foo=1",
                "-foo=1",
                "*foo=1",
                "/foo=1",
                "foo",
                "=1",
                "foo=",
                "foo=1\t2"
            })
    void illegalKeyOrValueDiscardsTheList(String member) {
        assertThat(extractState("bar=2," + member).isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo@", "foo@@bar", "foo@bar@baz", "foo@1ab", "a@", "1a-2f@foo", "1foo", "9", "x@*/_-@"})
    void atSignMayAppearAnywhereAfterTheFirstCharacterAndKeysMayStartWithADigit(String key) {
        assertThat(asMap(extractState(key + "=1,bar=2"))).containsExactly(Map.entry(key, "1"), Map.entry("bar", "2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"@foo=1", "@=1", "@1=1"})
    void keyStartingWithAtSignDiscardsTheList(String member) {
        assertThat(extractState(member + ",bar=2").isEmpty()).isTrue();
    }

    @Test
    void keyLengthLimitIs256InAnyForm() {
        List<String> valid = List.of(
                "z".repeat(256),
                "t".repeat(241) + "@" + "v".repeat(14),
                "t".repeat(242) + "@v" + "v".repeat(12),
                "t@" + "v".repeat(254),
                "t".repeat(128) + "@" + "v".repeat(127),
                "t".repeat(255) + "@");
        for (String key : valid) {
            assertThat(key).hasSize(256);
            assertThat(asMap(extractState("foo=1", key + "=1")))
                    .as("256-character key %s", key)
                    .containsExactly(Map.entry("foo", "1"), Map.entry(key, "1"));
        }
        assertThat(asMap(extractState("foo=1", "t".repeat(242) + "@v=1"))).hasSize(2);
        assertThat(asMap(extractState("foo=1", "t@" + "v".repeat(15) + "=1"))).hasSize(2);
        for (String key : List.of("z".repeat(257), "t".repeat(128) + "@" + "v".repeat(128))) {
            assertThat(extractState("foo=1", key + "=1").isEmpty())
                    .as("257-character key")
                    .isTrue();
        }
    }

    @Test
    void valueLengthLimit() {
        assertThat(asMap(extractState("foo=" + "v".repeat(256)))).containsKey("foo");
        assertThat(extractState("foo=" + "v".repeat(257)).isEmpty()).isTrue();
    }

    @Test
    void valueMayStartWithSpaceButNotEndWithOne() {
        assertThat(asMap(extractState("foo= 1"))).containsEntry("foo", " 1");
        // a trailing space belongs to the OWS around the member, so it is trimmed
        assertThat(asMap(extractState("foo=1 "))).containsEntry("foo", "1");
        assertThat(TraceContextCodec.isValidValue("1 ", 0, 2)).isFalse();
    }

    @Test
    void memberCountLimitIs32() {
        StringBuilder list = new StringBuilder();
        for (int i = 1; i <= 32; i++) {
            list.append(i == 1 ? "" : ",").append(String.format(Locale.ROOT, "bar%02d=%02d", i, i));
        }
        TraceState state = extractState(list.toString());
        assertThat(state.size()).isEqualTo(32);
        assertThat(state.get("bar01")).isEqualTo("01");
        assertThat(extractState(list + ",bar33=33").isEmpty()).isTrue();
    }

    @Test
    void oversizedTracestateIsRejectedWithoutParsing() {
        assertThat(TraceContextCodec.parseTracestate("a=" + "b,".repeat(20_000)))
                .isNull();
    }

    @Test
    void injectWritesTraceparentAndTracestateInOrder() {
        SpanContext context = SpanContext.create(
                TRACE_ID,
                PARENT_ID,
                TraceFlags.getSampled(),
                TraceState.builder().put("b", "2").put("a", "1").build());
        Map<String, String> out = new LinkedHashMap<>();
        propagator.inject(Context.root().with(Span.wrap(context)), out, Map::put);
        assertThat(out).containsEntry("traceparent", VALID).containsEntry("tracestate", "a=1,b=2");
    }

    @Test
    void injectWritesNothingForAnInvalidSpan() {
        Map<String, String> out = new LinkedHashMap<>();
        propagator.inject(Context.root(), out, Map::put);
        assertThat(out).isEmpty();
    }

    @Test
    void roundTripKeepsTheTracestate() {
        TraceState state = extractState("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
        Map<String, String> out = new LinkedHashMap<>();
        SpanContext context = SpanContext.create(TRACE_ID, PARENT_ID, TraceFlags.getDefault(), state);
        propagator.inject(Context.root().with(Span.wrap(context)), out, Map::put);
        assertThat(out.get("tracestate")).isEqualTo("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
        assertThat(propagator.fields()).containsExactly("traceparent", "tracestate");
    }

    @Test
    void level2KeysAndDeduplicatedListSurviveAnSdkSpanAndAreInjectedUnchanged() {
        Headers incoming = new Headers()
                .add("traceparent", VALID)
                .add("tracestate", "foo@@bar=1,congo=t61rcWkgMzE")
                .add("tracestate", "foo@bar@baz=2,congo=dup,x@=3");
        try (SdkTracerProvider provider = SdkTracerProvider.builder().build()) {
            Context parent = propagator.extract(Context.root(), incoming, GETTER);
            Span child =
                    provider.get("test").spanBuilder("child").setParent(parent).startSpan();
            Map<String, String> out = new LinkedHashMap<>();
            propagator.inject(Context.root().with(child), out, Map::put);
            child.end();
            assertThat(out.get("traceparent")).startsWith("00-" + TRACE_ID + "-");
            assertThat(out.get("tracestate")).isEqualTo("foo@@bar=1,congo=t61rcWkgMzE,foo@bar@baz=2,x@=3");
        }
    }

    @Test
    void traceStateBuilderKeepsLevel2KeysAndMovesUpdatesToTheFront() {
        TraceState state = extractState("foo@=1,bar=2,baz@@q=3");
        TraceState updated = state.toBuilder()
                .put("bar", "9")
                .put("new@", "4")
                .put("@bad", "5")
                .put("bad", "trailing ")
                .remove("foo@")
                .build();
        assertThat(TraceContextCodec.formatTracestate(updated)).isEqualTo("new@=4,bar=9,baz@@q=3");
        assertThat(updated.get("baz@@q")).isEqualTo("3");
        assertThat(updated.asMap()).containsOnlyKeys("new@", "bar", "baz@@q");
        assertThat(state.toBuilder()
                        .remove("foo@")
                        .remove("bar")
                        .remove("baz@@q")
                        .build())
                .isEqualTo(TraceState.getDefault());
        assertThat(extractState("a=1,b=2")).isEqualTo(extractState("a=1", "b=2"));
    }
}
