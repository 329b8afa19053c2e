package dev.ordercachesync.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.source.InvalidStreamRecordException;
import dev.ordercachesync.source.OrderImages;
import dev.ordercachesync.deadletter.RejectReason;
import dev.ordercachesync.views.CacheContract;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One scanned item, classified as the job would classify its stream record: an order, not an order, or rejected. */
final class TableItem {
    enum Kind { ORDER, NOT_ORDER, REJECTED }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    final Kind kind;
    /** The item's {@code pk}, null when it has none. */
    final String id;
    /** Set for ORDER. */
    final Order order;
    /** Set for REJECTED. */
    final RejectReason reason;
    final String message;
    /** The creator as written, even when the order is rejected (its list may hold it). */
    final String creator;

    private TableItem(Kind kind, String id, Order order, RejectReason reason, String message, String creator) {
        this.kind = kind;
        this.id = id;
        this.order = order;
        this.reason = reason;
        this.message = message;
        this.creator = creator;
    }

    static TableItem classify(Map<String, AttributeValue> item, CacheContract contract) {
        String id = stringAttribute(item, "pk");
        JsonNode image = toJson(item);
        if (!OrderImages.isOrder(image)) {
            return new TableItem(Kind.NOT_ORDER, id, null, null, null, null);
        }
        String creator = stringAttribute(item, "creator");
        try {
            return new TableItem(Kind.ORDER, id, OrderImages.read(image, contract), null, null, creator);
        } catch (InvalidStreamRecordException e) {
            return new TableItem(Kind.REJECTED, id, null, e.reason(), e.getMessage(), creator);
        }
    }

    /** Same classification and same order (or reason): the item did not change in a way the cache shows. */
    boolean sameAs(TableItem other) {
        return other != null && kind == other.kind && Objects.equals(id, other.id)
                && Objects.equals(order, other.order) && reason == other.reason;
    }

    private static String stringAttribute(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    /** The item in DynamoDB JSON, the shape of a stream record's NewImage. */
    static ObjectNode toJson(Map<String, AttributeValue> item) {
        ObjectNode image = JSON.objectNode();
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            image.set(e.getKey(), toJson(e.getValue()));
        }
        return image;
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
