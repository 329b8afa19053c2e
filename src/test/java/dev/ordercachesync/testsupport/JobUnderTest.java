package dev.ordercachesync.testsupport;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.job.OrderCacheSyncPipeline;
import dev.ordercachesync.model.CacheMutation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** Starts the real job against a {@link LocalStack} on the test's MiniCluster and checks the cache. */
public final class JobUnderTest {
    private JobUnderTest() {}

    public static JobParameters parameters(LocalStack stack, int parallelism) {
        Map<String, String> values = stack.jobParameters();
        values.put(JobParameters.PARALLELISM, Integer.toString(parallelism));
        return JobParameters.from(values);
    }

    /**
     * Submits the job. {@code sinkWrapper} lets a test wrap the Momento sink (e.g. to inject failures);
     * {@code restarts} is the number of restarts allowed (0: the first failure fails the job).
     */
    public static JobClient start(JobParameters params, Duration checkpointInterval, int restarts,
                                  UnaryOperator<Sink<CacheMutation>> sinkWrapper) throws Exception {
        return start(params, checkpointInterval, restarts, sinkWrapper, new Configuration());
    }

    /** The same on top of a configuration of the test's own (e.g. the RocksDB state backend). */
    public static JobClient start(JobParameters params, Duration checkpointInterval, int restarts,
                                  UnaryOperator<Sink<CacheMutation>> sinkWrapper, Configuration base) throws Exception {
        Configuration conf = new Configuration(base);
        if (restarts > 0) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restarts);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.enableCheckpointing(checkpointInterval.toMillis());
        OrderCacheSyncPipeline.configure(env, params);
        OrderCacheSyncPipeline.build(env, params, sinkWrapper.apply(OrderCacheSyncPipeline.momentoSink(params)));
        return env.executeAsync("order-cache-sync-test");
    }

    /**
     * Waits until the job's first table scan has reached and reconciled every key group. Tests that look at each
     * order's write history start their traffic after it: during a scan, a scanned order may step back while the
     * stream replays its older records (README, "Bootstrap and gaps").
     */
    public static void awaitBootstrapComplete(Configuration clientConfiguration, JobClient job, JobParameters params)
            throws Exception {
        JobMetrics metrics = new JobMetrics(clientConfiguration, job.getJobID());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (metrics.operatorMetricSum("scanKeyGroupsReconciled") < params.maxParallelism) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the table scan did not complete in 60 s");
            }
            Thread.sleep(200);
        }
    }

    /** What the contract computes from a scan of the table right now. */
    public static Supplier<Map<String, String>> expectedFromTable(LocalStack stack, JobParameters params) {
        return () -> params.cacheContract().expectedCache(
                TableOrders.fromScan(stack.dynamoDb.scanAll(LocalStack.TABLE)), params.listMaxEntries);
    }

    /** Waits for the cache to equal the table's contract and stay so; returns the cache's final contents. */
    public static Map<String, String> awaitConvergence(LocalStack stack, JobParameters params, Duration timeout)
            throws InterruptedException {
        return CacheConvergence.awaitEqual(expectedFromTable(stack, params), stack::cacheContents, timeout, Duration.ofSeconds(2));
    }
}
