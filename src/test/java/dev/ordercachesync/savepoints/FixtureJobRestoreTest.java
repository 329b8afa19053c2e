package dev.ordercachesync.savepoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.job.OperatorIds;
import dev.ordercachesync.job.OrderCacheSyncPipeline;
import dev.ordercachesync.localmomento.LoopbackMomentoServer;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderItem;
import dev.ordercachesync.model.RawStreamRecord;
import dev.ordercachesync.sink.MomentoConnection;
import dev.ordercachesync.sink.MomentoSink;
import dev.ordercachesync.source.StreamRecordJson;
import dev.ordercachesync.testsupport.CacheConvergence;
import dev.ordercachesync.views.CacheContract;
import dev.ordercachesync.views.OrderSummary;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigInteger;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The v1 fixture restored into this version's job, not only read: every operator uid and state of the fixture
 * must be claimed (unclaimed state fails the restore), and the restored state must drive what the job writes.
 * The emulator stream the fixture was made on is gone, so a scripted source takes the source's uid and sends three
 * changes: a stale one for a live order (dropped only if its restored sequence number is used), a newer one
 * that completes an order (moving it within restored lists), and a new order. Tombstones are not exercised:
 * their TTL runs out 48 h after the fixture was made, as it should.
 */
class FixtureJobRestoreTest {
    private static final String CACHE = "pizza";

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void theRestoredJobUsesTheFixturesSequenceNumbersAndListMembers() throws Exception {
        Path fixture = Paths.get(getClass().getResource("/savepoints/v1").toURI());
        JsonNode expected = new ObjectMapper().readTree(fixture.resolve("expected.json").toFile());
        Map<String, Map<String, OrderSummary>> lists = lists(expected.get("lists"));
        Map<String, OrderSummary> allOrders = lists.get(CacheContract.DEFAULT_ALL_ORDERS_KEY);

        // stale: any live order; completed: another live order that all-orders lists
        String staleId = null;
        String completedId = null;
        BigInteger highest = BigInteger.ZERO;
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("orders").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> order = it.next();
            JsonNode seq = order.getValue().has("lastSequence") ? order.getValue().get("lastSequence") : order.getValue().get("tombstone");
            highest = highest.max(new BigInteger(seq.asText()));
            if (order.getValue().has("lastSequence")) {
                if (completedId == null && allOrders.containsKey(order.getKey())) {
                    completedId = order.getKey();
                } else if (staleId == null) {
                    staleId = order.getKey();
                }
            }
        }
        assertThat(staleId).isNotNull();
        assertThat(completedId).isNotNull();
        JsonNode staleState = expected.get("orders").get(staleId);
        String creator = expected.get("orders").get(completedId).get("creator").asText();
        OrderSummary before = allOrders.get(completedId);

        Order stale = new Order(staleId, staleState.get("creator").asText(), "2026-11-23T10:00:00.000Z", "COMPLETED", 1,
                pizza(), "2026-11-23T12:00:00.000Z");
        Order completed = new Order(completedId, creator, before.createdAt, "COMPLETED", 1, pizza(), "2026-11-23T12:00:01.000Z");
        Order added = new Order("restored-job-new-order", creator, "2026-11-23T11:00:00.000Z", "WAITING ON CUSTOMER", 1,
                pizza(), null);
        List<RawStreamRecord> script = List.of(
                StreamRecordJson.modify(new BigInteger(staleState.get("lastSequence").asText()).subtract(BigInteger.ONE).toString(),
                        image(stale), image(stale)),
                StreamRecordJson.modify(highest.add(BigInteger.valueOf(100)).toString(), image(completed), image(completed)),
                StreamRecordJson.insert(highest.add(BigInteger.valueOf(101)).toString(), image(added)));

