package dev.ordercachesync.source;

import dev.ordercachesync.deadletter.RejectReason;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderItem;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Turns a stream record's NewImage/OldImage into a typed {@link Order}, or says why it cannot. */
final class OrderImageReader {
    static final String ORDER_SORT_KEY = "metadata";
    static final String ORDER_TYPE = "order";

    private OrderImageReader() {}

    /** Whether an image is an order item at all; other item types are skipped, not rejected. */
    static boolean isOrder(JsonNode image) {
        return image != null
                && ORDER_SORT_KEY.equals(AttributeReader.optionalString(image.get("sk")))
                && ORDER_TYPE.equals(AttributeReader.optionalString(image.get("type")));
    }

    /** Every attribute the contract renders, checked strictly. */
    static Order readStrict(JsonNode image, String orderId) throws InvalidStreamRecordException {
        AttributeReader r = new AttributeReader(orderId);
        Order order = new Order();
        order.id = orderId;
        order.creator = r.optionalStringAttribute(image, "creator");
        if (order.creator == null || order.creator.isBlank()) {
            throw new InvalidStreamRecordException(RejectReason.MISSING_CREATOR, orderId,
                    "order '" + orderId + "' has no creator, so it belongs in no creator list");
        }
        order.createdAt = r.requiredString(image, "createdAt");
        requireTimestamp(r, "createdAt", order.createdAt, image);
        order.status = r.requiredString(image, "status");
        order.numItems = r.requiredWholeNumber(image, "numItems");
        order.items = readItems(r, image);
        order.lastUpdated = r.optionalStringAttribute(image, "lastUpdated");
        if (order.lastUpdated != null) {
            requireTimestamp(r, "lastUpdated", order.lastUpdated, image);
        }
        return order;
    }

    /** Whatever can be read; used for old images, which only help to find list memberships. */
    static Order readLenient(JsonNode image, String orderId) {
        if (image == null || !image.isObject()) {
            return null;
        }
        Order order = new Order();
        order.id = orderId;
        order.creator = AttributeReader.optionalString(image.get("creator"));
        order.createdAt = AttributeReader.optionalString(image.get("createdAt"));
        order.status = AttributeReader.optionalString(image.get("status"));
        order.lastUpdated = AttributeReader.optionalString(image.get("lastUpdated"));
        return order;
    }

    private static OrderItem[] readItems(AttributeReader r, JsonNode image) throws InvalidStreamRecordException {
        JsonNode attribute = image.get("items");
        if (AttributeReader.isAbsent(attribute)) {
            throw r.missing("items");
        }
        JsonNode list = AttributeReader.typed(attribute, "L");
        if (list == null || !list.isArray()) {
            throw r.wrongType("items", "a list (L) of maps (M)", attribute);
        }
        OrderItem[] items = new OrderItem[list.size()];
        for (int i = 0; i < list.size(); i++) {
            JsonNode map = AttributeReader.typed(list.get(i), "M");
            if (map == null || !map.isObject()) {
                throw r.wrongType("items[" + i + "]", "a map (M)", list.get(i));
            }
            OrderItem item = new OrderItem();
            item.size = r.optionalStringAttribute(map, "size");
            item.crust = r.optionalStringAttribute(map, "crust");
            item.sauce = r.optionalStringAttribute(map, "sauce");
            item.toppings = readToppings(r, map.get("toppings"), i);
            items[i] = item;
        }
        return items;
    }

    private static String[] readToppings(AttributeReader r, JsonNode attribute, int itemIndex)
            throws InvalidStreamRecordException {
        if (AttributeReader.isAbsent(attribute)) {
            return null;
        }
        String name = "items[" + itemIndex + "].toppings";
        JsonNode list = AttributeReader.typed(attribute, "L");
        if (list != null && list.isArray()) {
            String[] toppings = new String[list.size()];
            for (int i = 0; i < list.size(); i++) {
                String s = AttributeReader.optionalString(list.get(i));
                if (s == null) {
                    throw r.wrongType(name + "[" + i + "]", "a string (S)", list.get(i));
                }
                toppings[i] = s;
            }
            return toppings;
        }
        // A string set is a legal way to store toppings; the document client reads it as an array.
        JsonNode set = AttributeReader.typed(attribute, "SS");
        if (set != null && set.isArray()) {
            String[] toppings = new String[set.size()];
            for (int i = 0; i < set.size(); i++) {
                toppings[i] = set.get(i).asText();
            }
            return toppings;
        }
        throw r.wrongType(name, "a list (L) of strings", attribute);
    }

    private static void requireTimestamp(AttributeReader r, String name, String value, JsonNode image)
            throws InvalidStreamRecordException {
        try {
            DateTimeFormatter.ISO_DATE_TIME.parse(value);
        } catch (DateTimeParseException e) {
            throw r.wrongType(name, "an ISO-8601 timestamp string", image.get(name));
        }
    }
}
