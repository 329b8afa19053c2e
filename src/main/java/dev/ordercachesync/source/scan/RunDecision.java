package dev.ordercachesync.source.scan;

import java.time.Duration;

/**
 * Whether a starting job scans the table, and why: the rules that tell a job that can trust its stream positions
 * from one that cannot. Pure, so every case is tested without a cluster.
 */
final class RunDecision {
    /** DynamoDB Streams keeps records this long: positions older than that may point at trimmed records. */
    static final Duration STREAM_RETENTION = Duration.ofHours(24);

    enum Action {
        /** Keep going: resume the current run, or nothing to do when it is complete. */
        RESUME,
        /** Scan the table (the first run, or one asked for). */
        NEW_RUN,
        /** The positions do not cover the table: scan again, or fail when gap-recovery says so. */
        GAP
    }

    final Action action;
    final String reason;

    private RunDecision(Action action, String reason) {
        this.action = action;
        this.reason = reason;
    }

    /**
     * @param state the enumerator's restored state, null for a job without state
     * @param currentStreamArn the table's stream now
     * @param runId the bootstrap-run-id the job runs with; empty (not set) asks for nothing, so a deployment that
     *     drops or empties the value (a stack parameter left blank) never starts a scan
     */
    static RunDecision at(ScanEnumeratorState state, String currentStreamArn, String runId, long nowMillis) {
        if (state == null || state.run == 0) {
            return new RunDecision(Action.NEW_RUN, "the job starts without bootstrap state");
        }
        if (!state.streamArn.equals(currentStreamArn)) {
            return new RunDecision(Action.GAP, "the table's stream was replaced: the job last ran on "
                    + state.streamArn + ", the table's stream is now " + currentStreamArn
                    + " (disabled and enabled again, or the table was re-created or restored from a backup)");
        }
        long away = nowMillis - state.lastCheckpointAt;
        if (state.lastCheckpointAt > 0 && away > STREAM_RETENTION.toMillis()) {
            return new RunDecision(Action.GAP, "the job's last checkpoint is " + Duration.ofMillis(away).toHours()
                    + "h old, longer than the stream's 24h retention: records after its positions may be trimmed");
        }
        if (!runId.isEmpty() && !state.runId.equals(runId)) {
            return new RunDecision(Action.NEW_RUN, "bootstrap-run-id changed from '" + state.runId + "' to '" + runId + "'");
        }
        return new RunDecision(Action.RESUME, state.complete ? "run " + state.run + " is complete"
                : "run " + state.run + " resumes");
    }
}
