package dev.ordercachesync.bench;

import dev.ordercachesync.model.RawStreamRecord;
import org.apache.flink.streaming.api.functions.source.RichParallelSourceFunction;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Replays recorded stream records into the job in place of the DynamoDB Streams source: each subtask reads its
 * shards in order, as the real source does, and emits each wave when it is due.
 */
@SuppressWarnings("deprecation") // the job's own source is a SourceFunction too (flink-connector-kinesis 4.x)
final class ReplaySource extends RichParallelSourceFunction<RawStreamRecord> {
    private static final long serialVersionUID = 1L;

    private final String feedName;
    private volatile boolean running = true;

    ReplaySource(String feedName) {
        this.feedName = feedName;
    }

    @Override
    public void run(SourceContext<RawStreamRecord> ctx) throws Exception {
        ReplayFeed feed = ReplayFeed.named(feedName);
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        feed.readerStarted(subtask, getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
        while (running) {
            ReplayFeed.Segment segment = feed.next(subtask, 100);
            if (segment != null) {
                replay(feed, subtask, segment, ctx);
            }
        }
    }

    private void replay(ReplayFeed feed, int subtask, ReplayFeed.Segment segment, SourceContext<RawStreamRecord> ctx)
            throws InterruptedException {
        List<Change> changes = segment.recording.changes;
        for (int i = 0; i < changes.size() && running; i++) {
            Change change = changes.get(i);
            if (!feed.reads(subtask, change.record)) {
                continue;
            }
            long due = segment.arrivalNanos(i);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            synchronized (ctx.getCheckpointLock()) {
                ctx.collect(change.record);
            }
            segment.emittedAt.set(i, System.nanoTime());
            segment.emitted.incrementAndGet();
        }
    }

    @Override
    public void cancel() {
        running = false;
    }
}
