package dev.ordercachesync.job;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.RawStreamRecord;
import dev.ordercachesync.model.TableRow;
import dev.ordercachesync.ordering.OrderSequencer;
import dev.ordercachesync.ordering.SequencerOperator;
import dev.ordercachesync.source.ParseTableRows;
import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.sink.MomentoConnection;
import dev.ordercachesync.sink.MomentoSink;
import dev.ordercachesync.deadletter.DeadLetter;
import dev.ordercachesync.deadletter.DeadLetterLogger;
import dev.ordercachesync.deadletter.DeadLetterTableSink;
import dev.ordercachesync.source.DynamoDbStreamSourceFactory;
import dev.ordercachesync.source.ParseStreamRecords;
import dev.ordercachesync.source.StreamRecordParser;
import dev.ordercachesync.state.StateTypeCheck;
import dev.ordercachesync.views.CacheContract;
import dev.ordercachesync.views.ListDelta;
import dev.ordercachesync.views.ListViewMaterializer;
import dev.ordercachesync.views.ListViewOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.Map;

/** Wires the job: stream records and scanned table rows → parse → sequence per order → list views → Momento. */
public final class OrderCacheSyncPipeline {
    private OrderCacheSyncPipeline() {}

    /** RocksDBConfigurableOptions.USE_BLOOM_FILTER, named here so the job does not compile against the backend. */
    static final ConfigOption<Boolean> ROCKSDB_BLOOM_FILTER =
            ConfigOptions.key("state.backend.rocksdb.use-bloom-filter").booleanType().defaultValue(false);

