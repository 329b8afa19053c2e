package dev.ordercachesync.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Items read with the DynamoDB API, in the DynamoDB JSON of a stream record's images, so that scanned rows and
 * stream records are parsed by the same rules.
 */
public final class ItemImages {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ItemImages() {}

    /** The item in DynamoDB JSON, the shape of a stream record's NewImage. */
    public static ObjectNode toJson(Map<String, AttributeValue> item) {
        ObjectNode image = JSON.objectNode();
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            image.set(e.getKey(), toJson(e.getValue()));
        }
        return image;
    }

    /**
     * A key written by {@link #toJson(Map)} back as attribute values. Keys hold only strings, numbers and binaries.
     *
     * @throws IllegalArgumentException for any other attribute type
     */
    public static Map<String, AttributeValue> keyFromJson(JsonNode key) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = key.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            JsonNode v = e.getValue();
            if (v.has("S")) {
                values.put(e.getKey(), AttributeValue.builder().s(v.get("S").asText()).build());
            } else if (v.has("N")) {
                values.put(e.getKey(), AttributeValue.builder().n(v.get("N").asText()).build());
            } else if (v.has("B")) {
                values.put(e.getKey(), AttributeValue.builder()
                        .b(SdkBytes.fromByteArray(Base64.getDecoder().decode(v.get("B").asText()))).build());
            } else {
                throw new IllegalArgumentException("key attribute '" + e.getKey() + "' is not S, N or B: " + v);
            }
        }
        return values;
    }

    private static ObjectNode toJson(AttributeValue v) {
        ObjectNode node = JSON.objectNode();
        if (v.s() != null) {
            node.put("S", v.s());
        } else if (v.n() != null) {
            node.put("N", v.n());
        } else if (v.bool() != null) {
            node.put("BOOL", v.bool());
        } else if (Boolean.TRUE.equals(v.nul())) {
            node.put("NULL", true);
        } else if (v.b() != null) {
            node.put("B", base64(v.b()));
        } else if (v.hasL()) {
            ArrayNode list = node.putArray("L");
            for (AttributeValue element : v.l()) {
                list.add(toJson(element));
            }
        } else if (v.hasM()) {
            node.set("M", toJson(v.m()));
        } else if (v.hasSs()) {
            strings(node.putArray("SS"), v.ss());
        } else if (v.hasNs()) {
            strings(node.putArray("NS"), v.ns());
        } else if (v.hasBs()) {
            ArrayNode set = node.putArray("BS");
            for (SdkBytes b : v.bs()) {
                set.add(base64(b));
            }
        }
        return node;
    }

    private static void strings(ArrayNode array, List<String> values) {
        for (String s : values) {
            array.add(s);
        }
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArray());
    }
}
