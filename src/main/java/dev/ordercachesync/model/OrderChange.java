package dev.ordercachesync.model;

import java.math.BigInteger;

/** One stream record about an order, parsed and typed. A Flink POJO. */
public class OrderChange {
    public ChangeKind kind;
    public String orderId;
    /** The record's DynamoDB sequence number: a decimal string, compared as a big integer. */
    public String sequenceNumber;
    public String shardId;
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

    public BigInteger sequence() {
        return new BigInteger(sequenceNumber);
    }

    @Override
    public String toString() {
        return "OrderChange{" + kind + " " + orderId + " seq=" + sequenceNumber + " shard=" + shardId + "}";
    }
}
