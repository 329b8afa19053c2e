package dev.ordercachesync.job;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.testsupport.JobMetrics;
import dev.ordercachesync.testsupport.JobUnderTest;
import dev.ordercachesync.testsupport.LocalStack;
import dev.ordercachesync.testsupport.MiniClusters;
import dev.ordercachesync.testsupport.OrderStream;
import dev.ordercachesync.testsupport.OrderWorkload;
import dev.ordercachesync.testsupport.SavepointJobs;
import dev.ordercachesync.testsupport.TrimmingStreamsProxy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A job restored from a savepoint whose stream positions DynamoDB Streams has since trimmed (stopped longer than
 * the stream's retention, on a stream that is still the table's current one): the changes made while it was away
 * are lost to the stream, and only a scan of the table can bring them.
 */
class StreamGapEndToEndTest {
    private static final int PARALLELISM = MiniClusters.PARALLELISM;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(MiniClusters.withParallelism(PARALLELISM));

    private static final Function<Configuration, StreamExecutionEnvironment> NO_RESTARTS = conf -> {
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    };

    private static JobParameters throughProxy(LocalStack stack, TrimmingStreamsProxy proxy, String gapRecovery) {
        return parameters(stack, Map.of(JobParameters.AWS_ENDPOINT, proxy.endpoint().toString(),
                JobParameters.GAP_RECOVERY, gapRecovery));
    }

    private static JobParameters parameters(LocalStack stack, Map<String, String> overrides) {
        Map<String, String> values = stack.jobParameters();
        values.put(JobParameters.PARALLELISM, Integer.toString(PARALLELISM));
        values.putAll(overrides);
        return JobParameters.from(values);
    }

