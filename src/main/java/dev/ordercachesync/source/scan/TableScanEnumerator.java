package dev.ordercachesync.source.scan;

import dev.ordercachesync.aws.DynamoDbClients;
import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.metrics.CloudWatchMetrics;
import dev.ordercachesync.source.TableStreams;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Decides at start whether the table is scanned ({@link RunDecision}), hands the segments of a run to the
 * readers, collects their progress, tells them when the run is complete, checks now and then that the table's
 * stream is still the one the job reads, and starts a run for a gap the stream source found in its positions.
 */
final class TableScanEnumerator implements SplitEnumerator<ScanSplit, ScanEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(TableScanEnumerator.class);
    private static final long PROGRESS_LOG_EVERY_MILLIS = 30_000;

    private final SplitEnumeratorContext<ScanSplit> context;
    private final JobParameters p;
    /** The table's stream when this enumerator started, which the stream source reads. */
    private String currentStreamArn;
    private final ScanEnumeratorState state;
    private final boolean restored;
    private DynamoDbClient client;
    private Counter gaps;
    private long lastProgressLogAt;
    /** Gaps the stream source waits on; each is answered once a completed checkpoint holds the run that covers it. */
    private final List<PendingAnswer> unanswered = new ArrayList<>();

    private static final class PendingAnswer {
        final int reader;
        final String gapId;
        /** The first checkpoint taken after the covering run started; null until one is. */
        Long checkpointId;

        PendingAnswer(int reader, String gapId) {
            this.reader = reader;
            this.gapId = gapId;
        }
    }

    TableScanEnumerator(SplitEnumeratorContext<ScanSplit> context, JobParameters p, ScanEnumeratorState restoredState) {
        this.context = context;
        this.p = p;
        this.restored = restoredState != null;
        this.state = restoredState == null ? new ScanEnumeratorState() : restoredState;
    }

    @Override
    public void start() {
        client = DynamoDbClients.forJob(p);
        registerMetrics();
        TableDescription table = TableStreams.describe(client, p.tableName);
        String current = TableStreams.currentStreamArn(table);
        // The stream source reads the table's stream as it is when it starts, as this does.
        currentStreamArn = current;
        state.approximateItemCount = table.itemCount() == null ? -1 : table.itemCount();
        RunDecision decision = RunDecision.at(restored ? state : null, current, p.bootstrapRunId, System.currentTimeMillis());
        switch (decision.action) {
            case GAP:
                gaps.inc();
                state.gapsDetected++;
                if (!p.gapRecoveryRebootstrap) {
                    throw new FlinkRuntimeException("Stream gap: " + decision.reason + ". The job's state may miss "
                            + "changes. Start it with " + JobParameters.GAP_RECOVERY + "=rebootstrap to scan the table "
                            + "again and reconcile every view, or restore a savepoint younger than 24h of the current stream.");
                }
                LOG.warn("Stream gap ({} so far): {}; scanning table '{}' again and reconciling the views",
                        state.gapsDetected, decision.reason, p.tableName);
                startRun(current, decision.reason);
                break;
            case NEW_RUN:
                startRun(current, decision.reason);
                break;
            default:
                LOG.info("Table bootstrap: {}; {} of ~{} items scanned", decision.reason, state.itemsScanned(),
                        state.approximateItemCount);
        }
        long interval = p.streamCheckInterval.toMillis();
        context.callAsync(() -> TableStreams.describe(client, p.tableName), this::onTableChecked, interval, interval);
        context.callAsync(() -> null, (ignored, error) -> logProgress(false), 5_000, 5_000);
    }

    /**
     * A stream replaced while the job runs cannot be followed by the running stream source: fail, and the restart
     * reads the new stream and finds the gap ({@link RunDecision}), or refuses it with gap-recovery=fail.
     */
    private void requireStreamUnchanged(String current) {
        if (!current.equals(currentStreamArn)) {
            gaps.inc();
            throw new FlinkRuntimeException("The stream of table '" + p.tableName + "' was replaced: it is now " + current
                    + ", the job reads " + currentStreamArn + ". Restarting to read the new stream; on restart the job "
                    + (p.gapRecoveryRebootstrap ? "scans the table to cover the gap"
                    : "stops, as " + JobParameters.GAP_RECOVERY + "=fail asks") + ".");
        }
    }

    private void onTableChecked(TableDescription table, Throwable error) {
        if (error != null) {
            LOG.warn("DescribeTable of '{}' failed; the stream check is retried in {}: {}", p.tableName,
                    p.streamCheckInterval, error.toString());
            return;
        }
        if (table.itemCount() != null) {
            state.approximateItemCount = table.itemCount();
        }
        requireStreamUnchanged(TableStreams.currentStreamArn(table));
    }

    private void startRun(String streamArn, String reason) {
        state.run++;
        // An unset run id keeps the last one given, so setting that value again later asks for nothing new.
        if (!p.bootstrapRunId.isEmpty()) {
            state.runId = p.bootstrapRunId;
        }
        state.streamArn = streamArn;
        state.runStartedAt = System.currentTimeMillis();
        state.totalSegments = p.bootstrapSegments;
        state.unassigned.clear();
        state.finished.clear();
        state.itemsPerSegment.clear();
        state.complete = false;
        state.markersEmitted.clear();
        for (int s = 0; s < state.totalSegments; s++) {
            state.unassigned.add(s);
        }
        LOG.info("Table bootstrap run {} starts ({}): scanning '{}' (~{} items) in {} segments, {} items per page, "
                        + "at most {} read units/s", state.run, reason, p.tableName, state.approximateItemCount,
                state.totalSegments, p.bootstrapPageSize, p.bootstrapReadCapacity);
        for (int reader : context.registeredReaders().keySet()) {
            context.sendEventToSourceReader(reader, runState(reader));
            assignTo(reader);
        }
    }

    private ScanEvents.RunState runState(int reader) {
        return new ScanEvents.RunState(state.run, state.runStartedAt, state.streamArn,
                state.complete && !state.markersEmitted.contains(reader));
    }

    private void assignTo(int reader) {
        int readers = context.currentParallelism();
        List<ScanSplit> splits = new ArrayList<>();
        for (Iterator<Integer> it = state.unassigned.iterator(); it.hasNext(); ) {
            int segment = it.next();
            if (segment % readers == reader) {
                splits.add(ScanSplit.fresh(state.run, segment, state.totalSegments, state.runStartedAt, state.streamArn));
                it.remove();
            }
        }
        for (ScanSplit split : splits) {
            context.assignSplit(split, reader);
        }
    }

    @Override
    public void addReader(int subtaskId) {
        if (state.run == 0) {
            return;
        }
        context.sendEventToSourceReader(subtaskId, runState(subtaskId));
        assignTo(subtaskId);
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (event instanceof ScanEvents.GapFound) {
            onGapFound(subtaskId, (ScanEvents.GapFound) event);
            return;
        }
        if (event instanceof ScanEvents.MarkerEmitted) {
            if (((ScanEvents.MarkerEmitted) event).run == state.run) {
                state.markersEmitted.add(subtaskId);
            }
            return;
        }
        if (!(event instanceof ScanEvents.SegmentProgress)) {
            return;
        }
        ScanEvents.SegmentProgress progress = (ScanEvents.SegmentProgress) event;
        if (progress.run != state.run) {
            return;
        }
        state.itemsPerSegment.put(progress.segment, progress.itemsScanned);
        if (progress.finished && state.finished.add(progress.segment)
                && state.finished.size() == state.totalSegments && !state.complete) {
            state.complete = true;
            logProgress(true);
            for (int reader : context.registeredReaders().keySet()) {
                context.sendEventToSourceReader(reader, runState(reader));
            }
        }
    }

    /**
     * A restored shard position the stream no longer holds. A run that started after the gap was found covers it
     * (several shards report the same gap); otherwise a new one starts. With gap-recovery=fail it is refused, and
     * the stream source fails the job with the reason.
     */
    private void onGapFound(int reader, ScanEvents.GapFound gap) {
        gaps.inc();
        state.gapsDetected++;
        if (!p.gapRecoveryRebootstrap) {
            String refusal = "Stream gap: " + gap.reason + ". The job's state misses the changes in between. Start it "
                    + "with " + JobParameters.GAP_RECOVERY + "=rebootstrap to scan the table again and reconcile every "
                    + "view, or restore a savepoint younger than the stream's 24 h retention.";
            LOG.error(refusal);
            context.sendEventToSourceReader(reader, new ScanEvents.GapAnswered(gap.gapId, refusal));
            return;
        }
        if (state.run > 0 && state.runStartedAt >= gap.detectedAt) {
            LOG.warn("Stream gap ({} so far): {}; covered by table bootstrap run {}, which started after it was found",
                    state.gapsDetected, gap.reason, state.run);
        } else {
            LOG.warn("Stream gap ({} so far): {}; scanning table '{}' again and reconciling the views",
                    state.gapsDetected, gap.reason, p.tableName);
            startRun(currentStreamArn, "stream gap: " + gap.reason);
        }
        unanswered.add(new PendingAnswer(reader, gap.gapId));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        for (Iterator<PendingAnswer> it = unanswered.iterator(); it.hasNext(); ) {
            PendingAnswer pending = it.next();
            if (pending.checkpointId != null && pending.checkpointId <= checkpointId) {
                context.sendEventToSourceReader(pending.reader, new ScanEvents.GapAnswered(pending.gapId, null));
                it.remove();
            }
        }
    }

    private void logProgress(boolean end) {
        long now = System.currentTimeMillis();
        if (state.run == 0 || (!end && (state.complete || now - lastProgressLogAt < PROGRESS_LOG_EVERY_MILLIS))) {
            return;
        }
        lastProgressLogAt = now;
        long items = state.itemsScanned();
        double seconds = Math.max(0.001, (now - state.runStartedAt) / 1000.0);
        LOG.info("Table bootstrap run {} {}: {} of ~{} items scanned, {} of {} segments done, {} s, {} items/s",
                state.run, end ? "complete" : "in progress", items, state.approximateItemCount, state.finished.size(),
                state.totalSegments, Math.round(seconds), Math.round(items / seconds));
    }

    private void registerMetrics() {
        MetricGroup metrics = CloudWatchMetrics.of(context.metricGroup()).addGroup("tableBootstrap");
        metrics.gauge("run", () -> state.run);
        metrics.gauge("itemsScanned", state::itemsScanned);
        metrics.gauge("approximateItemCount", () -> state.approximateItemCount);
        metrics.gauge("segmentsDone", () -> state.finished.size());
        metrics.gauge("segments", () -> state.totalSegments);
        metrics.gauge("complete", () -> state.complete ? 1 : 0);
        gaps = metrics.counter("streamGapsDetected");
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed when a reader registers.
    }

    @Override
    public void addSplitsBack(List<ScanSplit> splits, int subtaskId) {
        for (ScanSplit split : splits) {
            if (split.run == state.run && !state.finished.contains(split.segment)) {
                state.unassigned.add(split.segment);
            }
        }
    }

    @Override
    public ScanEnumeratorState snapshotState(long checkpointId) {
        state.lastCheckpointAt = System.currentTimeMillis();
        for (PendingAnswer pending : unanswered) {
            if (pending.checkpointId == null) {
                pending.checkpointId = checkpointId;
            }
        }
        return state.copy();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
