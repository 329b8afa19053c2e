package dev.ordercachesync.source;

import dev.ordercachesync.deadletter.RejectReason;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordercachesync.model.ChangeKind;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.RawStreamRecord;
import dev.ordercachesync.model.TableRow;
import dev.ordercachesync.views.CacheContract;

import java.io.Serializable;

/**
 * Parses one DynamoDB Streams record, or one row of a table scan, into an {@link OrderChange}. Returns null for
 * items that are not orders; throws {@link InvalidStreamRecordException} for records that can never be applied.
 * Both go through the same checks, so a row and a record of the same item get the same reason code.
 */
public final class StreamRecordParser implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CacheContract contract;

    public StreamRecordParser(CacheContract contract) {
        this.contract = contract;
    }

    public OrderChange parse(RawStreamRecord raw) throws InvalidStreamRecordException {
        JsonNode root;
        try {
            root = raw.json == null ? null : MAPPER.readTree(raw.json);
        } catch (JsonProcessingException e) {
            throw new InvalidStreamRecordException(RejectReason.UNPARSEABLE_RECORD, null,
                    "record is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("dynamodb").isObject()) {
            throw new InvalidStreamRecordException(RejectReason.UNPARSEABLE_RECORD, null,
                    "record has no 'dynamodb' object");
        }
        JsonNode dynamodb = root.get("dynamodb");
        JsonNode keys = field(dynamodb, "Keys");
        JsonNode newImage = field(dynamodb, "NewImage");
        JsonNode oldImage = field(dynamodb, "OldImage");

        String orderId = AttributeReader.optionalString(keys == null ? null : keys.get("pk"));
        if (orderId == null && newImage != null) {
            orderId = AttributeReader.optionalString(newImage.get("pk"));
        }
        if (orderId == null && oldImage != null) {
            orderId = AttributeReader.optionalString(oldImage.get("pk"));
        }
        if (orderId == null || orderId.isBlank()) {
            throw new InvalidStreamRecordException(RejectReason.MISSING_ORDER_ID, null,
                    "record has no string key attribute 'pk'");
        }

        String kindName = text(root, "eventName");
        ChangeKind kind;
        try {
            kind = kindName == null ? null : ChangeKind.valueOf(kindName);
        } catch (IllegalArgumentException e) {
            kind = null;
        }
        if (kind == null || !kind.isStreamEvent()) {
            throw new InvalidStreamRecordException(RejectReason.UNKNOWN_EVENT_KIND, orderId,
                    "eventName '" + kindName + "' is not INSERT, MODIFY or REMOVE");
        }

        boolean wasOrder = OrderImageReader.isOrder(oldImage);
        boolean isOrder = kind != ChangeKind.REMOVE && OrderImageReader.isOrder(newImage);
        if (!isOrder && !wasOrder) {
            // Without the image there is no telling whether an order changed: skipping it could leave its views stale.
            JsonNode needed = kind == ChangeKind.REMOVE ? oldImage : newImage;
            if (needed == null && isOrderKey(keys)) {
                throw new InvalidStreamRecordException(RejectReason.MISSING_IMAGE, orderId,
                        kind + " record for order '" + orderId + "' has no " + (kind == ChangeKind.REMOVE ? "OldImage" : "NewImage"));
            }
            return null;
        }

        String sequenceNumber = text(dynamodb, "SequenceNumber");
        if (sequenceNumber == null) {
            sequenceNumber = raw.sequenceNumber;
        }
        if (sequenceNumber == null || sequenceNumber.isEmpty() || !sequenceNumber.chars().allMatch(Character::isDigit)) {
            throw new InvalidStreamRecordException(RejectReason.MISSING_SEQUENCE_NUMBER, orderId,
                    "order '" + orderId + "': sequence number '" + sequenceNumber + "' is not a decimal number");
        }
        checkOrderId(orderId);

        Order previous = OrderImageReader.readLenient(oldImage, orderId);
        OrderChange change;
        if (!isOrder) {
            // Deleted, or modified into something that is no longer an order: either way it leaves the views.
            change = new OrderChange(ChangeKind.REMOVE, orderId, sequenceNumber, raw.shardId, null, previous);
        } else {
            change = new OrderChange(kind, orderId, sequenceNumber, raw.shardId, readOrder(newImage, orderId), previous);
        }
        change.streamArn = raw.streamArn;
        return change;
    }

    /**
     * A row of a table scan, checked as a stream record's NewImage is. Returns null for an item that is not an
     * order; a marker row is not for this method.
     */
    public OrderChange parseScanned(TableRow row) throws InvalidStreamRecordException {
        JsonNode image;
        try {
            image = MAPPER.readTree(row.json);
        } catch (JsonProcessingException e) {
            throw new InvalidStreamRecordException(RejectReason.UNPARSEABLE_RECORD, null,
                    "scanned item is not JSON: " + e.getOriginalMessage());
        }
        if (image == null || !image.isObject()) {
            throw new InvalidStreamRecordException(RejectReason.UNPARSEABLE_RECORD, null, "scanned item is not an object");
        }
        String orderId = AttributeReader.optionalString(image.get("pk"));
        if (orderId == null || orderId.isBlank()) {
            throw new InvalidStreamRecordException(RejectReason.MISSING_ORDER_ID, null,
                    "item has no string key attribute 'pk'");
        }
        if (!OrderImageReader.isOrder(image)) {
            return null;
        }
        checkOrderId(orderId);
        return OrderChange.scanned(orderId, readOrder(image, orderId), row.run, row.runStartedAt, row.streamArn);
    }

    private void checkOrderId(String orderId) throws InvalidStreamRecordException {
        String reservedId = contract.reservedOrderIdReason(orderId);
        if (reservedId != null) {
            throw new InvalidStreamRecordException(RejectReason.RESERVED_ORDER_ID, orderId, reservedId);
        }
        String idTooLong = contract.orderIdTooLongReason(orderId);
        if (idTooLong != null) {
            throw new InvalidStreamRecordException(RejectReason.ORDER_ID_TOO_LONG, orderId, idTooLong);
        }
    }

    private Order readOrder(JsonNode image, String orderId) throws InvalidStreamRecordException {
        Order current = OrderImageReader.readStrict(image, orderId);
        String reservedCreator = contract.reservedCreatorReason(current.creator);
        if (reservedCreator != null) {
            throw new InvalidStreamRecordException(RejectReason.RESERVED_CREATOR, orderId, reservedCreator);
        }
        String creatorTooLong = contract.creatorTooLongReason(current.creator);
        if (creatorTooLong != null) {
            throw new InvalidStreamRecordException(RejectReason.CREATOR_TOO_LONG, orderId, creatorTooLong);
        }
        return current;
    }

    private static boolean isOrderKey(JsonNode keys) {
        return keys != null && OrderImageReader.ORDER_SORT_KEY.equals(AttributeReader.optionalString(keys.get("sk")));
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() || !v.isObject() ? null : v;
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }
}
