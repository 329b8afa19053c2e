package dev.ordercachesync.job;

import dev.ordercachesync.config.JobParameters;
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
 * A table that already holds orders the stream never saw (written before the stream was enabled): the job scans
 * it while it follows the stream, with traffic running during the scan, and the cache ends equal to the contract.
 */
class TableBootstrapEndToEndTest {
    private static final int PARALLELISM = MiniClusters.PARALLELISM;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(MiniClusters.withParallelism(PARALLELISM));

    /** Slow enough that the second half of the workload lands while the scan runs. */
    private static JobParameters slowScan(LocalStack stack) {
        Map<String, String> values = stack.jobParameters();
        values.put(JobParameters.PARALLELISM, Integer.toString(PARALLELISM));
        values.put(JobParameters.BOOTSTRAP_SEGMENTS, "4");
        values.put(JobParameters.BOOTSTRAP_PAGE_SIZE, "5");
        values.put(JobParameters.BOOTSTRAP_READ_CAPACITY, "6");
        return JobParameters.from(values);
    }

    @Test
    void ordersWrittenBeforeTheStreamWasEnabledReachTheCache() throws Exception {
        try (LocalStack stack = LocalStack.start(false)) {
            OrderWorkload workload = new OrderWorkload(300, 15, 15L);
            workload.runFirstHalf(stack.dynamoDb.client(), LocalStack.TABLE);
            stack.dynamoDb.enableStream(LocalStack.TABLE);
            JobParameters params = slowScan(stack);
            JobClient job = JobUnderTest.start(params, Duration.ofMillis(500), 0, UnaryOperator.identity());
            try {
                workload.runSecondHalf(stack.dynamoDb.client(), LocalStack.TABLE);

                Map<String, String> cache = JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(180));

                assertThat(cache).containsExactlyInAnyOrderEntriesOf(JobUnderTest.expectedFromTable(stack, params).get());
                JobMetrics metrics = new JobMetrics(MINI_CLUSTER.getClientConfiguration(), job.getJobID());
                assertThat(metrics.operatorMetricSum("scanRowsApplied")).as("orders only the scan knew").isPositive();
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void aTaskFailureMidScanResumesTheScanAndTheCacheConverges() throws Exception {
        // Each scanned order costs two detail writes: the failure lands well inside the scan.
        FailoverEndToEndTest.FailingSink.arm(200);
        try (LocalStack stack = LocalStack.start(false)) {
            OrderWorkload workload = new OrderWorkload(300, 15, 16L);
            workload.run(stack.dynamoDb.client(), LocalStack.TABLE);
            stack.dynamoDb.enableStream(LocalStack.TABLE);
            int items = stack.dynamoDb.scanAll(LocalStack.TABLE).size();
            JobParameters params = slowScan(stack);
            JobClient job = JobUnderTest.start(params, Duration.ofMillis(300), 3, FailoverEndToEndTest.FailingSink::new);
            try {
                Map<String, String> cache = JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(180));

                assertThat(FailoverEndToEndTest.FailingSink.FAILURES.get()).as("injected failures").isEqualTo(1);
                assertThat(cache).containsExactlyInAnyOrderEntriesOf(JobUnderTest.expectedFromTable(stack, params).get());
                JobMetrics metrics = new JobMetrics(MINI_CLUSTER.getClientConfiguration(), job.getJobID());
                assertThat(metrics.jobMetricReaching("numRestarts", 1)).isEqualTo(1);
                // Reader counters start at zero in each attempt: the attempt after the failure read only the rest.
                assertThat(metrics.operatorMetricSum("tableBootstrap.itemsScanned"))
                        .as("items scanned after the restart, of %d", items).isPositive().isLessThan(items);
            } finally {
                job.cancel().get();
            }
        }
    }
}
