package dev.ordercachesync.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * One write against the OrderTable: a PutItem (creating or replacing), an UpdateItem (SET of attributes) or a
 * DeleteItem. A step knows whether its target exists, and says so to DynamoDB with a condition, so a workload whose
 * idea of the table is wrong fails loudly instead of writing something else than it reports.
 *
 * <p>Steps are table-agnostic and immutable: the same list can be written to any table, split anywhere, and replayed
 * in memory ({@link #replay(List)}) to know what the table should hold after any prefix. Replaying rejects a step
 * that would change nothing, because DynamoDB leaves such writes out of the stream and the counts in
 * {@link OrderWorkload.Summary} promise one stream record per step.
 */
public final class WorkloadStep {

    public enum Kind {
        /** PutItem of an item that does not exist yet (stream: INSERT). */
        INSERT,
        /** PutItem over an existing item (stream: MODIFY). */
        REPLACE,
        /** UpdateItem SET on an existing item (stream: MODIFY). */
        UPDATE,
        /** DeleteItem of an existing item (stream: REMOVE). */
        DELETE
    }

    private final Kind kind;
    private final ItemKey key;
    /** INSERT/REPLACE: the whole item; UPDATE: the attributes to SET; DELETE: empty. */
    private final Map<String, AttributeValue> attributes;
    private final String description;

    private WorkloadStep(Kind kind, ItemKey key, Map<String, AttributeValue> attributes, String description) {
        this.kind = kind;
        this.key = key;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        this.description = description;
    }

    public static WorkloadStep insert(Map<String, AttributeValue> item, String description) {
        return new WorkloadStep(Kind.INSERT, ItemKey.of(item), item, description);
    }

    public static WorkloadStep replace(Map<String, AttributeValue> item, String description) {
        return new WorkloadStep(Kind.REPLACE, ItemKey.of(item), item, description);
    }

    public static WorkloadStep update(ItemKey key, Map<String, AttributeValue> set, String description) {
        if (set.isEmpty() || set.containsKey(OrderTable.PK) || set.containsKey(OrderTable.SK)) {
            throw new IllegalArgumentException("An update sets at least one non-key attribute: " + set.keySet());
        }
        return new WorkloadStep(Kind.UPDATE, key, set, description);
    }

    public static WorkloadStep delete(ItemKey key, String description) {
        return new WorkloadStep(Kind.DELETE, key, Collections.emptyMap(), description);
    }

    public Kind kind() {
        return kind;
    }

    public ItemKey key() {
        return key;
    }

    /** INSERT/REPLACE: the whole item; UPDATE: the attributes it sets; DELETE: empty. */
    public Map<String, AttributeValue> attributes() {
        return attributes;
    }

    public String description() {
        return description;
    }

    /** Writes this step to {@code table}. */
    public void apply(DynamoDbClient client, String table) {
        switch (kind) {
            case INSERT:
            case REPLACE:
                client.putItem(PutItemRequest.builder()
                        .tableName(table)
                        .item(attributes)
                        .conditionExpression(kind == Kind.INSERT ? "attribute_not_exists(#pk)" : "attribute_exists(#pk)")
                        .expressionAttributeNames(Collections.singletonMap("#pk", OrderTable.PK))
                        .build());
                break;
            case UPDATE:
                Map<String, String> names = new TreeMap<>();
                Map<String, AttributeValue> values = new TreeMap<>();
                List<String> assignments = new ArrayList<>();
                names.put("#pk", OrderTable.PK);
                int i = 0;
                for (Map.Entry<String, AttributeValue> entry : attributes.entrySet()) {
                    names.put("#a" + i, entry.getKey());
                    values.put(":v" + i, entry.getValue());
                    assignments.add("#a" + i + " = :v" + i);
                    i++;
                }
                client.updateItem(UpdateItemRequest.builder()
                        .tableName(table)
                        .key(key.toAttributes())
                        .updateExpression("SET " + String.join(", ", assignments))
                        .conditionExpression("attribute_exists(#pk)")
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .build());
                break;
            case DELETE:
                client.deleteItem(DeleteItemRequest.builder()
                        .tableName(table)
                        .key(key.toAttributes())
                        .conditionExpression("attribute_exists(#pk)")
                        .expressionAttributeNames(Collections.singletonMap("#pk", OrderTable.PK))
                        .build());
                break;
            default:
                throw new IllegalStateException("Unknown kind " + kind);
        }
    }

    /** Applies this step to an in-memory table, checking the same conditions DynamoDB would. */
    public void applyTo(Map<ItemKey, Map<String, AttributeValue>> table) {
        Map<String, AttributeValue> before = table.get(key);
        Map<String, AttributeValue> after = after(before);
        if (after != null && after.equals(before)) {
            // DynamoDB (Local too) writes no stream record for a write that changes nothing.
            throw new IllegalStateException("Step changes nothing, so it would not appear in the stream: " + this);
        }
        if (after == null) {
            table.remove(key);
        } else {
            table.put(key, after);
        }
    }

    /** The item this step leaves behind, given the item before it (null: absent). */
    Map<String, AttributeValue> after(Map<String, AttributeValue> before) {
        boolean exists = before != null;
        if (exists == (kind == Kind.INSERT)) {
            throw new IllegalStateException("Step expects " + key + (exists ? " to be absent: " : " to exist: ") + this);
        }
        switch (kind) {
            case INSERT:
            case REPLACE:
                return Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
            case UPDATE:
                Map<String, AttributeValue> updated = new LinkedHashMap<>(before);
                updated.putAll(attributes);
                return Collections.unmodifiableMap(updated);
            case DELETE:
                return null;
            default:
                throw new IllegalStateException("Unknown kind " + kind);
        }
    }

    /** The table an empty table becomes after {@code steps}, sorted by key. */
    public static Map<ItemKey, Map<String, AttributeValue>> replay(List<WorkloadStep> steps) {
        Map<ItemKey, Map<String, AttributeValue>> table = new TreeMap<>();
        for (WorkloadStep step : steps) {
            step.applyTo(table);
        }
        return Collections.unmodifiableMap(table);
    }

    /** The order items among {@code items}, by order id, sorted. */
    public static Map<String, Map<String, AttributeValue>> ordersById(Iterable<Map<String, AttributeValue>> items) {
        Map<String, Map<String, AttributeValue>> orders = new TreeMap<>();
        for (Map<String, AttributeValue> item : items) {
            if (OrderTable.isOrder(item)) {
                orders.put(item.get(OrderTable.PK).s(), item);
            }
        }
        return Collections.unmodifiableMap(orders);
    }

    public static void applyAll(List<WorkloadStep> steps, DynamoDbClient client, String table) {
        Objects.requireNonNull(client, "client");
        for (WorkloadStep step : steps) {
            step.apply(client, table);
        }
    }

    @Override
    public String toString() {
        return kind + " " + key + " (" + description + ")";
    }
}
