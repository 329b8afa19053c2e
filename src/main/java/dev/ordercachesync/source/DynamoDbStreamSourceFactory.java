package dev.ordercachesync.source;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.model.RawStreamRecord;
import dev.ordercachesync.source.scan.TableScanSource;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.streaming.connectors.kinesis.config.AWSConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;
import java.util.UUID;

/**
 * The one place that builds the DynamoDB Streams source. Today that is the Kinesis connector's
 * {@code FlinkDynamoDBStreamsConsumer}, checking the positions it reads from ({@link GapCheckingStreamsConsumer});
 * where flink-connector-dynamodb 5.x is available its DynamoDbStreamsSource can replace it here without touching
 * the rest of the job.
 */
public final class DynamoDbStreamSourceFactory {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbStreamSourceFactory.class);

    private DynamoDbStreamSourceFactory() {}

    /**
     * The table's current stream, found with DescribeTable, so a replaced stream needs no new configuration. A
     * {@code stream-arn} that is not the current stream is logged with the difference; the current one is read.
     */
    public static String currentStreamArn(JobParameters p) {
        String current = TableStreams.currentStreamArn(p);
        if (p.streamArn != null && !p.streamArn.equals(current)) {
            LOG.warn("{} {} is not the current stream of table '{}', which is {}; reading the current one "
                            + "(the given stream was replaced, or names another table)",
                    JobParameters.STREAM_ARN, p.streamArn, p.tableName, current);
        }
        return current;
    }

    /**
     * The stream source, reading the table's stream as it is when the source starts ({@code streamArn} is the one
     * when the job was built; a restart after the stream was replaced reads the new one). It reports a position the
     * stream no longer holds on {@code gapChannel}, where the table scan of the same job (built with the same
     * channel) picks it up.
     */
    public static SourceFunction<RawStreamRecord> create(JobParameters p, String streamArn, String gapChannel) {
        return new GapCheckingStreamsConsumer(streamArn, new DynamoDbStreamRecordSchema(), consumerProperties(p), p,
                gapChannel);
    }

    /** The table scan that bootstraps and reconciles the job. */
    public static TableScanSource tableScan(JobParameters p, String gapChannel) {
        return new TableScanSource(p, gapChannel);
    }

    /** A channel name for one job's two sources; the relay lives in each JVM, so it need only be unique per job. */
    public static String newGapChannel() {
        return "stream-gaps-" + UUID.randomUUID();
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
