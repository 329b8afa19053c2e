package dev.ordercachesync.model;

/** The DynamoDB Streams event name of a change. */
public enum ChangeKind {
    INSERT,
    MODIFY,
    REMOVE
}
