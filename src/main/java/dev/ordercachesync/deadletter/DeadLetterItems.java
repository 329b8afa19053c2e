package dev.ordercachesync.deadletter;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A dead letter as an item of the dead-letter table. The partition key is the record's stream position
 * ({@code <shard>#<sequence>}), so a replay after a failure overwrites the item instead of adding one;
 * a dead letter with no stream position (a list over the size bound) uses its own {@link DeadLetter#id}.
 */
public final class DeadLetterItems {
    public static final String PK = "pk";
    public static final String REASON = "reason";
    public static final String MESSAGE = "message";
    public static final String ORDER_ID = "orderId";
    public static final String SHARD_ID = "shardId";
    public static final String SEQUENCE_NUMBER = "sequenceNumber";
    public static final String TIME = "time";
    public static final String TIME_MILLIS = "timeMillis";
    public static final String RAW = "raw";
    static final int MAX_POSITION_KEY_BYTES = 1024;

    private DeadLetterItems() {}

    /** Absent fields are left out: DynamoDB has no use for empty attributes. */
    public static Map<String, AttributeValue> item(DeadLetter d) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PK, s(partitionKey(d)));
        item.put(REASON, s(d.reason));
        putIfPresent(item, MESSAGE, d.message);
        putIfPresent(item, ORDER_ID, d.orderId);
        putIfPresent(item, SHARD_ID, d.shardId);
        putIfPresent(item, SEQUENCE_NUMBER, d.sequenceNumber);
        item.put(TIME, s(Instant.ofEpochMilli(d.timeMillis).toString()));
        item.put(TIME_MILLIS, AttributeValue.builder().n(Long.toString(d.timeMillis)).build());
        putIfPresent(item, RAW, d.rawRecord);
        return item;
    }

    static String partitionKey(DeadLetter d) {
        if (d.id != null) {
            return d.id;
        }
        if (d.shardId != null && d.sequenceNumber != null) {
            String position = d.shardId + "#" + d.sequenceNumber;
            // DynamoDB refuses a partition key over 2048 bytes, and would fail the job; real positions are ~80.
            if (position.getBytes(StandardCharsets.UTF_8).length <= MAX_POSITION_KEY_BYTES) {
                return position;
            }
        }
        return UUID.randomUUID().toString();
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }
}
