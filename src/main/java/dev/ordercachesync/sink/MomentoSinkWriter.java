package dev.ordercachesync.sink;

import dev.ordercachesync.model.CacheMutation;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
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
    /** Only metrics in a group of this name reach CloudWatch from Managed Flink. */
    static final String CLOUDWATCH_GROUP = "kinesisanalytics";

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
        Counter writes = metrics.counter("cacheWrites");
        Counter retries = metrics.counter("cacheWriteRetries");
        Counter failures = metrics.counter("cacheWriteFailures");
        Counter coalesced = metrics.counter("cacheWritesCoalesced");
        Histogram latency = metrics.histogram("cacheWriteLatencyMillis", new DescriptiveStatisticsHistogram(1000));
        Counter sent = metrics.getNumRecordsSendCounter();
        MetricGroup quota = metrics.addGroup(CLOUDWATCH_GROUP);
        Counter throttled = quota.counter("momentoThrottledCalls");
        SendRateLimiter limiter = new SendRateLimiter(budget.share(), budget.adaptiveStart(), System::nanoTime);
        quota.gauge("momentoSendRateOpsPerSecond", limiter::sendRate);
        quota.gauge("momentoRateLimitOpsPerSecond", limiter::limit);
        quota.gauge("momentoBudgetOpsPerSecond", limiter::budget);
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
        metrics.gauge("cacheWritesInFlight", dispatcher::inFlight);
        metrics.gauge("cacheKeysBuffered", dispatcher::bufferedKeys);
        quota.gauge("momentoOperationsWaiting", dispatcher::pendingOperations);
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
