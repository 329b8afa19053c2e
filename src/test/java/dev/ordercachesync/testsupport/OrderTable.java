package dev.ordercachesync.testsupport;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

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

    private OrderTable() {
    }
}
