package dev.ordercachesync.ordering;

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

    public AppliedOrder() {}

    public AppliedOrder(BigInteger lastSequence, String creator) {
        this.lastSequence = lastSequence;
        this.creator = creator;
    }
}
