package dev.ordercachesync.source;

import dev.ordercachesync.deadletter.RejectReason;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads DynamoDB attribute values ({@code {"S": ...}}, {@code {"N": ...}}, {@code {"L": [...]}}, ...)
 * from a stream record's JSON. Type tags are matched case-insensitively because the Kinesis adapter's
 * serializer and the Streams API spell them differently.
 */
final class AttributeReader {
    private final String orderId;

    AttributeReader(String orderId) {
        this.orderId = orderId;
    }

    /** The value under the given type tag, or null when the attribute is absent or DynamoDB NULL. */
    static JsonNode typed(JsonNode attribute, String tag) {
        if (attribute == null || attribute.isNull() || !attribute.isObject()) {
            return null;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = attribute.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equalsIgnoreCase(tag) && !f.getValue().isNull()) {
                return f.getValue();
            }
        }
        return null;
    }

    static boolean isAbsent(JsonNode attribute) {
        if (attribute == null || attribute.isNull() || attribute.isMissingNode()) {
            return true;
        }
        JsonNode nul = typed(attribute, "NULL");
        return nul != null && nul.asBoolean(false);
    }

    /** The string of an {@code S} attribute; null when absent. */
    static String optionalString(JsonNode attribute) {
        JsonNode s = typed(attribute, "S");
        return s != null && s.isTextual() ? s.asText() : null;
    }

    String requiredString(JsonNode image, String name) throws InvalidStreamRecordException {
        JsonNode attribute = image.get(name);
        if (isAbsent(attribute)) {
            throw missing(name);
        }
        String value = optionalString(attribute);
        if (value == null) {
            throw wrongType(name, "a string (S)", attribute);
        }
        return value;
    }

    String optionalStringAttribute(JsonNode image, String name) throws InvalidStreamRecordException {
        JsonNode attribute = image.get(name);
        if (isAbsent(attribute)) {
            return null;
        }
        String value = optionalString(attribute);
        if (value == null) {
            throw wrongType(name, "a string (S)", attribute);
        }
        return value;
    }

    long requiredWholeNumber(JsonNode image, String name) throws InvalidStreamRecordException {
        JsonNode attribute = image.get(name);
        if (isAbsent(attribute)) {
            throw missing(name);
        }
        JsonNode n = typed(attribute, "N");
        if (n == null) {
            throw wrongType(name, "a number (N)", attribute);
        }
        try {
            return new BigDecimal(n.asText()).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw wrongType(name, "a whole number", attribute);
        }
    }

    InvalidStreamRecordException missing(String name) {
        return new InvalidStreamRecordException(RejectReason.MISSING_ATTRIBUTE, orderId,
                "order '" + orderId + "' has no attribute '" + name + "'");
    }

    InvalidStreamRecordException wrongType(String name, String expected, JsonNode actual) {
        return new InvalidStreamRecordException(RejectReason.WRONG_ATTRIBUTE_TYPE, orderId,
                "order '" + orderId + "': attribute '" + name + "' must be " + expected + " but is "
                        + abbreviate(String.valueOf(actual)));
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
