package dev.ordercachesync.job;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.localmomento.RpcNames;
import dev.ordercachesync.testsupport.JobMetrics;
import dev.ordercachesync.testsupport.JobUnderTest;
import dev.ordercachesync.testsupport.LocalStack;
import dev.ordercachesync.testsupport.MiniClusters;
import dev.ordercachesync.testsupport.OrderWorkload;
import io.grpc.Status;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole job while the Momento server misbehaves: the cache must still converge to the exact
 * contract with nothing lost, and only a permanent error may fail the job.
 */
class SinkFaultsEndToEndTest {
    private static final int PARALLELISM = MiniClusters.PARALLELISM;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(MiniClusters.withParallelism(PARALLELISM));

    @Test
    void convergesThroughRandomErrorsThrottlingAndLatencySpikes() throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            JobParameters params = JobUnderTest.parameters(stack, PARALLELISM);
            stack.momento.faults()
                    .failWithProbability(RpcNames.ALL, Status.Code.UNAVAILABLE, 0.2)
                    .throttle(RpcNames.SET, 150)
                    .latency(RpcNames.ALL, 0, 50);
            JobClient job = JobUnderTest.start(params, Duration.ofMillis(500), 0, UnaryOperator.identity());
            try {
                OrderWorkload.standard().run(stack.dynamoDb.client(), LocalStack.TABLE);
                Map<String, String> cache = JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(180));

                assertThat(cache).containsExactlyInAnyOrderEntriesOf(JobUnderTest.expectedFromTable(stack, params).get());
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
                JobMetrics metrics = new JobMetrics(MINI_CLUSTER.getClientConfiguration(), job.getJobID());
                assertThat(metrics.jobMetric("numRestarts")).as("faults never failed the job").isZero();
                // The SDK retries UNAVAILABLE itself and the sink paces below the throttle, so the sink's own retry
                // count may stay 0; the server's count of calls against writes applied shows the refusals.
                Map<String, Long> calls = stack.momento.operationCounts();
                long writeCalls = calls.getOrDefault(RpcNames.SET, 0L) + calls.getOrDefault(RpcNames.DELETE, 0L);
                assertThat(writeCalls).as("the faults really hit the writes: refused calls were made again")
                        .isGreaterThan(stack.momento.writeCount());
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void backsOffThroughAFullOutageAndCatchesUpAfterwards() throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            JobParameters params = JobUnderTest.parameters(stack, PARALLELISM);
            JobClient job = JobUnderTest.start(params, Duration.ofMillis(500), 0, UnaryOperator.identity());
            try {
                OrderWorkload workload = OrderWorkload.standard();
                workload.runFirstHalf(stack.dynamoDb.client(), LocalStack.TABLE);
                JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(120));

                // Six seconds, well inside the default retry budget (10 attempts, at least 11 s of backoff), however
                // long the emulator takes for the writes that go on during and after it.
                stack.momento.faults().outage(true);
                CompletableFuture<OrderWorkload.Summary> writes = CompletableFuture.supplyAsync(
                        () -> workload.runSecondHalf(stack.dynamoDb.client(), LocalStack.TABLE));
                TimeUnit.SECONDS.sleep(6);
                assertThat(job.getJobStatus().get()).as("still running during the outage").isEqualTo(JobStatus.RUNNING);
                stack.momento.faults().outage(false);
                writes.get(120, TimeUnit.SECONDS);

                Map<String, String> cache = JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(120));
                assertThat(cache).containsExactlyInAnyOrderEntriesOf(JobUnderTest.expectedFromTable(stack, params).get());
                JobMetrics metrics = new JobMetrics(MINI_CLUSTER.getClientConfiguration(), job.getJobID());
                assertThat(metrics.jobMetric("numRestarts")).isZero();
                assertThat(metrics.operatorMetricSum("cacheWriteRetries")).isPositive();
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void anUnknownCacheFailsTheJobWithAMessageSayingWhatToFix() throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            Map<String, String> values = stack.jobParameters();
            values.put(JobParameters.MOMENTO_CACHE_NAME, "no-such-cache");
            JobClient job = JobUnderTest.start(JobParameters.from(values), Duration.ofSeconds(1), 0, UnaryOperator.identity());

            assertThatThrownBy(() -> job.getJobExecutionResult().get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .satisfies(e -> assertThat(ExceptionUtils.findThrowableWithMessage(e, "'no-such-cache' does not exist"))
                            .hasValueSatisfying(cause -> assertThat(cause.getMessage())
                                    .contains("caches visible to this API key: pizza")
                                    .contains("momento-cache-name")));
        }
    }
}
