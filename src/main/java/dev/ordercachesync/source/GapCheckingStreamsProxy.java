package dev.ordercachesync.source;

import dev.ordercachesync.aws.DynamoDbClients;
import dev.ordercachesync.config.JobParameters;
import org.apache.flink.streaming.connectors.kinesis.model.StreamShardHandle;
import org.apache.flink.streaming.connectors.kinesis.proxy.DynamoDBStreamsProxy;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.Properties;

/**
 * The connector's DynamoDB Streams proxy, which checks a position before it asks for an iterator after it: when the
 * job starts a shard from a restored position, and when a running shard consumer renews an expired iterator. The
 * connector's streams adapter would answer a trimmed position with the trim horizon and a gone shard with "finished",
 * and the records in between would be lost without a trace; here the gap waits for the table scan to cover it first
 * ({@link StreamGapRelay}).
 */
final class GapCheckingStreamsProxy extends DynamoDBStreamsProxy {
    private static final String AFTER_SEQUENCE_NUMBER = "AFTER_SEQUENCE_NUMBER";

    private final JobParameters p;
    private final String gapChannel;

    GapCheckingStreamsProxy(Properties consumerProperties, JobParameters p, String gapChannel) {
        super(consumerProperties);
        this.p = p;
        this.gapChannel = gapChannel;
    }

    @Override
    public String getShardIterator(StreamShardHandle shard, String iteratorType, Object startingMarker)
            throws InterruptedException {
        if (AFTER_SEQUENCE_NUMBER.equals(iteratorType) && startingMarker instanceof String) {
            String gap;
            try (DynamoDbStreamsClient streams = DynamoDbClients.streamsForJob(p)) {
                gap = ShardPositionCheck.gapAfter(streams, shard.getStreamName(), shard.getShard().getShardId(),
                        (String) startingMarker);
            }
            if (gap != null) {
                StreamGapRelay.awaitCovered(gapChannel, new StreamGapRelay.Gap(gap, System.currentTimeMillis()));
            }
        }
        return super.getShardIterator(shard, iteratorType, startingMarker);
    }
}
