package dev.ordercachesync.ordering;

import dev.ordercachesync.model.Order;

import java.math.BigInteger;

/**
 * What the sequencer remembers of a live order: the last applied change and its list membership. A Flink POJO,
 * held in savepoints: a field may be added (state restored from before has it null) or removed, never renamed
 * or given another type, and the class never renamed or moved.
 */
public class AppliedOrder {
    public BigInteger lastSequence;
    /** The creator whose list holds the order, so a creator change can take it out of the old list. */
    public String creator;
    /**
     * The order as last applied, so its detail views can be re-written before their TTL runs out. Null in state
     * restored from a version that did not keep it: such an order is refreshed from its next change on.
     */
    public Order order;
    /** When the detail views are next re-written (the refresh timer's time); null when no timer is set. */
    public Long refreshAt;
    /**
     * The stream {@link #lastSequence} belongs to: sequence numbers compare only within one stream. Null when not
     * known (state from before it was kept, records without it): then the stream is taken to be the same.
     */
    public String streamArn;
    /** When (processing time) a stream change was last applied; null when none was (only scanned rows). */
    public Long appliedAt;
    /** The last table scan run that read the order; null when none did. */
    public Integer scanRun;

    public AppliedOrder() {}

    public AppliedOrder(BigInteger lastSequence, String creator) {
        this.lastSequence = lastSequence;
        this.creator = creator;
    }

    public AppliedOrder(BigInteger lastSequence, Order order, Long refreshAt) {
        this(lastSequence, order.creator);
        this.order = order;
        this.refreshAt = refreshAt;
    }
}
