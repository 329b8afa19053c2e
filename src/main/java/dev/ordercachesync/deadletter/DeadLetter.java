package dev.ordercachesync.deadletter;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** A stream record that can never be applied, with why. A Flink POJO. */
public class DeadLetter {
    /** Longest raw record kept, so one huge item cannot bloat logs or the dead-letter table. */
    public static final int MAX_RAW_CHARS = 4096;
    /** Longest message and order id kept: a hostile record can make either arbitrarily long. */
    public static final int MAX_TEXT_CHARS = 1024;
    static final String TRUNCATED = "...(truncated)";

    /** The side output every operator sends its dead letters to. */
    public static final OutputTag<DeadLetter> OUTPUT =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    public String reason;
    public String message;
    /** Null when the record was too broken to name its order. */
    public String orderId;
    public String shardId;
    public String sequenceNumber;
    public long timeMillis;
    public String rawRecord;
    /**
     * The dead letter's identity when it has no stream position (a list over the size bound): the same on a
     * replay, so the dead-letter table keeps one item for it. Null otherwise.
     */
    public String id;

    public DeadLetter() {}

    public static DeadLetter of(RejectReason reason, String message, String orderId, String shardId,
                                String sequenceNumber, long timeMillis, String raw) {
        DeadLetter d = new DeadLetter();
        d.reason = reason.name();
        d.message = truncate(message, MAX_TEXT_CHARS);
        d.orderId = truncate(orderId, MAX_TEXT_CHARS);
        d.shardId = truncate(shardId, MAX_TEXT_CHARS);
        d.sequenceNumber = truncate(sequenceNumber, MAX_TEXT_CHARS);
        d.timeMillis = timeMillis;
        d.rawRecord = truncate(raw, MAX_RAW_CHARS);
        return d;
    }

    static String truncate(String s, int maxChars) {
        if (s == null || s.length() <= maxChars) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return s.substring(0, end) + TRUNCATED;
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason + ", order=" + orderId + ", shard=" + shardId + ", seq=" + sequenceNumber + ": " + message + "}";
    }
}
