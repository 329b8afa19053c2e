package dev.ordercachesync.job;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.testsupport.JobUnderTest;
import dev.ordercachesync.testsupport.LocalStack;
import dev.ordercachesync.testsupport.MiniClusters;
import dev.ordercachesync.testsupport.OrderWorkload;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job on a MiniCluster with moto and the loopback Momento server, which expires values at their TTL:
 * views outlive their TTL while nothing changes, and a drained stop writes every list still pending.
 */
class ViewLifetimeEndToEndTest {
    private static final int PARALLELISM = MiniClusters.PARALLELISM;
    /** The shortest cache-ttl the job accepts. */
    private static final Duration TTL = Duration.ofSeconds(10);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(MiniClusters.withParallelism(PARALLELISM));

    private static JobParameters parameters(LocalStack stack, String ttl, String listFlushInterval) {
        Map<String, String> values = stack.jobParameters();
        values.put(JobParameters.PARALLELISM, Integer.toString(PARALLELISM));
        values.put(JobParameters.CACHE_TTL, ttl);
        values.put(JobParameters.LIST_FLUSH_INTERVAL, listFlushInterval);
        return JobParameters.from(values);
    }

    @Test
    void everyKeyStillMatchesTheContractSeveralTtlsAfterTheLastChange() throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            JobParameters params = parameters(stack, "10s", "100ms");
            // RocksDB, as on Managed Flink: lists render from the ranked index in its sorted order.
            Configuration rocksDb = new Configuration();
            rocksDb.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
            JobClient job = JobUnderTest.start(params, Duration.ofMillis(500), 0, UnaryOperator.identity(), rocksDb);
            try {
                OrderWorkload workload = OrderWorkload.standard();
                workload.run(stack.dynamoDb.client(), LocalStack.TABLE);
                JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(120));
                long lastChange = System.currentTimeMillis();
                Map<String, String> want = JobUnderTest.expectedFromTable(stack, params).get();
                assertThat(want).hasSizeGreaterThan(2 * 100);

                // Without refreshes every key would be gone one TTL after its last write.
                for (int ttls = 1; ttls <= 4; ttls++) {
                    long at = lastChange + ttls * TTL.toMillis() + TTL.toMillis() / 3;
                    Thread.sleep(Math.max(0, at - System.currentTimeMillis()));
                    assertThat(stack.cacheContents()).as(ttls + " TTLs after the last change")
                            .containsExactlyInAnyOrderEntriesOf(want);
                }
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void aDrainedStopWritesEveryPendingListBeforeTheJobFinishes(@TempDir Path savepoints) throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            // Lists would wait ten minutes to flush; only the drain can write them within this test.
            JobParameters params = parameters(stack, "1h", "10min");
            JobClient job = JobUnderTest.start(params, Duration.ofMillis(500), 0, UnaryOperator.identity());
            OrderWorkload workload = OrderWorkload.standard();
            workload.run(stack.dynamoDb.client(), LocalStack.TABLE);
            Map<String, String> want = JobUnderTest.expectedFromTable(stack, params).get();
            // Details are written at once: wait for every detail key, so the stream has been read to its end.
            long deadline = System.currentTimeMillis() + 120_000;
            while (!stack.cacheContents().keySet().containsAll(detailKeys(want, params))) {
                assertThat(System.currentTimeMillis()).as("details written").isLessThan(deadline);
                Thread.sleep(500);
            }
            assertThat(stack.cacheContents()).as("no list flushed yet").doesNotContainKey(params.allOrdersKey);

            job.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get(120, TimeUnit.SECONDS);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);
            assertThat(stack.cacheContents()).containsExactlyInAnyOrderEntriesOf(want);
        }
    }

    private static java.util.Set<String> detailKeys(Map<String, String> want, JobParameters params) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (String key : want.keySet()) {
            if (key.startsWith(params.adminKeyPrefix)) {
                keys.add(key);
                keys.add(key.substring(params.adminKeyPrefix.length()));
            }
        }
        return keys;
    }
}
