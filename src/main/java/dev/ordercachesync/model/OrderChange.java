package dev.ordercachesync.model;

import java.math.BigInteger;

/**
 * One change of an order, parsed and typed: a stream record, a row of a table scan ({@link ChangeKind#SCAN}), or a
 * scan reader's end-of-run marker ({@link ChangeKind#SCAN_COMPLETE}). A Flink POJO.
 */
public class OrderChange {
    public ChangeKind kind;
    public String orderId;
    /** The record's DynamoDB sequence number: a decimal string, compared as a big integer. Null for scan rows. */
    public String sequenceNumber;
    public String shardId;
    /** The stream the record came from (sequence numbers compare only within one); null when not known. */
    public String streamArn;
    /** For SCAN and SCAN_COMPLETE: the scan run and when it began (wall-clock millis). */
    public int scanRun;
    public long scanStartedAt;
    /** For SCAN_COMPLETE: the reader that sent it and how many readers the scan has. */
    public int scanReader;
    public int scanReaders;
    /** The order after the change; null for REMOVE. */
    public Order newImage;
    /** The order before the change; null for INSERT. */
    public Order oldImage;

    public OrderChange() {}

    public OrderChange(ChangeKind kind, String orderId, String sequenceNumber, String shardId,
                       Order newImage, Order oldImage) {
        this.kind = kind;
        this.orderId = orderId;
        this.sequenceNumber = sequenceNumber;
        this.shardId = shardId;
        this.newImage = newImage;
        this.oldImage = oldImage;
    }

    /** A row of scan run {@code run}, begun at {@code startedAt}, on the table whose stream was {@code streamArn}. */
    public static OrderChange scanned(String orderId, Order order, int run, long startedAt, String streamArn) {
        OrderChange c = new OrderChange(ChangeKind.SCAN, orderId, null, null, order, null);
        c.scanRun = run;
        c.scanStartedAt = startedAt;
        c.streamArn = streamArn;
        return c;
    }

    /** Reader {@code reader} of {@code readers} has emitted all rows of the run; keyed by {@code markerKey}. */
    public static OrderChange scanComplete(String markerKey, int run, long startedAt, int reader, int readers) {
        OrderChange c = new OrderChange(ChangeKind.SCAN_COMPLETE, markerKey, null, null, null, null);
        c.scanRun = run;
        c.scanStartedAt = startedAt;
        c.scanReader = reader;
        c.scanReaders = readers;
        return c;
    }

    public BigInteger sequence() {
        return sequenceNumber == null ? null : new BigInteger(sequenceNumber);
    }

    @Override
    public String toString() {
        return "OrderChange{" + kind + " " + orderId + " seq=" + sequenceNumber + " shard=" + shardId
                + (kind == ChangeKind.SCAN || kind == ChangeKind.SCAN_COMPLETE ? " run=" + scanRun : "") + "}";
    }
}
