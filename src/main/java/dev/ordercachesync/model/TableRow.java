package dev.ordercachesync.model;

/**
 * One item a bootstrap scan read, or (with {@link #json} null) the end-of-run marker of one scan reader.
 * A Flink POJO.
 */
public class TableRow {
    /** The item in DynamoDB JSON, the shape of a stream record's NewImage; null for a marker. */
    public String json;
    /** The scan run (1, 2, ...) that read it. */
    public int run;
    /** Wall-clock millis at which the run began: changes the job applied after it are newer than any of its rows. */
    public long runStartedAt;
    /** The table's stream when the run began. */
    public String streamArn;
    /** For a marker: the subtask index of the reader that sent it, and how many readers the source has. */
    public int reader;
    public int readers;

    public TableRow() {}

    public static TableRow item(String json, int run, long runStartedAt, String streamArn) {
        TableRow row = new TableRow();
        row.json = json;
        row.run = run;
        row.runStartedAt = runStartedAt;
        row.streamArn = streamArn;
        return row;
    }

    public static TableRow endOfRun(int run, long runStartedAt, String streamArn, int reader, int readers) {
        TableRow row = item(null, run, runStartedAt, streamArn);
        row.reader = reader;
        row.readers = readers;
        return row;
    }

    public boolean isEndOfRun() {
        return json == null;
    }
}
