package dev.ordercachesync.source;

import dev.ordercachesync.aws.DynamoDbClients;
import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.model.RawStreamRecord;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.connectors.kinesis.FlinkDynamoDBStreamsConsumer;
import org.apache.flink.streaming.connectors.kinesis.internals.DynamoDBStreamsDataFetcher;
import org.apache.flink.streaming.connectors.kinesis.internals.KinesisDataFetcher;
import org.apache.flink.streaming.connectors.kinesis.internals.publisher.RecordPublisher;
import org.apache.flink.streaming.connectors.kinesis.model.SentinelSequenceNumber;
import org.apache.flink.streaming.connectors.kinesis.model.SequenceNumber;
import org.apache.flink.streaming.connectors.kinesis.model.StreamShardHandle;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The connector's DynamoDB Streams consumer, reading the table's stream as it is when the source starts (so a
 * restart follows a replaced stream), which before it reads a shard from a restored position asks DynamoDB
 * Streams whether that position still exists ({@link ShardPositionCheck}). When it does not, the records since are
 * lost to the stream: the subtask reports the gap to the table scan ({@link StreamGapRelay}) and reads on only once
 * a run that covers it is in a completed checkpoint, so the gap is found again if the job fails before that.
 */
public class GapCheckingStreamsConsumer extends FlinkDynamoDBStreamsConsumer<RawStreamRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(GapCheckingStreamsConsumer.class);
    private static final long WAIT_LOG_EVERY_SECONDS = 60;

    private final JobParameters p;
    private final String gapChannel;

    public GapCheckingStreamsConsumer(String streamArn, KinesisDeserializationSchema<RawStreamRecord> schema,
                                      Properties consumerProperties, JobParameters p, String gapChannel) {
        super(Collections.singletonList(streamArn), schema, consumerProperties);
        this.p = p;
        this.gapChannel = gapChannel;
    }

    @Override
    protected KinesisDataFetcher<RawStreamRecord> createFetcher(List<String> streams,
            SourceContext<RawStreamRecord> sourceContext, RuntimeContext runtimeContext, Properties configProps,
            KinesisDeserializationSchema<RawStreamRecord> deserializationSchema) {
        List<String> current = Collections.singletonList(currentStream(streams.get(0)));
        return new DynamoDBStreamsDataFetcher<RawStreamRecord>(current, sourceContext, runtimeContext, configProps,
                deserializationSchema, getShardAssigner()) {
            @Override
            protected RecordPublisher createRecordPublisher(SequenceNumber position, Properties props,
                    MetricGroup metricGroup, StreamShardHandle shard) throws InterruptedException {
                if (!SentinelSequenceNumber.isSentinelSequenceNumber(position)) {
                    String gap;
                    try (DynamoDbStreamsClient streams = DynamoDbClients.streamsForJob(p)) {
                        gap = ShardPositionCheck.gapAfter(streams, shard.getStreamName(), shard.getShard().getShardId(),
                                position.getSequenceNumber());
                    }
                    if (gap != null) {
                        awaitCovered(new StreamGapRelay.Gap(gap, System.currentTimeMillis()));
                    }
                }
                return super.createRecordPublisher(position, props, metricGroup, shard);
            }
        };
    }

    /**
     * The table's stream now, which a restart after the stream was replaced reads (the positions restored for the old
     * one are dropped by the connector; the table scan covers the gap).
     */
    private String currentStream(String builtFor) {
        String current;
        try (DynamoDbClient client = DynamoDbClients.forJob(p)) {
            current = TableStreams.currentStreamArn(TableStreams.describe(client, p.tableName));
        }
        if (!current.equals(builtFor)) {
            LOG.warn("The stream of table '{}' is now {}; the job was started on {}. Reading the current one from "
                    + "its start; the table scan covers what was lost in between", p.tableName, current, builtFor);
        }
        return current;
    }

    private void awaitCovered(StreamGapRelay.Gap gap) throws InterruptedException {
        LOG.warn("Stream gap: {}; waiting for the table scan to cover it before reading on", gap.reason);
        CompletableFuture<Void> answer = StreamGapRelay.report(gapChannel, gap);
        long waited = 0;
        try {
            while (true) {
                try {
                    answer.get(WAIT_LOG_EVERY_SECONDS, TimeUnit.SECONDS);
                    LOG.info("Stream gap covered by a table scan run; reading on ({})", gap.reason);
                    return;
                } catch (TimeoutException e) {
                    waited += WAIT_LOG_EVERY_SECONDS;
                    LOG.warn("Still waiting after {} s for the table scan to cover a stream gap ({}). Needs a "
                            + "checkpoint to complete, and a table-scan-source subtask in this TaskManager", waited, gap.reason);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof StreamGapException) {
                        throw (StreamGapException) e.getCause();
                    }
                    throw new IllegalStateException("stream gap not covered: " + gap.reason, e.getCause());
                }
            }
        } finally {
            if (!answer.isDone()) {
                StreamGapRelay.withdraw(gapChannel, gap);
            }
        }
    }
}
