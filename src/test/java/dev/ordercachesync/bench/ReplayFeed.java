package dev.ordercachesync.bench;

import dev.ordercachesync.model.RawStreamRecord;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Hands recordings to the {@link ReplaySource} subtasks of one job. The job runs in this JVM (a local mini cluster),
 * so a static registry is how the driver and the source meet; the source carries only the feed's name.
 */
final class ReplayFeed {
    private static final Map<String, ReplayFeed> FEEDS = new ConcurrentHashMap<>();

    /** One recording released to the job, paced or as fast as the job takes it. */
    static final class Segment {
        final Recording recording;
        final long startNanos;
        /** 0: emit at once; otherwise wave {@code w} is due at {@code startNanos + w * waveIntervalNanos}. */
        final long waveIntervalNanos;
        final AtomicLongArray emittedAt;
        final AtomicInteger emitted = new AtomicInteger();

        Segment(Recording recording, long startNanos, long waveIntervalNanos) {
            this.recording = recording;
            this.startNanos = startNanos;
            this.waveIntervalNanos = waveIntervalNanos;
            this.emittedAt = new AtomicLongArray(recording.size());
        }

        /** When change {@code i} arrives in the stream: the moment a reader could first see it. */
        long arrivalNanos(int i) {
            return startNanos + recording.changes.get(i).wave * waveIntervalNanos;
        }

        boolean fullyEmitted() {
            return emitted.get() == recording.size();
        }
    }

    private final String name;
    private final int parallelism;
    private final BlockingQueue<Segment>[] queues;
    private final CountDownLatch readersStarted;

    @SuppressWarnings("unchecked")
    private ReplayFeed(String name, int parallelism) {
        this.name = name;
        this.parallelism = parallelism;
        this.queues = new BlockingQueue[parallelism];
        for (int i = 0; i < parallelism; i++) {
            queues[i] = new LinkedBlockingQueue<>();
        }
        this.readersStarted = new CountDownLatch(parallelism);
    }

    static ReplayFeed open(String name, int parallelism) {
        ReplayFeed feed = new ReplayFeed(name, parallelism);
        if (FEEDS.putIfAbsent(name, feed) != null) {
            throw new IllegalStateException("feed " + name + " already open");
        }
        return feed;
    }

    static ReplayFeed named(String name) {
        ReplayFeed feed = FEEDS.get(name);
        if (feed == null) {
            throw new IllegalStateException("no replay feed named " + name);
        }
        return feed;
    }

    String name() {
        return name;
    }

    void close() {
        FEEDS.remove(name);
    }

    /** Waits until every source subtask runs, so the first segment is not timed while tasks still deploy. */
    void awaitReaders(long timeoutMillis) throws InterruptedException {
        if (!readersStarted.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the job's source did not start within " + timeoutMillis + " ms");
        }
    }

    Segment release(Recording recording, long waveIntervalNanos) {
        Segment segment = new Segment(recording, System.nanoTime(), waveIntervalNanos);
        for (BlockingQueue<Segment> q : queues) {
            q.add(segment);
        }
        return segment;
    }

    // ---- the source's side

    void readerStarted(int subtask, int sourceParallelism) {
        if (sourceParallelism != parallelism) {
            throw new IllegalStateException("feed " + name + " expects " + parallelism + " readers, the source has "
                    + sourceParallelism);
        }
        readersStarted.countDown();
    }

    Segment next(int subtask, long timeoutMillis) throws InterruptedException {
        return queues[subtask].poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Shards are spread over subtasks as Flink's DynamoDB source spreads them: each shard has one reader. */
    boolean reads(int subtask, RawStreamRecord record) {
        return WorkloadGenerator.shardNumber(record.shardId) % parallelism == subtask;
    }
}
