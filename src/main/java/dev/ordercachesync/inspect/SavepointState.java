package dev.ordercachesync.inspect;

import dev.ordercachesync.job.OperatorIds;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.ordering.AppliedOrder;
import dev.ordercachesync.ordering.OrderSequencer;
import dev.ordercachesync.views.ListViewMaterializer;
import dev.ordercachesync.views.OrderSummary;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.base.BigIntSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.ttl.TtlStateFactory;
import org.apache.flink.runtime.state.ttl.TtlValue;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.kinesis.model.SequenceNumber;
import org.apache.flink.streaming.connectors.kinesis.model.StreamShardMetadata;
import org.apache.flink.streaming.connectors.kinesis.util.KinesisStateUtil;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a savepoint (or retained checkpoint) of the job holds, read with Flink's State Processor API: per order
 * the last applied sequence number, creator and tombstone; per list its members; per source shard its position.
 *
 * <p>The readers open state with the job's own descriptors, so reading also proves the savepoint's state
 * types are compatible with this version's. Tombstones are read without their TTL, as the raw
 * {@link TtlValue}, so an expired one is still shown, with the time it was written.
 */
public final class SavepointState {
    /** FlinkKinesisConsumer's union list state of shard positions (its own name, not ours). */
    static final String SOURCE_SHARD_STATE = "Kinesis-Stream-Shard-State";

    public final SortedMap<String, OrderState> orders;
    public final SortedMap<String, List<OrderSummary>> lists;
    public final SortedMap<String, ShardPosition> shards;

    private SavepointState(SortedMap<String, OrderState> orders, SortedMap<String, List<OrderSummary>> lists,
                           SortedMap<String, ShardPosition> shards) {
        this.orders = Collections.unmodifiableSortedMap(orders);
        this.lists = Collections.unmodifiableSortedMap(lists);
        this.shards = Collections.unmodifiableSortedMap(shards);
    }

    /** An order as the sequencer holds it. */
    public static final class OrderState {
        public final String orderId;
        /** Null when only a tombstone is left. */
        public final BigInteger lastSequence;
        public final String creator;
        /** The REMOVE's sequence number, or null. */
        public final BigInteger tombstone;
        /** When the tombstone was written, or null. */
        public final Instant tombstoneWrittenAt;
        /** The last applied order, which detail refreshes render; null for a removed order, or in state of v1. */
        public final Order order;

        OrderState(String orderId, BigInteger lastSequence, String creator, BigInteger tombstone, Instant tombstoneWrittenAt,
                   Order order) {
            this.orderId = orderId;
            this.lastSequence = lastSequence;
            this.creator = creator;
            this.tombstone = tombstone;
            this.tombstoneWrittenAt = tombstoneWrittenAt;
            this.order = order;
        }

        public boolean isLive() {
            return lastSequence != null;
        }
    }

    /** Where the source resumes in one shard. */
    public static final class ShardPosition {
        public final String stream;
        public final String shardId;
        /** The last sequence number read, or a sentinel such as SENTINEL_SHARD_ENDING_SEQUENCE_NUM. */
        public final String position;

        ShardPosition(String stream, String shardId, String position) {
            this.stream = stream;
            this.shardId = shardId;
            this.position = position;
        }
    }

