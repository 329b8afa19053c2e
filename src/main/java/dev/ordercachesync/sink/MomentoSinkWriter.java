package dev.ordercachesync.sink;

import dev.ordercachesync.model.CacheMutation;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** One per sink subtask: hands mutations to a {@link KeyOrderedDispatcher} and drains it on checkpoints. */
final class MomentoSinkWriter implements SinkWriter<CacheMutation> {
    /** Keys buffered per in-flight slot before {@link #write} blocks and backpressure reaches the job. */
    private static final int BUFFERED_KEYS_PER_SLOT = 64;

    private final CacheWriteOperations operations;
    private final ScheduledExecutorService retryTimer;
    private final KeyOrderedDispatcher dispatcher;

    MomentoSinkWriter(CacheWriteOperations operations, RetryBackoff backoff, int maxInFlight, int maxAttempts,
                      SinkWriterMetricGroup metrics) {
        this.operations = operations;
        this.retryTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "momento-sink-retry");
            t.setDaemon(true);
            return t;
        });
        Counter writes = metrics.counter("cacheWrites");
        Counter retries = metrics.counter("cacheWriteRetries");
        Counter failures = metrics.counter("cacheWriteFailures");
        Counter coalesced = metrics.counter("cacheWritesCoalesced");
        Histogram latency = metrics.histogram("cacheWriteLatencyMillis", new DescriptiveStatisticsHistogram(1000));
        Counter sent = metrics.getNumRecordsSendCounter();
        this.dispatcher = new KeyOrderedDispatcher(operations, retryTimer, backoff, maxInFlight,
                maxInFlight * BUFFERED_KEYS_PER_SLOT, maxAttempts, new KeyOrderedDispatcher.Observer() {
                    @Override
                    public void written(long latencyNanos) {
                        writes.inc();
                        sent.inc();
                        latency.update(TimeUnit.NANOSECONDS.toMillis(latencyNanos));
                    }

                    @Override
                    public void retried() {
                        retries.inc();
                    }

                    @Override
                    public void coalesced() {
                        coalesced.inc();
                    }

                    @Override
                    public void failed() {
                        failures.inc();
                    }
                });
        metrics.gauge("cacheWritesInFlight", dispatcher::inFlight);
        metrics.gauge("cacheKeysBuffered", dispatcher::bufferedKeys);
    }

    @Override
    public void write(CacheMutation mutation, Context context) throws InterruptedException {
        dispatcher.submit(mutation);
    }

    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        dispatcher.flush();
    }

    @Override
    public void close() {
        retryTimer.shutdownNow();
        operations.close();
    }
}
