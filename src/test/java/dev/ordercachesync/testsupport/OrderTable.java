package dev.ordercachesync.testsupport;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Names and values of the Momento workshop's {@code OrderTable}, shared by the test-support classes and the tests
 * that use them, so a typo in one place cannot silently make a test pass.
 */
public final class OrderTable {

    public static final String PK = "pk";
    public static final String SK = "sk";
    /** Name of the GSI and of its hash key attribute. */
    public static final String TYPE = "type";
    public static final String TYPE_INDEX = "type";

    public static final String CREATOR = "creator";
    public static final String CREATED_AT = "createdAt";
    public static final String NUM_ITEMS = "numItems";
    public static final String STATUS = "status";
    public static final String ITEMS = "items";
    public static final String LAST_UPDATED = "lastUpdated";

    public static final String ITEM_SIZE = "size";
    public static final String ITEM_CRUST = "crust";
    public static final String ITEM_SAUCE = "sauce";
    public static final String ITEM_TOPPINGS = "toppings";

    /** An order is the item with this sort key ... */
    public static final String SK_METADATA = "metadata";
    /** ... and this type. */
    public static final String TYPE_ORDER = "order";
    public static final String TYPE_CUSTOMER = "customer";

    public static final String STATUS_WAITING = "WAITING ON CUSTOMER";
    public static final String STATUS_SUBMITTED = "SUBMITTED";
    public static final String STATUS_IN_PROGRESS = "IN PROGRESS";
    public static final String STATUS_REJECTED = "REJECTED";
    public static final String STATUS_COMPLETED = "COMPLETED";

    public static final List<String> STATUSES = Collections.unmodifiableList(Arrays.asList(
            STATUS_WAITING, STATUS_SUBMITTED, STATUS_IN_PROGRESS, STATUS_REJECTED, STATUS_COMPLETED));

    /** ISO-8601 with exactly three fraction digits, as the workshop writes them (Instant.toString drops ".000"). */
    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private OrderTable() {
    }

    /** True for the items the job caches: {@code sk = "metadata"} and {@code type = "order"}. */
    public static boolean isOrder(Map<String, AttributeValue> item) {
        return item != null
                && SK_METADATA.equals(stringOf(item.get(SK)))
                && TYPE_ORDER.equals(stringOf(item.get(TYPE)));
    }

    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    public static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    public static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }

    /** One element of an order's {@code items} list. */
    public static AttributeValue pizza(String size, String crust, String sauce, List<String> toppings) {
        List<AttributeValue> toppingValues = new ArrayList<>();
        for (String topping : toppings) {
            toppingValues.add(s(topping));
        }
        Map<String, AttributeValue> pizza = new LinkedHashMap<>();
        pizza.put(ITEM_SIZE, s(size));
        pizza.put(ITEM_CRUST, s(crust));
        pizza.put(ITEM_SAUCE, s(sauce));
        pizza.put(ITEM_TOPPINGS, AttributeValue.builder().l(toppingValues).build());
        return AttributeValue.builder().m(pizza).build();
    }

    public static AttributeValue list(List<AttributeValue> values) {
        return AttributeValue.builder().l(values).build();
    }

    /** A complete order item (no {@code lastUpdated} when it is null). */
    public static Map<String, AttributeValue> order(String id, String creator, String createdAt, String status,
            List<AttributeValue> items, String lastUpdated) {
        Map<String, AttributeValue> order = new LinkedHashMap<>();
        order.put(PK, s(id));
        order.put(SK, s(SK_METADATA));
        order.put(TYPE, s(TYPE_ORDER));
        order.put(CREATOR, s(creator));
        order.put(CREATED_AT, s(createdAt));
        order.put(NUM_ITEMS, n(items.size()));
        order.put(STATUS, s(status));
        order.put(ITEMS, list(items));
        if (lastUpdated != null) {
            order.put(LAST_UPDATED, s(lastUpdated));
        }
        return order;
    }

    private static String stringOf(AttributeValue value) {
        return value == null ? null : value.s();
    }
}