        try (LoopbackMomentoServer momento = LoopbackMomentoServer.builder().cache(CACHE).build().start()) {
            JobParameters params = JobParameters.from(Map.of(
                    JobParameters.STREAM_ARN, expected.get("streamArn").asText(),
                    JobParameters.AWS_REGION, "us-east-1",
                    JobParameters.MOMENTO_CACHE_NAME, CACHE,
                    JobParameters.MOMENTO_LOCAL_ENDPOINT, LoopbackMomentoServer.HOST + ":" + momento.port(),
                    JobParameters.LIST_FLUSH_INTERVAL, "100ms",
                    JobParameters.PARALLELISM, "2"));
            CacheContract contract = params.cacheContract();

            Map<String, String> want = new TreeMap<>();
            for (Order o : List.of(completed, added)) {
                want.put(contract.detailKey(o.id), contract.renderDetail(o));
                want.put(contract.adminDetailKey(o.id), contract.renderAdminDetail(o));
            }
            lists.get(CacheContract.DEFAULT_ALL_ORDERS_KEY).remove(completedId);
            lists.get(CacheContract.DEFAULT_ALL_ORDERS_KEY).put(added.id, CacheContract.summaryOf(added));
            lists.get(creator).put(completedId, CacheContract.summaryOf(completed));
            lists.get(creator).put(added.id, CacheContract.summaryOf(added));
            // Lists the script does not touch are re-rendered by their restored refresh timers, due half a TTL
            // (30 min) after the fixture was made.
            boolean refreshesDue = Instant.now().isAfter(Instant.parse(expected.get("jobStoppedAt").asText()).plus(Duration.ofMinutes(31)));
            for (Map.Entry<String, Map<String, OrderSummary>> list : lists.entrySet()) {
                if (refreshesDue || list.getKey().equals(creator) || list.getKey().equals(CacheContract.DEFAULT_ALL_ORDERS_KEY)) {
                    want.put(list.getKey(), contract.renderList(list.getValue().values(), params.listMaxEntries));
                }
            }

            Configuration conf = new Configuration();
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, fixture.resolve("savepoint").toString());
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, false);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.enableCheckpointing(500);
            OrderCacheSyncPipeline.configure(env, params);
            DataStream<RawStreamRecord> records = env
                    .addSource(new ScriptedSource(script), "scripted stream", TypeInformation.of(RawStreamRecord.class))
                    .uid(OperatorIds.SOURCE);
            OrderCacheSyncPipeline.build(records, params,
                    new MomentoSink(MomentoConnection.from(params), params.sinkMaxInFlight, params.sinkMaxAttempts));
            JobClient job = env.executeAsync("restore fixture v1");
            try {
                Map<String, String> cache = CacheConvergence.awaitEqual(() -> want, () -> momento.snapshot(CACHE),
                        Duration.ofSeconds(60), Duration.ofSeconds(1));
                assertThat(cache).doesNotContainKey(contract.detailKey(staleId));
                assertThat(cache).containsExactlyInAnyOrderEntriesOf(want);
            } finally {
                job.cancel().get();
            }
        }
    }

    private static OrderItem[] pizza() {
        return new OrderItem[] {new OrderItem("large", "thin", "tomato", new String[] {"basil"})};
    }

    private static ObjectNode image(Order o) {
        return StreamRecordJson.order(o.id, o.creator, o.createdAt, o.status, o.lastUpdated,
                StreamRecordJson.pizza("large", "thin", "tomato", "basil"));
    }

    private static Map<String, Map<String, OrderSummary>> lists(JsonNode node) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Map<String, OrderSummary>> lists = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> list = it.next();
            Map<String, OrderSummary> members = new LinkedHashMap<>();
            for (JsonNode member : list.getValue()) {
                OrderSummary summary = json.treeToValue(member, OrderSummary.class);
                members.put(summary.id, summary);
            }
            lists.put(list.getKey(), members);
        }
        return lists;
    }

    /** Sends its records once, in order (a non-parallel source), then idles until cancelled so flush timers fire. */
    static final class ScriptedSource implements SourceFunction<RawStreamRecord> {
        private static final long serialVersionUID = 1L;
        private final List<String[]> records = new ArrayList<>();
        private volatile boolean running = true;

        ScriptedSource(List<RawStreamRecord> script) {
            for (RawStreamRecord r : script) {
                records.add(new String[] {r.json, r.shardId, r.sequenceNumber});
            }
        }

        @Override
        public void run(SourceContext<RawStreamRecord> ctx) throws Exception {
            synchronized (ctx.getCheckpointLock()) {
                for (String[] r : records) {
                    ctx.collect(new RawStreamRecord(r[0], r[1], r[2]));
                }
            }
            while (running) {
                Thread.sleep(50);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }
}
