package dev.ordercachesync.job;

import dev.ordercachesync.config.JobParameters;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineConfigurationTest {
    private static JobParameters params(String checkpointInterval) {
        Map<String, String> m = new HashMap<>();
        m.put(JobParameters.STREAM_ARN, "arn:aws:dynamodb:eu-west-1:123456789012:table/OrderTable/stream/2026-11-23T00:00:00.000");
        m.put(JobParameters.CHECKPOINT_INTERVAL, checkpointInterval);
        return JobParameters.from(m);
    }

    @Test
    void checkpointingIsSwitchedOnWhenTheClusterLeftItOff() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OrderCacheSyncPipeline.configure(env, params("7s"));
        assertThat(env.getCheckpointConfig().isCheckpointingEnabled()).isTrue();
        assertThat(env.getCheckpointConfig().getCheckpointInterval()).isEqualTo(7_000L);
        assertThat(env.getMaxParallelism()).isEqualTo(128);
    }

    @Test
    void aClustersOwnCheckpointIntervalWins() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(60_000);
        OrderCacheSyncPipeline.configure(env, params("7s"));
        assertThat(env.getCheckpointConfig().getCheckpointInterval()).isEqualTo(60_000L);
    }
}
