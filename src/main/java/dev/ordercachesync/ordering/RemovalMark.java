package dev.ordercachesync.ordering;

/**
 * When an order was removed (processing time) and on which stream, beside its tombstone's sequence number: a scan
 * row read before a removal must not bring the order back, and a tombstone's number compares only within its
 * stream. A Flink POJO held in savepoints: never rename or move it.
 */
public class RemovalMark {
    /** Null when the removing record did not say. */
    public String streamArn;
    public long removedAt;

    public RemovalMark() {}

    public RemovalMark(String streamArn, long removedAt) {
        this.streamArn = streamArn;
        this.removedAt = removedAt;
    }
}
