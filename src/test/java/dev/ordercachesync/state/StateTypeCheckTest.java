package dev.ordercachesync.state;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.job.OperatorIds;
import dev.ordercachesync.job.OrderCacheSyncPipeline;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.RawStreamRecord;
import dev.ordercachesync.ordering.OrderSequencer;
import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.views.CacheContract;
import dev.ordercachesync.views.ListDelta;
import dev.ordercachesync.views.ListViewMaterializer;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateTypeCheckTest {

    /** Not a POJO: no no-argument constructor, final fields. Flink would hand it to Kryo. */
    public static final class NotAPojo {
        public final String id;

        public NotAPojo(String id) {
            this.id = id;
        }
    }

    /** A POJO whose field is an interface: the POJO itself passes, its field falls back to Kryo. */
    public static class PojoWithInterfaceField {
        public String id;
        public CharSequence note;

        public PojoWithInterfaceField() {}
    }

    @Test
    void theJobsOwnStateTypesPass() {
        CacheContract contract = CacheContract.defaults();
        StateTypeCheck.requireNoKryo(Map.of(
                OperatorIds.SEQUENCER, new OrderSequencer(contract, Duration.ofHours(1), Duration.ofHours(48)).declaredState(),
                OperatorIds.LIST_MATERIALIZER,
                new ListViewMaterializer(contract, 100, Duration.ofMillis(100), Duration.ofHours(1), 20).declaredState()),
                new ExecutionConfig());
    }

    @Test
    void aStateTypeThatFallsBackToKryoIsCaughtNamingOperatorStateAndType() {
        List<StateDescriptor<?, ?>> state = List.of(
                new ValueStateDescriptor<>("fine", Types.STRING),
                new ValueStateDescriptor<>("not-a-pojo", TypeInformation.of(NotAPojo.class)),
                new MapStateDescriptor<>("nested", Types.STRING, TypeInformation.of(PojoWithInterfaceField.class)));

        assertThatThrownBy(() -> StateTypeCheck.requireNoKryo(Map.of("some-operator", state), new ExecutionConfig()))
                .isInstanceOf(KryoStateTypeException.class)
                .satisfies(e -> assertThat(((KryoStateTypeException) e).problems()).hasSize(2))
                .hasMessageContaining("operator 'some-operator', state 'not-a-pojo'")
                .hasMessageContaining(NotAPojo.class.getName())
                .hasMessageContaining("operator 'some-operator', state 'nested'")
                .hasMessageContaining(CharSequence.class.getName())
                .hasMessageContaining("Flink POJO")
                .hasMessageNotContaining("state 'fine'");
    }

    @Test
    void aKryoSerializerGivenExplicitlyIsCaughtToo() {
        // Generic types switched off do not stop an explicit KryoSerializer (the Kinesis source does this).
        ValueStateDescriptor<NotAPojo> explicit =
                new ValueStateDescriptor<>("explicit", new KryoSerializer<>(NotAPojo.class, new ExecutionConfig()));

        assertThatThrownBy(() -> StateTypeCheck.requireNoKryo(Map.of("op", List.of(explicit)), new ExecutionConfig()))
                .isInstanceOf(KryoStateTypeException.class)
                .hasMessageContaining("state 'explicit': type " + NotAPojo.class.getName() + " is serialized with Kryo");
    }

    @Test
    void theCheckDoesNotChangeTheJobsConfig() {
        ExecutionConfig jobConfig = new ExecutionConfig();
        StateTypeCheck.requireNoKryo(Map.of("op", List.of(new ValueStateDescriptor<>("s", Types.LONG))), jobConfig);
        assertThat(jobConfig.getSerializerConfig().hasGenericTypesDisabled()).isFalse();
    }

    @Test
    void everyOperatorOfTheJobHasAnExplicitUidAndAName() {
        JobParameters params = JobParameters.from(Map.of(
                JobParameters.STREAM_ARN, "arn:aws:dynamodb:us-east-1:123456789012:table/OrderTable/stream/2026-01-01T00:00:00.000",
                JobParameters.MOMENTO_LOCAL_ENDPOINT, "127.0.0.1:9"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        OrderCacheSyncPipeline.configure(env, params);
        OrderCacheSyncPipeline.build(env, params, OrderCacheSyncPipeline.momentoSink(params), params.streamArn);

        // With auto-generated uids off, building the graph itself fails on an operator without one.
        Collection<StreamNode> nodes = env.getStreamGraph().getStreamNodes();
        assertThat(nodes).extracting(StreamNode::getTransformationUID)
                .containsExactlyInAnyOrder(OperatorIds.SOURCE, OperatorIds.TABLE_SCAN, OperatorIds.PARSER,
                        OperatorIds.TABLE_ROW_PARSER, OperatorIds.SEQUENCER, OperatorIds.LIST_MATERIALIZER, OperatorIds.MOMENTO_SINK, OperatorIds.DEAD_LETTER_LOG);
        assertThat(nodes).extracting(StreamNode::getOperatorName).allSatisfy(name -> assertThat(name).isNotBlank());
    }

    @Test
    void anOperatorWithoutUidFailsTheBuild() {
        JobParameters params = JobParameters.from(Map.of(
                JobParameters.STREAM_ARN, "arn:aws:dynamodb:us-east-1:123456789012:table/OrderTable/stream/2026-01-01T00:00:00.000",
                JobParameters.MOMENTO_LOCAL_ENDPOINT, "127.0.0.1:9"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        OrderCacheSyncPipeline.configure(env, params);
        env.fromData(new RawStreamRecord("{}", "shard", "1")).uid(OperatorIds.SOURCE)
                .map(r -> r).returns(RawStreamRecord.class) // no uid
                .sinkTo(new DiscardingSink()).uid("discard");

        assertThatThrownBy(env::getStreamGraph).hasMessageContaining("no UID or hash has been assigned to operator Map");
    }

    /** A sink that drops everything, for building graphs without Momento. */
    static final class DiscardingSink implements Sink<RawStreamRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        @Deprecated
        public SinkWriter<RawStreamRecord> createWriter(InitContext context) {
            return new SinkWriter<RawStreamRecord>() {
                @Override
                public void write(RawStreamRecord element, Context context) {}

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    @Test
    void declaredStateIsExactlyTheStateTheFunctionsOpen() throws Exception {
        // The check only sees declared state; a state opened but not declared would slip past it.
        CacheContract contract = CacheContract.defaults();
        OrderSequencer sequencer = new OrderSequencer(contract, Duration.ofHours(1), Duration.ofHours(48));
        try (KeyedOneInputStreamOperatorTestHarness<String, OrderChange, CacheMutation> harness =
                     ProcessFunctionTestHarnesses.forKeyedProcessFunction(sequencer, c -> c.orderId, Types.STRING)) {
            harness.open();
            assertThat(openedStateNames(harness.getOperator().getKeyedStateBackend()))
                    .containsExactlyInAnyOrderElementsOf(names(sequencer.declaredState()));
        }
        ListViewMaterializer lists = new ListViewMaterializer(contract, 100, Duration.ofMillis(100), Duration.ofHours(1), 20);
        try (KeyedOneInputStreamOperatorTestHarness<String, ListDelta, CacheMutation> harness =
                     ProcessFunctionTestHarnesses.forKeyedProcessFunction(lists, d -> d.listKey, Types.STRING)) {
            harness.open();
            assertThat(openedStateNames(harness.getOperator().getKeyedStateBackend()))
                    .containsExactlyInAnyOrderElementsOf(names(lists.declaredState()));
        }
    }

    private static List<String> names(List<StateDescriptor<?, ?>> descriptors) {
        return descriptors.stream().map(StateDescriptor::getName).collect(Collectors.toList());
    }

    private static Set<String> openedStateNames(Object backend) throws ReflectiveOperationException {
        assertThat(backend).isInstanceOf(HeapKeyedStateBackend.class);
        Field states = HeapKeyedStateBackend.class.getDeclaredField("registeredKVStates");
        states.setAccessible(true);
        return ((Map<?, ?>) states.get(backend)).keySet().stream().map(String::valueOf).collect(Collectors.toSet());
    }
}