    /** Runs the first half, stops with a savepoint, runs the second half, then trims every record so far. */
    private static String savepointThenTrimmedAbsence(LocalStack stack, TrimmingStreamsProxy proxy, JobParameters params,
                                                      OrderWorkload workload, Path savepoints) throws Exception {
        workload.runFirstHalf(stack.dynamoDb.client(), LocalStack.TABLE);
        JobClient first = SavepointJobs.start(NO_RESTARTS, params, null);
        JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(120));
        String savepoint = SavepointJobs.stopWithSavepoint(first, savepoints);
        // A scanned row yields to a stream change applied less than 10 s (the clock margin) before its run began;
        // a trimmed stream means the job was away for a day, so the away time here is just past that margin.
        Thread.sleep(11_000);
        // Orders created, changed and deleted while the job is away; then the stream forgets all of it.
        workload.runSecondHalf(stack.dynamoDb.client(), LocalStack.TABLE);
        proxy.trimBefore(OrderStream.read(stack.dynamoDb.streamsClient(), stack.streamArn).nextSequenceNumber());
        return savepoint;
    }

    @Test
    void aTrimmedPositionIsCoveredByAScanAndTheCacheEqualsTheTable(@TempDir Path savepoints) throws Exception {
        try (LocalStack stack = LocalStack.start();
             TrimmingStreamsProxy proxy = TrimmingStreamsProxy.start(stack.dynamoDb.endpoint())) {
            JobParameters params = throughProxy(stack, proxy, "rebootstrap");
            OrderWorkload workload = new OrderWorkload(200, 12, 31L);
            String savepoint = savepointThenTrimmedAbsence(stack, proxy, params, workload, savepoints);

            JobClient restored = SavepointJobs.start(NO_RESTARTS, params, savepoint);
            try {
                Map<String, String> cache = JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(180));

                assertThat(cache).containsExactlyInAnyOrderEntriesOf(JobUnderTest.expectedFromTable(stack, params).get());
                assertThat(proxy.trimmedRefusals.get()).as("restored positions found trimmed").isPositive();
                JobMetrics metrics = new JobMetrics(MINI_CLUSTER.getClientConfiguration(), restored.getJobID());
                assertThat(metrics.operatorMetricSum("tableBootstrap.itemsScanned")).as("rows scanned after the restore")
                        .isEqualTo(stack.dynamoDb.scanAll(LocalStack.TABLE).size());
            } finally {
                restored.cancel().get();
            }
        }
    }

    @Test
    void aRunningJobThatFellBehindPastTheTrimHorizonIsCoveredByAScan() throws Exception {
        try (LocalStack stack = LocalStack.start();
             TrimmingStreamsProxy proxy = TrimmingStreamsProxy.start(stack.dynamoDb.endpoint())) {
            JobParameters params = throughProxy(stack, proxy, "rebootstrap");
            OrderWorkload workload = new OrderWorkload(200, 12, 34L);
            workload.runFirstHalf(stack.dynamoDb.client(), LocalStack.TABLE);
            JobClient job = JobUnderTest.start(params, Duration.ofMillis(300), 0, UnaryOperator.identity());
            try {
                JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(120));
                Thread.sleep(11_000);
                // The job stops seeing new records, as one a day behind does; the stream then trims what it missed
                // and its iterator expires, so it asks for a new one after its position.
                proxy.freeze();
                workload.runSecondHalf(stack.dynamoDb.client(), LocalStack.TABLE);
                proxy.trimBefore(OrderStream.read(stack.dynamoDb.streamsClient(), stack.streamArn).nextSequenceNumber());
                proxy.expireIterators();
                proxy.thaw();

                Map<String, String> cache = JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(180));

                assertThat(cache).containsExactlyInAnyOrderEntriesOf(JobUnderTest.expectedFromTable(stack, params).get());
                assertThat(proxy.trimmedRefusals.get()).as("the renewed position found trimmed").isPositive();
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void aTableReplacedWhileTheJobRunsIsFollowedAfterARestartAndTheCacheEqualsTheTable() throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            JobParameters params = parameters(stack, Map.of(JobParameters.STREAM_CHECK_INTERVAL, "1s"));
            OrderWorkload workload = new OrderWorkload(200, 12, 33L);
            workload.runFirstHalf(stack.dynamoDb.client(), LocalStack.TABLE);
            // Restarts 200 ms apart: while the table is gone or has no stream yet, each restart fails at once.
            JobClient job = JobUnderTest.start(params, Duration.ofMillis(300), 300, UnaryOperator.identity());
            try {
                JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(120));
                // Past the clock margin, so the scan's rows count as newer than what the old stream applied.
                Thread.sleep(11_000);
                // The table comes back from a backup of the first half: a new table whose items are in no stream,
                // then a new stream (moto cannot enable a disabled stream again, which on AWS gives a new one too).
                stack.dynamoDb.deleteTable(LocalStack.TABLE);
                stack.dynamoDb.createOrderTable(LocalStack.TABLE, false);
                workload.runFirstHalf(stack.dynamoDb.client(), LocalStack.TABLE);
                String replaced = stack.dynamoDb.enableStream(LocalStack.TABLE);
                assertThat(replaced).isNotEqualTo(stack.streamArn);
                workload.runSecondHalf(stack.dynamoDb.client(), LocalStack.TABLE);

                Map<String, String> cache = JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(180));

                assertThat(cache).containsExactlyInAnyOrderEntriesOf(JobUnderTest.expectedFromTable(stack, params).get());
                JobMetrics metrics = new JobMetrics(MINI_CLUSTER.getClientConfiguration(), job.getJobID());
                assertThat(metrics.jobMetricReaching("numRestarts", 1)).as("restarted to read the new stream").isPositive();
                assertThat(metrics.operatorMetricSum("tableBootstrap.itemsScanned")).as("the gap's run after the restart")
                        .isPositive();
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void withGapRecoveryFailTheJobFailsSayingWhatToDo(@TempDir Path savepoints) throws Exception {
        try (LocalStack stack = LocalStack.start();
             TrimmingStreamsProxy proxy = TrimmingStreamsProxy.start(stack.dynamoDb.endpoint())) {
            JobParameters params = throughProxy(stack, proxy, "fail");
            String savepoint = savepointThenTrimmedAbsence(stack, proxy, params, new OrderWorkload(60, 6, 32L), savepoints);

            JobClient restored = SavepointJobs.start(NO_RESTARTS, params, savepoint);

            assertThatThrownBy(() -> restored.getJobExecutionResult().get(120, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e))
                            .contains("Stream gap: shard ", "trimmed", JobParameters.GAP_RECOVERY + "=rebootstrap"));
        }
    }
}
