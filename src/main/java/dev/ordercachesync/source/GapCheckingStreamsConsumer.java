package dev.ordercachesync.source;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.model.RawStreamRecord;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.streaming.connectors.kinesis.FlinkDynamoDBStreamsConsumer;
import org.apache.flink.streaming.connectors.kinesis.KinesisShardAssigner;
import org.apache.flink.streaming.connectors.kinesis.internals.DynamoDBStreamsDataFetcher;
import org.apache.flink.streaming.connectors.kinesis.internals.KinesisDataFetcher;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Constructor;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * The connector's DynamoDB Streams consumer, reading the table's stream as it is when the source starts (so a
 * restart follows a replaced stream), through {@link GapCheckingStreamsProxy}: before it asks for an iterator after
 * a position (a restored one, or a running consumer's whose iterator expired) it asks DynamoDB Streams whether the
 * position still exists ({@link ShardPositionCheck}). When it does not, the records since are lost to the stream:
 * the subtask reports the gap to the table scan ({@link StreamGapRelay}) and reads on only once a run that covers it
 * is in a completed checkpoint, so the gap is found again if the job fails before that.
 */
public class GapCheckingStreamsConsumer extends FlinkDynamoDBStreamsConsumer<RawStreamRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(GapCheckingStreamsConsumer.class);

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
        KinesisDataFetcher.FlinkKinesisProxyFactory proxies = props -> new GapCheckingStreamsProxy(props, p, gapChannel);
        try {
            // The one constructor that takes a proxy factory is package-private in the connector.
            Constructor<DynamoDBStreamsDataFetcher> withProxies = DynamoDBStreamsDataFetcher.class.getDeclaredConstructor(
                    List.class, SourceContext.class, RuntimeContext.class, Properties.class,
                    KinesisDeserializationSchema.class, KinesisShardAssigner.class,
                    KinesisDataFetcher.FlinkKinesisProxyFactory.class);
            withProxies.setAccessible(true);
            @SuppressWarnings("unchecked")
            KinesisDataFetcher<RawStreamRecord> fetcher = withProxies.newInstance(current, sourceContext, runtimeContext,
                    configProps, deserializationSchema, getShardAssigner(), proxies);
            return fetcher;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("flink-connector-kinesis no longer has DynamoDBStreamsDataFetcher's "
                    + "constructor with a proxy factory (built against 4.3.0-1.19); the stream gap check needs it", e);
        }
    }

    /**
     * The table's stream now, which a restart after the stream was replaced reads (the positions restored for the old
     * one are dropped by the connector; the table scan covers the gap).
     */
    private String currentStream(String builtFor) {
        String current = TableStreams.currentStreamArn(p);
        if (!current.equals(builtFor)) {
            LOG.warn("The stream of table '{}' is now {}; the job was started on {}. Reading the current one from "
                    + "its start; the table scan covers what was lost in between", p.tableName, current, builtFor);
        }
        return current;
    }
}