    /** Reads the savepoint at {@code path} (a directory holding _metadata, or the _metadata file). */
    public static SavepointState read(StreamExecutionEnvironment env, String path) throws Exception {
        // Canonical savepoints are backend-neutral; the heap backend reads one without native libraries.
        SavepointReader savepoint = SavepointReader.read(env, path, new HashMapStateBackend());
        DataStream<StateRow> orders = savepoint.readKeyedState(OperatorIdentifier.forUid(OperatorIds.SEQUENCER),
                new SequencerReader(), TypeInformation.of(String.class), TypeInformation.of(StateRow.class));
        DataStream<StateRow> lists = savepoint.readKeyedState(OperatorIdentifier.forUid(OperatorIds.LIST_MATERIALIZER),
                new ListReader(), TypeInformation.of(String.class), TypeInformation.of(StateRow.class));
        DataStream<StateRow> shards = savepoint.readUnionState(OperatorIdentifier.forUid(OperatorIds.SOURCE),
                        SOURCE_SHARD_STATE, shardStateType(), KinesisStateUtil.createShardsStateSerializer(new ExecutionConfig()))
                .map(new ShardToRow()).returns(StateRow.class);

        SortedMap<String, OrderState> orderStates = new TreeMap<>();
        SortedMap<String, List<OrderSummary>> listStates = new TreeMap<>();
        SortedMap<String, ShardPosition> shardStates = new TreeMap<>();
        try (CloseableIterator<StateRow> rows = orders.union(lists, shards).executeAndCollect("read savepoint " + path)) {
            while (rows.hasNext()) {
                StateRow row = rows.next();
                switch (row.kind) {
                    case StateRow.ORDER:
                        orderStates.put(row.key, new OrderState(row.key, bigInteger(row.lastSequence), row.creator,
                                bigInteger(row.tombstone),
                                row.tombstoneWrittenAtMillis < 0 ? null : Instant.ofEpochMilli(row.tombstoneWrittenAtMillis),
                                row.order));
                        break;
                    case StateRow.LIST:
                        List<OrderSummary> members = new ArrayList<>(Arrays.asList(row.members));
                        members.sort(Comparator.comparing(m -> m.id));
                        listStates.put(row.key, Collections.unmodifiableList(members));
                        break;
                    case StateRow.SHARD:
                        // Union state: every subtask held every shard; one copy is enough.
                        shardStates.put(row.key, new ShardPosition(row.stream, row.key, row.position));
                        break;
                    default:
                        throw new IllegalStateException("Unknown row kind " + row.kind);
                }
            }
        }
        return new SavepointState(orderStates, listStates, shardStates);
    }

    private static BigInteger bigInteger(String s) {
        return s == null ? null : new BigInteger(s);
    }

    private static TypeInformation<Tuple2<StreamShardMetadata, SequenceNumber>> shardStateType() {
        return new TupleTypeInfo<>(TypeInformation.of(StreamShardMetadata.class), new GenericTypeInfo<>(SequenceNumber.class));
    }

    /** Reads the sequencer's state of one order; public for tools that rewrite it. */
    public static final class SequencerReader extends KeyedStateReaderFunction<String, StateRow> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<AppliedOrder> applied;
        private transient ValueState<TtlValue<BigInteger>> tombstone;

        @Override
        public void open(Configuration parameters) {
            applied = getRuntimeContext().getState(OrderSequencer.appliedStateDescriptor());
            // The job's TTL serializer without TTL: the write time comes back, and expiry does not hide the value.
            tombstone = getRuntimeContext().getState(new ValueStateDescriptor<>(OrderSequencer.TOMBSTONE_STATE,
                    new TtlStateFactory.TtlSerializer<>(LongSerializer.INSTANCE, BigIntSerializer.INSTANCE)));
        }

        @Override
        public void readKey(String orderId, Context ctx, Collector<StateRow> out) throws Exception {
            AppliedOrder order = applied.value();
            TtlValue<BigInteger> removed = tombstone.value();
            if (order == null && removed == null) {
                return;
            }
            StateRow row = new StateRow();
            row.kind = StateRow.ORDER;
            row.key = orderId;
            if (order != null) {
                row.lastSequence = order.lastSequence == null ? null : order.lastSequence.toString();
                row.creator = order.creator;
                row.order = order.order;
            }
            if (removed != null) {
                row.tombstone = removed.getUserValue().toString();
                row.tombstoneWrittenAtMillis = removed.getLastAccessTimestamp();
            }
            out.collect(row);
        }
    }

    static final class ListReader extends KeyedStateReaderFunction<String, StateRow> {
        private static final long serialVersionUID = 1L;
        private transient MapState<String, OrderSummary> members;

        @Override
        public void open(Configuration parameters) {
            members = getRuntimeContext().getMapState(ListViewMaterializer.membersStateDescriptor());
        }

        @Override
        public void readKey(String listKey, Context ctx, Collector<StateRow> out) throws Exception {
            List<OrderSummary> all = new ArrayList<>();
            for (Map.Entry<String, OrderSummary> member : members.entries()) {
                all.add(member.getValue());
            }
            StateRow row = new StateRow();
            row.kind = StateRow.LIST;
            row.key = listKey;
            row.members = all.toArray(new OrderSummary[0]);
            out.collect(row);
        }
    }

    static final class ShardToRow implements MapFunction<Tuple2<StreamShardMetadata, SequenceNumber>, StateRow> {
        private static final long serialVersionUID = 1L;

        @Override
        public StateRow map(Tuple2<StreamShardMetadata, SequenceNumber> shard) {
            StateRow row = new StateRow();
            row.kind = StateRow.SHARD;
            row.key = shard.f0.getShardId();
            row.stream = shard.f0.getStreamName();
            row.position = shard.f1.getSequenceNumber();
            return row;
        }
    }
}
