package dev.ordercachesync.sink;

import dev.ordercachesync.metrics.CloudWatchMetrics;
import dev.ordercachesync.model.CacheMutation;
import momento.sdk.exceptions.MomentoErrorCode;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** One per sink subtask: hands mutations to a {@link KeyOrderedDispatcher} and drains it on checkpoints. */
final class MomentoSinkWriter implements SinkWriter<CacheMutation> {
    /** Keys buffered per in-flight slot before {@link #write} blocks and backpressure reaches the job. */
    private static final int BUFFERED_KEYS_PER_SLOT = 64;
    private static final String THROTTLED = MomentoErrorCode.LIMIT_EXCEEDED_ERROR.name();

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
        MetricGroup group = CloudWatchMetrics.of(metrics);
        Counter writes = group.counter("cacheWrites");
        Counter retries = group.counter("cacheWriteRetries");
        Counter failures = group.counter("cacheWriteFailures");
        Counter coalesced = group.counter("cacheWritesCoalesced");
        Counter throttled = group.counter("cacheWritesThrottled");
        // Rates for alarms: CloudWatch sees a counter only as a running total per subtask.
        group.meter("cacheWriteRetriesPerSecond", new MeterView(retries));
        group.meter("cacheWritesThrottledPerSecond", new MeterView(throttled));
        Histogram latency = group.histogram("cacheWriteLatencyMillis", new DescriptiveStatisticsHistogram(1000));
        // CloudWatch shows no histograms: the quantiles that matter go beside it as gauges.
        group.gauge("cacheWriteLatencyP50Millis", (Gauge<Double>) () -> latency.getStatistics().getQuantile(0.5));
        group.gauge("cacheWriteLatencyP99Millis", (Gauge<Double>) () -> latency.getStatistics().getQuantile(0.99));
        Counter sent = metrics.getNumRecordsSendCounter();
        this.dispatcher = new KeyOrderedDispatcher(countThrottled(operations, throttled), retryTimer, backoff, maxInFlight,
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
        group.gauge("cacheWritesInFlight", dispatcher::inFlight);
        group.gauge("cacheKeysBuffered", dispatcher::bufferedKeys);
    }

    /** Counts the calls Momento answered with its rate limit (LIMIT_EXCEEDED), which the dispatcher retries. */
    private static CacheWriteOperations countThrottled(CacheWriteOperations operations, Counter throttled) {
        return new CacheWriteOperations() {
            @Override
            public CompletableFuture<Void> apply(CacheMutation mutation) {
                return operations.apply(mutation).whenComplete((ok, error) -> {
                    if (error != null && isThrottling(error)) {
                        throttled.inc();
                    }
                });
            }

            @Override
            public void close() {
                operations.close();
            }
        };
    }

    private static boolean isThrottling(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CacheWriteException) {
                return THROTTLED.equals(((CacheWriteException) t).errorCode());
            }
        }
        return false;
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
