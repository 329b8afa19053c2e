package dev.ordercachesync.source;

/** A stream record that can never be applied, with why. A Flink POJO. */
public class DeadLetter {
    /** Longest raw record kept, so one huge item cannot bloat logs or the dead-letter table. */
    public static final int MAX_RAW_CHARS = 4096;

    public String reason;
    public String message;
    /** Null when the record was too broken to name its order. */
    public String orderId;
    public String shardId;
    public String sequenceNumber;
    public long timeMillis;
    public String rawRecord;

    public DeadLetter() {}

    public static DeadLetter of(RejectReason reason, String message, String orderId, String shardId,
                                String sequenceNumber, long timeMillis, String raw) {
        DeadLetter d = new DeadLetter();
        d.reason = reason.name();
        d.message = message;
        d.orderId = orderId;
        d.shardId = shardId;
        d.sequenceNumber = sequenceNumber;
        d.timeMillis = timeMillis;
        d.rawRecord = raw == null || raw.length() <= MAX_RAW_CHARS ? raw : raw.substring(0, MAX_RAW_CHARS) + "...(truncated)";
        return d;
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason + ", order=" + orderId + ", shard=" + shardId + ", seq=" + sequenceNumber + ": " + message + "}";
    }
}
