package dev.ordercachesync.model;

/** What a change is: a DynamoDB Streams event, or a row the table scan read. */
public enum ChangeKind {
    INSERT,
    MODIFY,
    REMOVE,
    /** A row of a table scan (bootstrap): the order as the table held it, with no sequence number. */
    SCAN,
    /** One scan reader has emitted every row of a completed scan run; carries no order. */
    SCAN_COMPLETE;

    /** Whether this is a DynamoDB Streams event name; the other kinds never come from the stream. */
    public boolean isStreamEvent() {
        return this == INSERT || this == MODIFY || this == REMOVE;
    }
}
