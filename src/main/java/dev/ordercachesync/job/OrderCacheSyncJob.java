package dev.ordercachesync.job;

import dev.ordercachesync.config.InvalidParametersException;
import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.config.ParameterSources;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point for clusters and the IDE: {@code [--config-file PATH] [--parameter value ...]}; on Managed
 * Flink the parameters come from the property group {@value ParameterSources#PROPERTY_GROUP}.
 */
public final class OrderCacheSyncJob {
    private static final Logger LOG = LoggerFactory.getLogger(OrderCacheSyncJob.class);
    public static final String JOB_NAME = "order-cache-sync";

    private OrderCacheSyncJob() {}

    public static void main(String[] args) throws Exception {
        JobParameters params;
        try {
            params = ParameterSources.load(args);
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
