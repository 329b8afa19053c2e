package dev.ordercachesync.source;

import dev.ordercachesync.deadletter.RejectReason;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.views.CacheContract;

/**
 * The job's own rules for reading an item image (DynamoDB JSON), for tools that read the table rather
 * than the stream. The verify command uses them so that it and the job agree on which items are
 * orders and which are rejected; a second set of rules would report the difference as divergence.
 */
public final class OrderImages {
    private OrderImages() {}

    /** Whether the image is an order item ({@code sk = "metadata"}, {@code type = "order"}). */
    public static boolean isOrder(JsonNode image) {
        return OrderImageReader.isOrder(image);
    }

    /**
     * The order an image holds, checked exactly as the stream parser checks a NewImage.
     *
     * @throws InvalidStreamRecordException with the reason the job would dead-letter its change
     */
    public static Order read(JsonNode image, CacheContract contract) throws InvalidStreamRecordException {
        String orderId = AttributeReader.optionalString(image.get("pk"));
        if (orderId == null || orderId.isBlank()) {
            throw new InvalidStreamRecordException(RejectReason.MISSING_ORDER_ID, null,
                    "item has no string key attribute 'pk'");
        }
        String reservedId = contract.reservedOrderIdReason(orderId);
        if (reservedId != null) {
            throw new InvalidStreamRecordException(RejectReason.RESERVED_ORDER_ID, orderId, reservedId);
        }
        Order order = OrderImageReader.readStrict(image, orderId);
        String reservedCreator = contract.reservedCreatorReason(order.creator);
        if (reservedCreator != null) {
            throw new InvalidStreamRecordException(RejectReason.RESERVED_CREATOR, orderId, reservedCreator);
        }
        return order;
    }
}
