package dev.ordercachesync.job;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.testsupport.CacheConvergence;
import dev.ordercachesync.testsupport.LocalStack;
import dev.ordercachesync.testsupport.OrderWorkload;
import dev.ordercachesync.testsupport.TableOrders;
import dev.ordercachesync.views.CacheContract;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job on a Flink MiniCluster at parallelism 2: DynamoDB Local's stream in, the real Momento
 * SDK out to the loopback server. The cache must equal what the contract computes from a scan of the
 * table's final contents, with no other key.
 */
class OrderCacheSyncEndToEndTest {
    private static final int PARALLELISM = 2;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(PARALLELISM)
                    .build());

    @Test
    void cacheEqualsTheContractComputedFromTheTable() throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            Map<String, String> values = stack.jobParameters();
            values.put(JobParameters.PARALLELISM, Integer.toString(PARALLELISM));
            JobParameters params = JobParameters.from(values);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.enableCheckpointing(500);
            OrderCacheSyncPipeline.configure(env, params);
            OrderCacheSyncPipeline.build(env, params);
            JobClient job = env.executeAsync("order-cache-sync-e2e");
            try {
                OrderWorkload workload = OrderWorkload.standard();
                OrderWorkload.Summary summary = workload.run(stack.dynamoDb.client(), LocalStack.TABLE);
                assertThat(workload.orderCount()).isGreaterThanOrEqualTo(200);
                assertThat(workload.creatorCount()).isGreaterThanOrEqualTo(10);
                assertThat(summary.deletes()).isPositive();

                CacheContract contract = params.cacheContract();
                Supplier<Map<String, String>> expected = () -> contract.expectedCache(
                        TableOrders.fromScan(stack.dynamoDb.scanAll(LocalStack.TABLE)), params.listMaxEntries);
                Map<String, String> cache = CacheConvergence.awaitEqual(
                        expected, stack::cacheContents, Duration.ofSeconds(120), Duration.ofSeconds(2));

                Map<String, String> want = expected.get();
                assertThat(want).as("details of live orders, lists of creators, all-orders")
                        .hasSizeGreaterThan(2 * (workload.orderCount() - summary.ordersDeleted()));
                assertThat(cache).containsExactlyInAnyOrderEntriesOf(want);
                assertThat(job.getJobStatus().get()).isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
            } finally {
                job.cancel().get();
            }
        }
    }
}
