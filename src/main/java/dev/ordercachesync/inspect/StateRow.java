package dev.ordercachesync.inspect;

import dev.ordercachesync.model.Order;
import dev.ordercachesync.views.OrderSummary;

/** One entry read from a savepoint: an order, a list or a source shard. A Flink POJO, so all three share a stream. */
public class StateRow {
    public static final String ORDER = "order";
    public static final String LIST = "list";
    public static final String SHARD = "shard";

    public String kind;
    /** Order id, list key or shard id. */
    public String key;
    /** Orders: the last applied sequence number; null when only a tombstone is left. */
    public String lastSequence;
    public String creator;
    /** Orders: the REMOVE's sequence number, or null. */
    public String tombstone;
    /** Orders: when the tombstone was written (epoch millis, from its TTL timestamp); -1 without one. */
    public long tombstoneWrittenAtMillis = -1;
    /** Lists: members, in no particular order. */
    public OrderSummary[] members;
    /** The sequencer's copy of the order, which detail refreshes render; null in state of v1, which kept none. */
    public Order order;
    /** Shards: the stream and the last sequence number read from the shard (or a sentinel such as TRIM_HORIZON). */
    public String stream;
    public String position;

    public StateRow() {}
}
