package dev.ordercachesync.job;

/**
 * Stable operator uids. Savepoints map state to operators by these strings: never change one of a
 * stateful operator, or its state is lost on restore.
 */
public final class OperatorIds {
    public static final String SOURCE = "dynamodb-stream-source";
    public static final String PARSER = "parse-stream-records";
    /** Stateful: the scan's segments, their last evaluated keys and the runs' progress. */
    public static final String TABLE_SCAN = "table-scan-source";
    public static final String TABLE_ROW_PARSER = "parse-table-rows";
    public static final String SEQUENCER = "order-sequencer";
    public static final String LIST_MATERIALIZER = "list-view-materializer";
    public static final String MOMENTO_SINK = "momento-sink";
    public static final String DEAD_LETTER_LOG = "dead-letter-log";
    /** Stateful: the DynamoDB sink keeps unwritten dead letters in checkpoints. */
    public static final String DEAD_LETTER_TABLE = "dead-letter-table";

    private OperatorIds() {}
}
