package dev.ordercachesync.testsupport;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.job.OrderCacheSyncJob;
import dev.ordercachesync.job.OrderCacheSyncPipeline;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Starts the whole job, optionally from a savepoint, and stops it with one: what an upgrade does. */
public final class SavepointJobs {
    private SavepointJobs() {}

    /**
     * @param environments makes the environment from the job's configuration: the MiniClusterExtension's
     *                     {@code StreamExecutionEnvironment::getExecutionEnvironment} in tests
     * @param restoreFrom  savepoint to start from, or null for a fresh start
     */
    public static JobClient start(Function<Configuration, StreamExecutionEnvironment> environments,
                                  JobParameters params, String restoreFrom) throws Exception {
        return start(environments, params, restoreFrom, null);
    }

    /** As above; with {@code streamArn} set, the job reads it without asking the table for its current stream. */
    public static JobClient start(Function<Configuration, StreamExecutionEnvironment> environments,
                                  JobParameters params, String restoreFrom, String streamArn) throws Exception {
        Configuration conf = new Configuration();
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
            // What Managed Flink does unless told otherwise: state the job cannot map fails the restore.
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, false);
        }
        StreamExecutionEnvironment env = environments.apply(conf);
        env.enableCheckpointing(500);
        OrderCacheSyncPipeline.configure(env, params);
        if (streamArn == null) {
            OrderCacheSyncPipeline.build(env, params);
        } else {
            OrderCacheSyncPipeline.build(env, params, OrderCacheSyncPipeline.momentoSink(params), streamArn);
        }
        return env.executeAsync(OrderCacheSyncJob.JOB_NAME);
    }

    /** Stop-with-savepoint without draining (timers stay pending, as in an upgrade); returns its path. */
    public static String stopWithSavepoint(JobClient job, Path directory) throws Exception {
        return job.stopWithSavepoint(false, directory.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
    }
}
