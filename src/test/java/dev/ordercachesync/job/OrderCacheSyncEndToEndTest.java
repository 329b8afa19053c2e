package dev.ordercachesync.job;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.testsupport.JobUnderTest;
import dev.ordercachesync.testsupport.LocalStack;
import dev.ordercachesync.testsupport.MiniClusters;
import dev.ordercachesync.testsupport.OrderWorkload;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job on a Flink MiniCluster at parallelism 2: moto's DynamoDB stream in, the real Momento
 * SDK out to the loopback server. The cache must equal what the contract computes from a scan of the
 * table's final contents, with no other key.
 */
class OrderCacheSyncEndToEndTest {
    private static final int PARALLELISM = MiniClusters.PARALLELISM;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(MiniClusters.withParallelism(PARALLELISM));

    @Test
    void cacheEqualsTheContractComputedFromTheTable() throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            JobParameters params = JobUnderTest.parameters(stack, PARALLELISM);
            JobClient job = JobUnderTest.start(params, Duration.ofMillis(500), 0, UnaryOperator.identity());
            try {
                OrderWorkload workload = OrderWorkload.standard();
                OrderWorkload.Summary summary = workload.run(stack.dynamoDb.client(), LocalStack.TABLE);
                assertThat(workload.orderCount()).isGreaterThanOrEqualTo(200);
                assertThat(workload.creatorCount()).isGreaterThanOrEqualTo(10);
                assertThat(summary.deletes()).isPositive();

                Map<String, String> cache = JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(120));

                Map<String, String> want = JobUnderTest.expectedFromTable(stack, params).get();
                assertThat(want).as("details of live orders, lists of creators, all-orders")
                        .hasSizeGreaterThan(2 * (workload.orderCount() - summary.ordersDeleted()));
                assertThat(cache).containsExactlyInAnyOrderEntriesOf(want);
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            } finally {
                job.cancel().get();
            }
        }
    }
}
