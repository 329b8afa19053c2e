package dev.ordercachesync.testsupport;

import static dev.ordercachesync.testsupport.OrderTable.n;
import static dev.ordercachesync.testsupport.OrderTable.s;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A short scripted story for the local demo: six orders from three creators, small enough to follow in the logs.
 *
 * <pre>
 * order-0001  10.0.0.7     created, SUBMITTED, IN PROGRESS, COMPLETED
 * order-0002  customer-03  created, one item edit (second pizza), SUBMITTED, IN PROGRESS
 * order-0003  10.0.0.12    created, SUBMITTED, REJECTED
 * order-0004  customer-03  created (same createdAt as order-0002), then deleted
 * order-0005  10.0.0.7     created, left WAITING ON CUSTOMER
 * order-0006  10.0.0.12    created, SUBMITTED
 * </pre>
 */
public final class SampleOrders {

    public static final String ORDER_1 = "order-0001";
    public static final String ORDER_2 = "order-0002";
    public static final String ORDER_3 = "order-0003";
    public static final String ORDER_4 = "order-0004";
    public static final String ORDER_5 = "order-0005";
    public static final String ORDER_6 = "order-0006";

    public static final String CREATOR_IP_7 = "10.0.0.7";
    public static final String CREATOR_CUSTOMER_03 = "customer-03";
    public static final String CREATOR_IP_12 = "10.0.0.12";

    private SampleOrders() {
    }

    /** Writes the story to {@code table}, one write at a time. */
    public static void write(DynamoDbClient client, String table) {
        WorkloadStep.applyAll(steps(), client, table);
    }

    /** The story's writes, in order. */
    public static List<WorkloadStep> steps() {
        List<WorkloadStep> steps = new ArrayList<>();
        AttributeValue margherita = OrderTable.pizza("large", "thin", "tomato", Arrays.asList("extra cheese"));
        AttributeValue pepperoni = OrderTable.pizza("medium", "regular", "tomato", Arrays.asList("pepperoni"));
        AttributeValue veggie = OrderTable.pizza("small", "gluten free", "pesto",
                Arrays.asList("mushrooms", "spinach", "onions"));
        AttributeValue bbq = OrderTable.pizza("x-large", "deep dish", "bbq", Arrays.asList("bacon", "onions"));
        AttributeValue plain = OrderTable.pizza("medium", "thin", "white", Collections.<String>emptyList());

        steps.add(create(ORDER_1, CREATOR_IP_7, "2026-11-23T18:00:05.120Z", margherita, pepperoni));
        steps.add(create(ORDER_2, CREATOR_CUSTOMER_03, "2026-11-23T18:01:10.000Z", veggie));
        steps.add(create(ORDER_3, CREATOR_IP_12, "2026-11-23T18:01:42.517Z", bbq));
        steps.add(status(ORDER_1, OrderTable.STATUS_SUBMITTED, "2026-11-23T18:02:00.004Z"));
        steps.add(create(ORDER_4, CREATOR_CUSTOMER_03, "2026-11-23T18:01:10.000Z", plain));
        Map<String, AttributeValue> edit = new LinkedHashMap<>();
        edit.put(OrderTable.ITEMS, OrderTable.list(Arrays.asList(veggie, pepperoni)));
        edit.put(OrderTable.NUM_ITEMS, n(2));
        edit.put(OrderTable.LAST_UPDATED, s("2026-11-23T18:02:31.900Z"));
        steps.add(WorkloadStep.update(key(ORDER_2), edit, "add a pepperoni to " + ORDER_2));
        steps.add(create(ORDER_5, CREATOR_IP_7, "2026-11-23T18:03:15.250Z", veggie));
        steps.add(status(ORDER_2, OrderTable.STATUS_SUBMITTED, "2026-11-23T18:03:40.000Z"));
        steps.add(status(ORDER_1, OrderTable.STATUS_IN_PROGRESS, "2026-11-23T18:04:02.311Z"));
        steps.add(status(ORDER_3, OrderTable.STATUS_SUBMITTED, "2026-11-23T18:04:30.000Z"));
        steps.add(create(ORDER_6, CREATOR_IP_12, "2026-11-23T18:05:01.777Z", margherita));
        steps.add(status(ORDER_3, OrderTable.STATUS_REJECTED, "2026-11-23T18:05:12.045Z"));
        steps.add(WorkloadStep.delete(key(ORDER_4), "customer-03 cancels " + ORDER_4));
        steps.add(status(ORDER_6, OrderTable.STATUS_SUBMITTED, "2026-11-23T18:06:00.000Z"));
        steps.add(status(ORDER_2, OrderTable.STATUS_IN_PROGRESS, "2026-11-23T18:06:20.600Z"));
        steps.add(status(ORDER_1, OrderTable.STATUS_COMPLETED, "2026-11-23T18:09:45.000Z"));
        return Collections.unmodifiableList(steps);
    }

    /** The orders the table holds after the story, by id. */
    public static Map<String, Map<String, AttributeValue>> expectedOrders() {
        return WorkloadStep.ordersById(WorkloadStep.replay(steps()).values());
    }

    private static WorkloadStep create(String id, String creator, String createdAt, AttributeValue... items) {
        return WorkloadStep.insert(OrderTable.order(id, creator, createdAt, OrderTable.STATUS_WAITING,
                Arrays.asList(items), null), creator + " creates " + id);
    }

    private static WorkloadStep status(String id, String status, String at) {
        Map<String, AttributeValue> set = new LinkedHashMap<>();
        set.put(OrderTable.STATUS, s(status));
        set.put(OrderTable.LAST_UPDATED, s(at));
        return WorkloadStep.update(key(id), set, id + " -> " + status);
    }

    private static ItemKey key(String id) {
        return new ItemKey(id, OrderTable.SK_METADATA);
    }
}
