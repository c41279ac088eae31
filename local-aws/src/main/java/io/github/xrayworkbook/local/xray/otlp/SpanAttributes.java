package io.github.xrayworkbook.local.xray.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A span's (or resource's) attributes while they are turned into segment fields. Each field that
 * X-Ray fills from an attribute {@link #take takes} it, so that what is left over is exactly what
 * goes to metadata.
 */
final class SpanAttributes {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Map<String, AnyValue> values = new LinkedHashMap<>();

    SpanAttributes(List<KeyValue> attributes) {
        for (KeyValue attribute : attributes) {
            values.put(attribute.getKey(), attribute.getValue());
        }
    }

    Optional<AnyValue> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The first of the keys that is a string, without taking it. */
    Optional<String> string(String... keys) {
        for (String key : keys) {
            AnyValue value = values.get(key);
            if (value != null && value.hasStringValue()) {
                return Optional.of(value.getStringValue());
            }
        }
        return Optional.empty();
    }

    /** The first of the keys that is an integer, without taking it. */
    Optional<Long> integer(String... keys) {
        for (String key : keys) {
            AnyValue value = values.get(key);
            if (value != null && value.hasIntValue()) {
                return Optional.of(value.getIntValue());
            }
        }
        return Optional.empty();
    }

    /** The first of the keys present, as text; all of the keys are taken. */
    Optional<String> takeText(String... keys) {
        Optional<String> found = Optional.empty();
        for (String key : keys) {
            AnyValue value = values.remove(key);
            if (found.isEmpty() && value != null) {
                found = Optional.of(json(value).asText());
            }
        }
        return found.filter(text -> !text.isEmpty());
    }

    /** The first of the keys present, as a number; all of the keys are taken. */
    Optional<Long> takeInteger(String... keys) {
        Optional<Long> found = integer(keys);
        for (String key : keys) {
            values.remove(key);
        }
        return found;
    }

    Optional<AnyValue> take(String key) {
        return Optional.ofNullable(values.remove(key));
    }

    /** What no segment field has taken, in the order the span carried it. */
    Map<String, AnyValue> remaining() {
        return values;
    }

    /** The attribute's value as JSON, the way X-Ray writes it into metadata. */
    static JsonNode json(AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE:
                return JSON.textNode(value.getStringValue());
            case BOOL_VALUE:
                return JSON.booleanNode(value.getBoolValue());
            case INT_VALUE:
                return number(value.getIntValue());
            case DOUBLE_VALUE:
                return JSON.numberNode(value.getDoubleValue());
            case BYTES_VALUE:
                return JSON.textNode(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
            case ARRAY_VALUE:
                ArrayNode array = JSON.arrayNode();
                value.getArrayValue().getValuesList().forEach(item -> array.add(json(item)));
                return array;
            case KVLIST_VALUE:
                ObjectNode object = JSON.objectNode();
                value.getKvlistValue().getValuesList().forEach(kv -> object.set(kv.getKey(), json(kv.getValue())));
                return object;
            default:
                return JSON.nullNode();
        }
    }

    /** The smallest node that holds the number, as a JSON parser would make it. */
    static JsonNode number(long number) {
        return number == (int) number ? JSON.numberNode((int) number) : JSON.numberNode(number);
    }

    /** The value as an annotation: X-Ray indexes strings, numbers and booleans only. */
    static Optional<JsonNode> annotation(AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE:
            case BOOL_VALUE:
            case INT_VALUE:
            case DOUBLE_VALUE:
                return Optional.of(json(value));
            default:
                return Optional.empty();
        }
    }
}
