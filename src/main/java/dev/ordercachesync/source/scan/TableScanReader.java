package dev.ordercachesync.source.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordercachesync.aws.AwsErrors;
import dev.ordercachesync.aws.DynamoDbClients;
import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.metrics.CloudWatchMetrics;
import dev.ordercachesync.model.TableRow;
import dev.ordercachesync.source.ItemImages;
import dev.ordercachesync.source.StreamGapRelay;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Reads its segments page by page with strongly consistent Scan calls, within its share of the read capacity,
 * and emits every item as a {@link TableRow}. After each page it tells the enumerator how far the segment got; when
 * the enumerator says the run is complete, it emits its end-of-run marker. A throttled page is retried with
 * exponential backoff and jitter, never dropped. Pages are read on the task thread, one at a time, so a checkpoint
 * always falls between pages and the split's last evaluated key is exact.
 *
 * <p>It also forwards the gaps this TaskManager's stream source finds to the enumerator, and its answers back
 * ({@link StreamGapRelay}).
 */
final class TableScanReader implements SourceReader<TableRow, ScanSplit>, StreamGapRelay.Forwarder {
    private static final Logger LOG = LoggerFactory.getLogger(TableScanReader.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long BACKOFF_BASE_MILLIS = 100;
    private static final long BACKOFF_CAP_MILLIS = 20_000;
    /** Strongly consistent reads cost one unit per started 4 KB of a page's items. */
    private static final int BYTES_PER_READ_UNIT = 4096;

    private final SourceReaderContext context;
    private final JobParameters p;
    private final String gapChannel;
    /** This run's splits, finished ones included, by segment. */
    private final Map<Integer, ScanSplit> splits = new LinkedHashMap<>();
    private final ScheduledExecutorService timer;
    private ReadCapacityBudget budget;
    private DynamoDbClient client;
    private int run;
    private TableRow pendingMarker;
    private int throttledInARow;
    private volatile CompletableFuture<Void> available = CompletableFuture.completedFuture(null);
    /** Set by the stream source's thread, cleared by the task thread when it forwards the gaps. */
    private volatile boolean gapsWaiting;

    private Counter itemsScanned;
    private Counter pagesRead;
    private Counter pagesThrottled;
    private Counter readUnits;

    TableScanReader(SourceReaderContext context, JobParameters p, String gapChannel) {
        this.context = context;
        this.p = p;
        this.gapChannel = gapChannel;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "table-scan-timer-" + context.getIndexOfSubtask());
            t.setDaemon(true);
            return t;
        });
        MetricGroup metrics = CloudWatchMetrics.of(context.metricGroup()).addGroup("tableBootstrap");
        itemsScanned = metrics.counter("itemsScanned");
        pagesRead = metrics.counter("pagesRead");
        pagesThrottled = metrics.counter("pagesThrottled");
        readUnits = metrics.counter("readUnitsConsumed");
    }

    @Override
    public void start() {
        client = DynamoDbClients.forJob(p);
        double share = (double) p.bootstrapReadCapacity / context.currentParallelism();
        budget = new ReadCapacityBudget(share, System.nanoTime());
        StreamGapRelay.attach(gapChannel, this);
    }

    @Override
    public void gapWaiting() {
        gapsWaiting = true;
        available.complete(null);
    }

    private void forwardGaps() {
        gapsWaiting = false;
        for (StreamGapRelay.Gap gap : StreamGapRelay.take(gapChannel)) {
            LOG.info("Table scan reader {} forwards a stream gap to the enumerator: {}", context.getIndexOfSubtask(), gap);
            context.sendSourceEventToCoordinator(new ScanEvents.GapFound(gap.id, gap.reason, gap.detectedAt));
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<TableRow> output) {
        if (gapsWaiting) {
            forwardGaps();
        }
        if (pendingMarker != null) {
            output.collect(pendingMarker);
            context.sendSourceEventToCoordinator(new ScanEvents.MarkerEmitted(pendingMarker.run));
            LOG.info("Table scan reader {} emitted the end of run {}", context.getIndexOfSubtask(), pendingMarker.run);
            pendingMarker = null;
        }
        ScanSplit split = nextUnfinished();
        if (split == null) {
            return idle();
        }
        long wait = budget.nanosUntilAvailable(System.nanoTime());
        if (wait > 0) {
            return wakeAfter(wait);
        }
        ScanResponse page;
        try {
            page = client.scan(request(split));
        } catch (ProvisionedThroughputExceededException | RequestLimitExceededException e) {
            return throttled(split, e);
        } catch (AwsServiceException e) {
            if (e.isThrottlingException()) {
                return throttled(split, e);
            }
            throw e;
        }
        throttledInARow = 0;
        long bytes = 0;
        for (Map<String, AttributeValue> item : page.items()) {
            String json = ItemImages.toJson(item).toString();
            bytes += json.getBytes(StandardCharsets.UTF_8).length;
            output.collect(TableRow.item(json, split.run, split.runStartedAt, split.streamArn));
        }
        // DynamoDB charges a page its items' size in started 4 KB units; an emulator may report less, never more.
        double estimate = Math.max(1, Math.ceil((double) bytes / BYTES_PER_READ_UNIT));
        double units = page.consumedCapacity() != null && page.consumedCapacity().capacityUnits() != null
                ? Math.max(page.consumedCapacity().capacityUnits(), estimate) : estimate;
        budget.charge(units, System.nanoTime());
        readUnits.inc(Math.round(units));
        pagesRead.inc();
        itemsScanned.inc(page.count() == null ? page.items().size() : page.count());
        String next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? ItemImages.toJson(page.lastEvaluatedKey()).toString() : null;
        ScanSplit advanced = split.after(next, page.items().size());
        splits.put(split.segment, advanced);
        context.sendSourceEventToCoordinator(new ScanEvents.SegmentProgress(advanced));
        return InputStatus.MORE_AVAILABLE;
    }

    private ScanRequest request(ScanSplit split) {
        ScanRequest.Builder request = ScanRequest.builder()
                .tableName(p.tableName)
                .segment(split.segment)
                .totalSegments(split.totalSegments)
                .limit(p.bootstrapPageSize)
                // A stale read could undo a change the stream applied before the run began, and no record would
                // come to repair it.
                .consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (split.lastKey != null) {
            try {
                request.exclusiveStartKey(ItemImages.keyFromJson(MAPPER.readTree(split.lastKey)));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable last evaluated key in " + split, e);
            }
        }
        return request.build();
    }

    private InputStatus throttled(ScanSplit split, AwsServiceException e) {
        pagesThrottled.inc();
        throttledInARow++;
        long ceiling = Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS << Math.min(throttledInARow - 1, 20));
        long delay = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
        LOG.info("Scan page of {} throttled ({} in a row, {}); retrying in {} ms", split, throttledInARow,
                AwsErrors.code(e), delay);
        return wakeAfter(TimeUnit.MILLISECONDS.toNanos(delay));
    }

    private ScanSplit nextUnfinished() {
        for (ScanSplit split : splits.values()) {
            if (!split.finished) {
                return split;
            }
        }
        return null;
    }

    private InputStatus idle() {
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
        return sleepUnlessGapsWaiting();
    }

    private InputStatus wakeAfter(long nanos) {
        CompletableFuture<Void> wake = new CompletableFuture<>();
        available = wake;
        timer.schedule(() -> wake.complete(null), nanos, TimeUnit.NANOSECONDS);
        return sleepUnlessGapsWaiting();
    }

    /** A gap reported while the future was being replaced completed the old one: look again. */
    private InputStatus sleepUnlessGapsWaiting() {
        if (gapsWaiting) {
            available.complete(null);
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    private void wake() {
        available.complete(null);
    }

    @Override
    public List<ScanSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(splits.values());
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<ScanSplit> added) {
        for (ScanSplit split : added) {
            if (split.run > run) {
                dropRunsBefore(split.run);
            }
            if (split.run < run) {
                continue;
            }
            splits.put(split.segment, split);
            if (split.lastKey != null && !split.finished) {
                LOG.info("Table scan reader {} resumes {} after its last evaluated key", context.getIndexOfSubtask(), split);
            }
            if (split.finished) {
                // Restored: the enumerator may not have heard before the failure.
                context.sendSourceEventToCoordinator(new ScanEvents.SegmentProgress(split));
            }
        }
        wake();
    }

    private void dropRunsBefore(int newRun) {
        for (Iterator<ScanSplit> it = splits.values().iterator(); it.hasNext(); ) {
            if (it.next().run < newRun) {
                it.remove();
            }
        }
        run = newRun;
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (event instanceof ScanEvents.GapAnswered) {
            ScanEvents.GapAnswered answer = (ScanEvents.GapAnswered) event;
            StreamGapRelay.answer(gapChannel, answer.gapId, answer.refusal);
            return;
        }
        if (!(event instanceof ScanEvents.RunState)) {
            return;
        }
        ScanEvents.RunState state = (ScanEvents.RunState) event;
        if (state.run > run) {
            dropRunsBefore(state.run);
        }
        if (state.run == run && state.complete) {
            pendingMarker = TableRow.endOfRun(state.run, state.runStartedAt, state.streamArn,
                    context.getIndexOfSubtask(), context.currentParallelism());
        }
        wake();
    }

    @Override
    public void notifyNoMoreSplits() {
        // Unbounded: a later run (a gap, or a new bootstrap-run-id) may bring splits.
    }

    @Override
    public void close() {
        StreamGapRelay.detach(gapChannel, this);
        timer.shutdownNow();
        if (client != null) {
            client.close();
        }
    }
}
