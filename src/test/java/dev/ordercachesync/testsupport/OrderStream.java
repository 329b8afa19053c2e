package dev.ordercachesync.testsupport;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A table's stream read straight from DynamoDB Streams, without the job: the oracle for what the job's
 * per-order state must hold (the last sequence number of each order, and whether it was a REMOVE).
 */
public final class OrderStream {
    /** One stream record of an order item. */
    public static final class Change {
        /** Position among all the stream's records (orders or not): one record per workload step. */
        public final int index;
        public final String orderId;
        public final BigInteger sequence;
        public final String eventName;

        Change(int index, String orderId, BigInteger sequence, String eventName) {
            this.index = index;
            this.orderId = orderId;
            this.sequence = sequence;
            this.eventName = eventName;
        }

        public boolean isRemove() {
            return "REMOVE".equals(eventName);
        }
    }

    private final List<Change> changes;
    private final int recordCount;
    /** Of the last record read, of any item; null for an empty stream. */
    private final BigInteger lastSequence;

    private OrderStream(List<Change> changes, int recordCount, BigInteger lastSequence) {
        this.changes = Collections.unmodifiableList(changes);
        this.recordCount = recordCount;
        this.lastSequence = lastSequence;
    }

    /** Every record of every shard (parents before children; moto has one shard per table). */
    public static OrderStream read(DynamoDbStreamsClient streams, String streamArn) {
        List<Shard> shards = streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards();
        List<Change> changes = new ArrayList<>();
        int index = 0;
        BigInteger lastSequence = null;
        for (Shard shard : shards) {
            String iterator = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            for (int call = 0; iterator != null && call < 10_000; call++) {
                String current = iterator;
                GetRecordsResponse page = streams.getRecords(r -> r.shardIterator(current));
                for (Record record : page.records()) {
                    lastSequence = new BigInteger(record.dynamodb().sequenceNumber());
                    Map<String, AttributeValue> image = record.dynamodb().hasNewImage()
                            ? record.dynamodb().newImage() : record.dynamodb().oldImage();
                    if (OrderTable.isOrder(image)) {
                        changes.add(new Change(index, image.get(OrderTable.PK).s(),
                                new BigInteger(record.dynamodb().sequenceNumber()), record.eventNameAsString()));
                    }
                    index++;
                }
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
        return new OrderStream(changes, index, lastSequence);
    }

    public List<Change> changes() {
        return changes;
    }

    /**
     * The sequence number the next record of a one-shard stream gets: moto numbers records one by one (see the
     * README's table of where moto differs).
     */
    public BigInteger nextSequenceNumber() {
        return lastSequence == null ? BigInteger.ZERO : lastSequence.add(BigInteger.ONE);
    }

    /** Records of all items, orders or not. */
    public int recordCount() {
        return recordCount;
    }

    /** Each order's last change, by order id. */
    public Map<String, Change> lastChangePerOrder() {
        Map<String, Change> last = new TreeMap<>();
        for (Change change : changes) {
            last.merge(change.orderId, change, (a, b) -> b.sequence.compareTo(a.sequence) > 0 ? b : a);
        }
        return last;
    }

    /** Orders with a change at or after stream position {@code fromIndex}. */
    public Map<String, Change> lastChangePerOrderFrom(int fromIndex) {
        Map<String, Change> last = new LinkedHashMap<>();
        for (Change change : changes) {
            if (change.index >= fromIndex) {
                last.put(change.orderId, change);
            }
        }
        return last;
    }
}