    /** Settings every run of the job needs, whatever the cluster's configuration says. */
    public static void configure(StreamExecutionEnvironment env, JobParameters p) {
        Configuration conf = new Configuration();
        // A state type that would fall back to Kryo fails at start instead of breaking a later restore.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // An operator without an explicit uid fails the build: an auto-generated one changes with the graph.
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        // Every new order's first change looks up keys it does not have yet (its state, its list entries); without
        // bloom filters RocksDB reads every level to learn that, a cost that grows with the state.
        conf.set(ROCKSDB_BLOOM_FILTER, true);
        env.configure(conf);
        env.setMaxParallelism(p.maxParallelism);
        if (p.parallelism > 0) {
            env.setParallelism(p.parallelism);
        }
        // State and the sink's guarantee rest on checkpoints; a cluster's own setting wins.
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            env.enableCheckpointing(p.checkpointInterval.toMillis());
        }
    }

    /** The whole job reading the DynamoDB stream and writing Momento. */
    public static void build(StreamExecutionEnvironment env, JobParameters p) {
        build(env, p, momentoSink(p));
    }

    /**
     * The whole job with another sink (tests wrap the Momento sink to inject failures): the table's current stream,
     * united with the table scan that bootstraps and reconciles the job.
     */
    public static void build(StreamExecutionEnvironment env, JobParameters p, Sink<CacheMutation> sink) {
        build(env, p, sink, DynamoDbStreamSourceFactory.currentStreamArn(p));
    }

    /** As above, reading {@code streamArn} without asking the table for its current stream (graph-only tests). */
    public static void build(StreamExecutionEnvironment env, JobParameters p, Sink<CacheMutation> sink, String streamArn) {
        String gapChannel = DynamoDbStreamSourceFactory.newGapChannel();
        DataStream<RawStreamRecord> records = env
                .addSource(DynamoDbStreamSourceFactory.create(p, streamArn, gapChannel), "DynamoDB stream",
                        TypeInformation.of(RawStreamRecord.class))
                .uid(OperatorIds.SOURCE);
        DataStream<TableRow> rows = env
                .fromSource(DynamoDbStreamSourceFactory.tableScan(p, gapChannel), WatermarkStrategy.noWatermarks(),
                        "Scan orders table", TypeInformation.of(TableRow.class))
                .uid(OperatorIds.TABLE_SCAN);
        build(records, rows, p, sink);
    }

    public static MomentoSink momentoSink(JobParameters p) {
        return new MomentoSink(MomentoConnection.from(p), p.sinkMaxInFlight, p.sinkMaxAttempts, p.sinkOpsPerSecond);
    }

    /**
     * Everything after the source; tests feed records and may use another sink. Returns the dead letters of
     * every operator, which are already logged (and written to the dead-letter table when one is set).
     */
    public static DataStream<DeadLetter> build(DataStream<RawStreamRecord> records, JobParameters p, Sink<CacheMutation> sink) {
        return build(records, null, p, sink);
    }

    /** As above, with the rows of a table scan ({@code null} for none) united with the stream's changes. */
    public static DataStream<DeadLetter> build(DataStream<RawStreamRecord> records, DataStream<TableRow> tableRows,
                                               JobParameters p, Sink<CacheMutation> sink) {
        CacheContract contract = p.cacheContract();
        OrderSequencer sequencer = new OrderSequencer(contract, p.cacheTtl, p.tombstoneRetention);
        ListViewMaterializer lists = new ListViewMaterializer(contract, p.listMaxEntries, p.listFlushInterval, p.cacheTtl,
                p.listWriteKibPerSecond);
        // Fails at start, naming the state, instead of at the first task open (a restart loop) or a later restore.
        StateTypeCheck.requireNoKryo(Map.of(
                OperatorIds.SEQUENCER, sequencer.declaredState(),
                OperatorIds.LIST_MATERIALIZER, lists.declaredState()), records.getExecutionConfig());

        SingleOutputStreamOperator<OrderChange> changes = records
                .process(new ParseStreamRecords(new StreamRecordParser(contract)), TypeInformation.of(OrderChange.class))
                .uid(OperatorIds.PARSER).name("Parse stream records");
        DataStream<OrderChange> allChanges = changes;
        DataStream<DeadLetter> scanDeadLetters = null;
        if (tableRows != null) {
            // Same parallelism as the scan, so each reader's rows and its end-of-run marker stay on one channel.
            SingleOutputStreamOperator<OrderChange> scanned = tableRows
                    .process(new ParseTableRows(new StreamRecordParser(contract)), TypeInformation.of(OrderChange.class))
                    .setParallelism(tableRows.getParallelism())
                    .uid(OperatorIds.TABLE_ROW_PARSER).name("Parse scanned rows");
            allChanges = changes.union(scanned);
            scanDeadLetters = scanned.getSideOutput(DeadLetter.OUTPUT);
        }

        SingleOutputStreamOperator<CacheMutation> detailWrites = allChanges
                .keyBy(new OrderIdKey())
                .transform("Sequence changes per order", TypeInformation.of(CacheMutation.class),
                        new SequencerOperator(sequencer))
                .uid(OperatorIds.SEQUENCER);

        SingleOutputStreamOperator<CacheMutation> listWrites = detailWrites
                .getSideOutput(OrderSequencer.LIST_DELTAS)
                .keyBy(new ListKey())
                .transform("Materialize list views", TypeInformation.of(CacheMutation.class), new ListViewOperator(lists))
                .uid(OperatorIds.LIST_MATERIALIZER);

        detailWrites.union(listWrites)
                .sinkTo(sink)
                .uid(OperatorIds.MOMENTO_SINK).name("Write Momento views");

        // Parsing rejects records; the sequencer and the lists reject views over the size bound.
        DataStream<DeadLetter> deadLetters = changes.getSideOutput(DeadLetter.OUTPUT)
                .union(detailWrites.getSideOutput(DeadLetter.OUTPUT),
                        listWrites.getSideOutput(DeadLetter.OUTPUT));
        if (scanDeadLetters != null) {
            deadLetters = deadLetters.union(scanDeadLetters);
        }
        deadLetters.sinkTo(new DeadLetterLogger()).uid(OperatorIds.DEAD_LETTER_LOG).name("Log dead letters");
        if (p.deadLetterTable != null) {
            deadLetters.sinkTo(DeadLetterTableSink.create(p))
                    .uid(OperatorIds.DEAD_LETTER_TABLE).name("Write dead-letter table");
        }
        return deadLetters;
    }

    static final class OrderIdKey implements KeySelector<OrderChange, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(OrderChange change) {
            return change.orderId;
        }
    }

    static final class ListKey implements KeySelector<ListDelta, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(ListDelta delta) {
            return delta.listKey;
        }
    }
}
