package dev.ordercachesync.sink;

import dev.ordercachesync.metrics.CloudWatchMetrics;
import dev.ordercachesync.model.CacheMutation;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One per sink subtask: hands mutations to a {@link KeyOrderedDispatcher}, drains it on checkpoints, and waits for
 * its calls in flight when closed.
 */
final class MomentoSinkWriter implements SinkWriter<CacheMutation> {
    private static final Logger LOG = LoggerFactory.getLogger(MomentoSinkWriter.class);
    /** Keys buffered per in-flight slot before {@link #write} blocks and backpressure reaches the job. */
    private static final int BUFFERED_KEYS_PER_SLOT = 64;

    private final CacheWriteOperations operations;
    private final ScheduledExecutorService retryTimer;
    private final KeyOrderedDispatcher dispatcher;
    private final Duration requestTimeout;

    MomentoSinkWriter(CacheWriteOperations operations, RetryBackoff backoff, int maxInFlight, int maxAttempts,
                      SinkBudget budget, Duration requestTimeout, SinkWriterMetricGroup metrics) {
        this.operations = operations;
        this.requestTimeout = requestTimeout;
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
        SendRateLimiter limiter = new SendRateLimiter(budget.share(), System::nanoTime);
        group.gauge("momentoSendRateOpsPerSecond", limiter::sendRate);
        group.gauge("momentoRateLimitOpsPerSecond", limiter::limit);
        group.gauge("momentoBudgetOpsPerSecond", limiter::budget);
        this.dispatcher = new KeyOrderedDispatcher(operations, retryTimer, backoff, maxInFlight,
                maxInFlight * BUFFERED_KEYS_PER_SLOT, maxAttempts, limiter,
                new QuotaBottleneckLog(limiter, budget.opsPerSecond, budget.subtask, budget.parallelism),
                new KeyOrderedDispatcher.Observer() {
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
                    public void throttled() {
                        throttled.inc();
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
        group.gauge("momentoOperationsWaiting", dispatcher::pendingOperations);
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
        try {
            // A call of a failed attempt landing after the restarted job's newer write to its key would undo it.
            int left = dispatcher.close(requestTimeout);
            if (left > 0) {
                LOG.warn("Closing the Momento sink with {} calls still in flight after the request timeout ({}).", left, requestTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            retryTimer.shutdownNow();
            operations.close();
        }
    }
}
