package dev.ordercachesync.source;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.model.RawStreamRecord;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.streaming.connectors.kinesis.FlinkDynamoDBStreamsConsumer;
import org.apache.flink.streaming.connectors.kinesis.config.AWSConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;

import java.util.Collections;
import java.util.Properties;

/**
 * The one place that builds the DynamoDB Streams source. Today that is the Kinesis connector's
 * {@link FlinkDynamoDBStreamsConsumer}; where flink-connector-dynamodb 5.x is available its
 * DynamoDbStreamsSource can replace it here without touching the rest of the job.
 */
public final class DynamoDbStreamSourceFactory {
    private DynamoDbStreamSourceFactory() {}

    public static SourceFunction<RawStreamRecord> create(JobParameters p) {
        return new FlinkDynamoDBStreamsConsumer<>(
                Collections.singletonList(p.streamArn), new DynamoDbStreamRecordSchema(), consumerProperties(p));
    }

    static Properties consumerProperties(JobParameters p) {
        Properties props = new Properties();
        props.setProperty(AWSConfigConstants.AWS_REGION, p.awsRegion);
        if (p.awsEndpoint != null) {
            props.setProperty(AWSConfigConstants.AWS_ENDPOINT, p.awsEndpoint);
        }
        if (p.awsLocalDummyCredentials) {
            props.setProperty(AWSConfigConstants.AWS_CREDENTIALS_PROVIDER, "BASIC");
            props.setProperty(AWSConfigConstants.AWS_ACCESS_KEY_ID, JobParameters.LOCAL_DUMMY_ACCESS_KEY);
            props.setProperty(AWSConfigConstants.AWS_SECRET_ACCESS_KEY, JobParameters.LOCAL_DUMMY_SECRET_KEY);
        } else {
            props.setProperty(AWSConfigConstants.AWS_CREDENTIALS_PROVIDER, "AUTO");
        }
        props.setProperty(ConsumerConfigConstants.STREAM_INITIAL_POSITION, p.streamInitialPosition);
        props.setProperty(ConsumerConfigConstants.SHARD_DISCOVERY_INTERVAL_MILLIS,
                Long.toString(p.shardDiscoveryInterval.toMillis()));
        return props;
    }
}
