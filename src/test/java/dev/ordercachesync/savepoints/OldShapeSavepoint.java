package dev.ordercachesync.savepoints;

import dev.ordercachesync.inspect.SavepointState;
import dev.ordercachesync.inspect.StateRow;
import dev.ordercachesync.job.OperatorIds;
import dev.ordercachesync.ordering.AppliedOrder;
import dev.ordercachesync.ordering.OrderSequencer;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.BigIntSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.ttl.TtlStateFactory;
import org.apache.flink.runtime.state.ttl.TtlValue;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.lang.reflect.Field;
import java.math.BigInteger;

/**
 * Rewrites a savepoint's sequencer state as an older job version would have written it, one whose
 * {@link AppliedOrder} had no {@code creator} field yet: the POJO serializer (and so its snapshot in the
 * savepoint) knows only {@code lastSequence}. Every other operator's state is copied unchanged, so the
 * source still resumes where it stopped. Restoring the result into the current job is "a field was added
 * to a state type" with the job's real classes, serializers and restore path.
 */
public final class OldShapeSavepoint {
    private OldShapeSavepoint() {}

    /** Writes the rewritten savepoint to {@code target} and returns it. */
    public static String withoutAppliedOrderCreator(StreamExecutionEnvironment env, String savepoint, String target)
            throws Exception {
        DataStream<StateRow> orders = SavepointReader.read(env, savepoint, new HashMapStateBackend())
                .readKeyedState(OperatorIdentifier.forUid(OperatorIds.SEQUENCER), new SavepointState.SequencerReader(),
                        Types.STRING, TypeInformation.of(StateRow.class));
        StateBootstrapTransformation<StateRow> oldSequencer = OperatorTransformation.bootstrapWith(orders)
                .keyBy(row -> row.key, Types.STRING)
                .transform(new OldShapeSequencerState());
        SavepointWriter.fromExistingSavepoint(env, savepoint, new HashMapStateBackend())
                .removeOperator(OperatorIdentifier.forUid(OperatorIds.SEQUENCER))
                .withOperator(OperatorIdentifier.forUid(OperatorIds.SEQUENCER), oldSequencer)
                .write(target);
        env.execute("rewrite " + OperatorIds.SEQUENCER + " state without AppliedOrder.creator");
        return target;
    }

    /** AppliedOrder's serializer as it was before {@code creator} was added. */
    static TypeSerializer<AppliedOrder> appliedOrderWithoutCreator() throws NoSuchFieldException {
        return new PojoSerializer<>(AppliedOrder.class,
                new TypeSerializer<?>[] {BigIntSerializer.INSTANCE},
                new Field[] {AppliedOrder.class.getField("lastSequence")},
                new SerializerConfigImpl());
    }

    static final class OldShapeSequencerState extends KeyedStateBootstrapFunction<String, StateRow> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<AppliedOrder> applied;
        private transient ValueState<TtlValue<BigInteger>> tombstone;

        @Override
        public void open(Configuration parameters) throws Exception {
            applied = getRuntimeContext().getState(
                    new ValueStateDescriptor<>(OrderSequencer.APPLIED_STATE, appliedOrderWithoutCreator()));
            // Raw TTL values keep each tombstone's original write time.
            tombstone = getRuntimeContext().getState(new ValueStateDescriptor<>(OrderSequencer.TOMBSTONE_STATE,
                    new TtlStateFactory.TtlSerializer<>(LongSerializer.INSTANCE, BigIntSerializer.INSTANCE)));
        }

        @Override
        public void processElement(StateRow row, Context ctx) throws Exception {
            if (row.lastSequence != null) {
                applied.update(new AppliedOrder(new BigInteger(row.lastSequence), null));
            }
            if (row.tombstone != null) {
                tombstone.update(new TtlValue<>(new BigInteger(row.tombstone), row.tombstoneWrittenAtMillis));
            }
        }
    }
}
