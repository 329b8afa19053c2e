package dev.ordercachesync.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.source.InvalidStreamRecordException;
import dev.ordercachesync.source.ItemImages;
import dev.ordercachesync.source.OrderImages;
import dev.ordercachesync.deadletter.RejectReason;
import dev.ordercachesync.views.CacheContract;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.Objects;

/** One scanned item, classified as the job would classify its stream record: an order, not an order, or rejected. */
final class TableItem {
    enum Kind { ORDER, NOT_ORDER, REJECTED }

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
        JsonNode image = ItemImages.toJson(item);
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
}
