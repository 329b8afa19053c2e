package dev.ordercachesync.source.scan;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One segment of one parallel Scan run, with how far it got: the last evaluated key of the last page emitted. A
 * finished segment stays with its reader until the next run, so a reader restored from a checkpoint can tell the
 * enumerator again that it is done.
 */
public final class ScanSplit implements SourceSplit {
    final int run;
    final int segment;
    final int totalSegments;
    final long runStartedAt;
    final String streamArn;
    /** The last evaluated key in DynamoDB JSON; null before the first page. */
    final String lastKey;
    final long itemsScanned;
    final boolean finished;

    ScanSplit(int run, int segment, int totalSegments, long runStartedAt, String streamArn, String lastKey,
              long itemsScanned, boolean finished) {
        this.run = run;
        this.segment = segment;
        this.totalSegments = totalSegments;
        this.runStartedAt = runStartedAt;
        this.streamArn = streamArn;
        this.lastKey = lastKey;
        this.itemsScanned = itemsScanned;
        this.finished = finished;
    }

    static ScanSplit fresh(int run, int segment, int totalSegments, long runStartedAt, String streamArn) {
        return new ScanSplit(run, segment, totalSegments, runStartedAt, streamArn, null, 0, false);
    }

    ScanSplit after(String nextKey, int items) {
        return new ScanSplit(run, segment, totalSegments, runStartedAt, streamArn, nextKey, itemsScanned + items,
                nextKey == null);
    }

    @Override
    public String splitId() {
        return run + "-" + segment;
    }

    @Override
    public String toString() {
        return "segment " + segment + "/" + totalSegments + " of run " + run + (finished ? " (done, " : " (")
                + itemsScanned + " items)";
    }
}
