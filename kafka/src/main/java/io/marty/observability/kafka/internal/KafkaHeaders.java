package io.marty.observability.kafka.internal;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Record headers as a propagation carrier. Values are UTF-8; a value that is not valid UTF-8 reads
 * as absent (the propagators then treat the header as missing, and {@code ConsumerInstrumentation}
 * counts it as malformed). Header names are case-sensitive in Kafka: the propagators retry the
 * lower-case name of an {@code X-MMF-*} header themselves. Internal: not a stable API.
 */
public final class KafkaHeaders {

    private KafkaHeaders() {}

    /** Reads the last header of a name (Kafka allows repeats; the last one written wins). */
    public static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            for (Header h : carrier) {
                keys.add(h.key());
            }
            return keys;
        }

        @Override
        public @Nullable String get(@Nullable Headers carrier, String key) {
            if (carrier == null) {
                return null;
            }
            Header h = carrier.lastHeader(key);
            return h == null ? null : decode(h.value());
        }

        @Override
        public Iterator<String> getAll(@Nullable Headers carrier, String key) {
            if (carrier == null) {
                return Collections.emptyIterator();
            }
            List<String> values = new ArrayList<>(1);
            for (Header h : carrier.headers(key)) {
                String v = decode(h.value());
                if (v != null) {
                    values.add(v);
                }
            }
            return values.iterator();
        }
    };

    /** Replaces earlier headers of the same name (a record re-sent keeps one of each). */
    public static final TextMapSetter<Headers> SETTER = (carrier, key, value) -> {
        if (carrier != null && value != null) {
            carrier.remove(key);
            carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    /** The value as UTF-8 text, or {@code null} when absent or not valid UTF-8. */
    public static @Nullable String decode(byte @Nullable [] value) {
        if (value == null) {
            return null;
        }
        boolean ascii = true;
        for (byte b : value) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) { // trace and correlation headers are ASCII: no decoder needed
            return new String(value, StandardCharsets.US_ASCII);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
