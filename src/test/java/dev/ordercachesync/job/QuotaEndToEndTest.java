package dev.ordercachesync.job;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.localmomento.QuotaStats;
import dev.ordercachesync.testsupport.JobMetrics;
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
 * The whole job against a Momento whose quota is far below what the workload asks for: the job slows down to it,
 * never fails, wastes few calls on refusals, and the cache still ends equal to the contract.
 */
class QuotaEndToEndTest {
    private static final int PARALLELISM = MiniClusters.PARALLELISM;
    /** Metered operations per second; the standard workload asks several times as many while it runs. */
    private static final int QUOTA = 25;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(MiniClusters.withParallelism(PARALLELISM));

    @Test
    void withoutABudgetTheSinkFindsTheQuotaFromItsRefusals() throws Exception {
        convergesUnderTheQuota(JobParameters.ADAPTIVE);
    }

    @Test
    void withABudgetEqualToTheQuotaAlmostNothingIsRefused() throws Exception {
        convergesUnderTheQuota(Integer.toString(QUOTA));
    }

    private void convergesUnderTheQuota(String budget) throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            Map<String, String> values = stack.jobParameters();
            values.put(JobParameters.PARALLELISM, Integer.toString(PARALLELISM));
            values.put(JobParameters.SINK_OPS_PER_SECOND, budget);
            JobParameters params = JobParameters.from(values);
            stack.momento.faults().quota(QUOTA);
            // No restart allowed: a single failure fails the test.
            JobClient job = JobUnderTest.start(params, Duration.ofSeconds(1), 0, UnaryOperator.identity());
            try {
                long started = System.nanoTime();
                OrderWorkload.standard().run(stack.dynamoDb.client(), LocalStack.TABLE);
                long trafficStopped = System.nanoTime();
                Map<String, String> cache = JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(240));
                System.out.printf("budget %s, quota %d ops/s: traffic %.1f s, converged %.1f s after it stopped; %s%n", budget, QUOTA,
                        (trafficStopped - started) / 1e9, (System.nanoTime() - trafficStopped) / 1e9, stack.momento.quotaStats());

                assertThat(cache).containsExactlyInAnyOrderEntriesOf(JobUnderTest.expectedFromTable(stack, params).get());
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
                JobMetrics metrics = new JobMetrics(MINI_CLUSTER.getClientConfiguration(), job.getJobID());
                assertThat(metrics.jobMetric("numRestarts")).as("throttling never failed the job").isZero();
                assertThat(metrics.operatorMetricSum("cacheWriteFailures")).isZero();
                QuotaStats quota = stack.momento.quotaStats();
                assertThat(quota.refusedPerAdmitted()).as("refused calls per served call: " + quota).isLessThanOrEqualTo(0.10);
                assertThat(metrics.operatorMetricSum("cacheWritesCoalesced"))
                        .as("the backlog collapsed to the latest value per key").isPositive();
                if (budget.equals(JobParameters.ADAPTIVE)) {
                    assertThat(metrics.operatorMetricSum("cacheWritesThrottled")).as("the quota really bit").isPositive();
                }
            } finally {
                job.cancel().get();
            }
        }
    }
}
