package dev.ordercachesync.testsupport;

import dev.ordercachesync.model.RawStreamRecord;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Emits fixed stream records, then stays open until the test releases it, and only then ends the input.
 * Flink drops pending processing-time timers when a bounded input ends, so a source that ended at once
 * would cut off the list views' coalesced flushes; this one ends after the cache has been checked.
 * For tests on a MiniCluster in this JVM only: the release travels through a static registry.
 */
public final class ReleasableSource implements SourceFunction<RawStreamRecord> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, CountDownLatch> RELEASES = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    /** json, shardId, sequenceNumber, approximate creation time per record: RawStreamRecord itself is not Serializable. */
    private final List<String[]> records = new ArrayList<>();
    private volatile boolean cancelled;

    public ReleasableSource(List<RawStreamRecord> toEmit) {
        for (RawStreamRecord r : toEmit) {
            records.add(new String[] {r.json, r.shardId, r.sequenceNumber, Long.toString(r.approximateCreationMillis)});
        }
        RELEASES.put(id, new CountDownLatch(1));
    }

    /** Lets the source end its input, so the job finishes. */
    public void release() {
        CountDownLatch latch = RELEASES.get(id);
        if (latch != null) {
            latch.countDown();
        }
    }

    @Override
    public void run(SourceContext<RawStreamRecord> ctx) throws Exception {
        for (String[] r : records) {
            synchronized (ctx.getCheckpointLock()) {
                ctx.collect(new RawStreamRecord(r[0], r[1], r[2], Long.parseLong(r[3])));
            }
        }
        CountDownLatch released = RELEASES.get(id);
        while (!cancelled && !released.await(20, TimeUnit.MILLISECONDS)) {
            // wait for the test
        }
        RELEASES.remove(id);
    }

    @Override
    public void cancel() {
        cancelled = true;
    }
}
