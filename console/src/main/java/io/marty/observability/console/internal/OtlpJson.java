package io.marty.observability.console.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses OTLP/JSON into the OTLP protobuf messages, following the OTLP JSON mapping rather than
 * the generic proto3 one: {@code traceId}/{@code spanId}/{@code parentSpanId} are hex (not base64),
 * enums may be integers, 64-bit integers may be strings, keys may be lowerCamelCase or the
 * original field names, and unknown fields are ignored.
 */
public final class OtlpJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> HEX_ID_FIELDS = Set.of("trace_id", "span_id", "parent_span_id");
    private static final Map<Descriptor, Map<String, FieldDescriptor>> FIELDS = new ConcurrentHashMap<>();

    private OtlpJson() {}

    /**
     * Merges the JSON document into {@code builder}.
     *
     * @throws IllegalArgumentException naming the JSON path of the first bad value
     */
    public static void merge(byte[] json, Message.Builder builder) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("invalid OTLP/JSON: top level must be an object");
        }
        mergeObject(root, builder, "$");
    }

    private static Map<String, FieldDescriptor> fields(Descriptor d) {
        return FIELDS.computeIfAbsent(d, desc -> {
            Map<String, FieldDescriptor> m = new HashMap<>();
            for (FieldDescriptor f : desc.getFields()) {
                m.put(f.getName(), f);
                m.put(f.getJsonName(), f);
            }
            return m;
        });
    }

    private static void mergeObject(JsonNode node, Message.Builder b, String path) {
        Map<String, FieldDescriptor> fields = fields(b.getDescriptorForType());
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            FieldDescriptor f = fields.get(e.getKey());
            JsonNode v = e.getValue();
            if (f == null || v.isNull()) {
                continue; // unknown fields are ignored per the OTLP spec
            }
            String fieldPath = path + "." + e.getKey();
            if (f.isRepeated()) {
                if (!v.isArray()) {
                    throw new IllegalArgumentException(fieldPath + ": expected an array");
                }
                for (int i = 0; i < v.size(); i++) {
                    b.addRepeatedField(f, value(f, v.get(i), b, fieldPath + "[" + i + "]"));
                }
            } else {
                b.setField(f, value(f, v, b, fieldPath));
            }
        }
    }

    private static Object value(FieldDescriptor f, JsonNode v, Message.Builder parent, String path) {
        try {
            switch (f.getJavaType()) {
                case MESSAGE:
                    if (!v.isObject()) {
                        throw new IllegalArgumentException(path + ": expected an object");
                    }
                    Message.Builder sub = parent.newBuilderForField(f);
                    mergeObject(v, sub, path);
                    return sub.build();
                case ENUM:
                    EnumValueDescriptor ev = v.isNumber()
                            ? f.getEnumType().findValueByNumberCreatingIfUnknown(v.asInt())
                            : f.getEnumType().findValueByName(v.asText());
                    if (ev == null) {
                        throw new IllegalArgumentException(path + ": unknown enum value '" + v.asText() + "'");
                    }
                    return ev;
                case STRING:
                    if (!v.isTextual()) {
                        throw new IllegalArgumentException(path + ": expected a string");
                    }
                    return v.asText();
                case LONG:
                    if (v.isIntegralNumber()) {
                        return v.asLong();
                    }
                    String s = text(v, path);
                    boolean unsigned =
                            f.getType() == FieldDescriptor.Type.FIXED64 || f.getType() == FieldDescriptor.Type.UINT64;
                    return unsigned ? Long.parseUnsignedLong(s) : Long.parseLong(s);
                case INT:
                    return v.isIntegralNumber() ? v.asInt() : Integer.parseInt(text(v, path));
                case DOUBLE:
                    return v.isNumber() ? v.asDouble() : Double.parseDouble(text(v, path));
                case FLOAT:
                    return v.isNumber() ? (float) v.asDouble() : Float.parseFloat(text(v, path));
                case BOOLEAN:
                    if (!v.isBoolean()) {
                        throw new IllegalArgumentException(path + ": expected true or false");
                    }
                    return v.asBoolean();
                case BYTE_STRING:
                    String t = text(v, path);
                    return HEX_ID_FIELDS.contains(f.getName())
                            ? ByteString.copyFrom(Hex.decode(t, path))
                            : ByteString.copyFrom(Base64.getDecoder().decode(t));
                default:
                    throw new IllegalArgumentException(path + ": unsupported field type " + f.getJavaType());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + ": not a number: '" + v.asText() + "'", e);
        }
    }

    private static String text(JsonNode v, String path) {
        if (!v.isTextual()) {
            throw new IllegalArgumentException(path + ": expected a string");
        }
        return v.asText();
    }
}
