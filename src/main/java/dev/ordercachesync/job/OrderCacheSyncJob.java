package dev.ordercachesync.job;

import dev.ordercachesync.config.InvalidParametersException;
import dev.ordercachesync.config.JobParameters;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point for clusters and the IDE: {@code --stream-arn ... [--parameter value ...]}. */
public final class OrderCacheSyncJob {
    private static final Logger LOG = LoggerFactory.getLogger(OrderCacheSyncJob.class);
    public static final String JOB_NAME = "order-cache-sync";

    private OrderCacheSyncJob() {}

    public static void main(String[] args) throws Exception {
        JobParameters params;
        try {
            params = JobParameters.from(ParameterTool.fromArgs(args).toMap());
        } catch (InvalidParametersException e) {
            LOG.error(e.getMessage());
            throw e;
        }
        LOG.info("Starting {} with {}", JOB_NAME, params);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OrderCacheSyncPipeline.configure(env, params);
        OrderCacheSyncPipeline.build(env, params);
        env.execute(JOB_NAME);
    }
}
