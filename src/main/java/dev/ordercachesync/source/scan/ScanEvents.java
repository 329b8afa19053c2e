package dev.ordercachesync.source.scan;

import org.apache.flink.api.connector.source.SourceEvent;

/** What the scan's readers and enumerator tell each other. */
final class ScanEvents {
    private ScanEvents() {}

    /** Reader → enumerator, after a page's rows are emitted: how far a segment got. */
    static final class SegmentProgress implements SourceEvent {
        private static final long serialVersionUID = 1L;
        final int run;
        final int segment;
        final long itemsScanned;
        final boolean finished;

        SegmentProgress(ScanSplit split) {
            this.run = split.run;
            this.segment = split.segment;
            this.itemsScanned = split.itemsScanned;
            this.finished = split.finished;
        }
    }

    /** Reader → enumerator: the reader emitted its end-of-run marker for the run. */
    static final class MarkerEmitted implements SourceEvent {
        private static final long serialVersionUID = 1L;
        final int run;

        MarkerEmitted(int run) {
            this.run = run;
        }
    }

    /**
     * Enumerator → reader: the current run, and whether all its segments are done and this reader has not yet
     * emitted its end-of-run marker (then it does). A reader drops the splits of older runs.
     */
    static final class RunState implements SourceEvent {
        private static final long serialVersionUID = 1L;
        final int run;
        final long runStartedAt;
        final String streamArn;
        final boolean complete;

        RunState(int run, long runStartedAt, String streamArn, boolean complete) {
            this.run = run;
            this.runStartedAt = runStartedAt;
            this.streamArn = streamArn;
            this.complete = complete;
        }
    }

    /** Reader → enumerator: the stream source of this TaskManager found a gap (see {@code StreamGapRelay}). */
    static final class GapFound implements SourceEvent {
        private static final long serialVersionUID = 1L;
        final String gapId;
        final String reason;
        final long detectedAt;

        GapFound(String gapId, String reason, long detectedAt) {
            this.gapId = gapId;
            this.reason = reason;
            this.detectedAt = detectedAt;
        }
    }

    /** Enumerator → reader: a gap is covered by a run a completed checkpoint holds, or refused (with the reason). */
    static final class GapAnswered implements SourceEvent {
        private static final long serialVersionUID = 1L;
        final String gapId;
        final String refusal;

        GapAnswered(String gapId, String refusal) {
            this.gapId = gapId;
            this.refusal = refusal;
        }
    }
}
