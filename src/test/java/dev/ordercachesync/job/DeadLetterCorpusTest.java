package dev.ordercachesync.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.localmomento.LoopbackMomentoServer;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.RawStreamRecord;
import dev.ordercachesync.sink.MomentoConnection;
import dev.ordercachesync.sink.MomentoSink;
import dev.ordercachesync.deadletter.DeadLetter;
import dev.ordercachesync.deadletter.RejectReason;
import dev.ordercachesync.source.StreamRecordJson;
import dev.ordercachesync.testsupport.CacheConvergence;
import dev.ordercachesync.testsupport.ReleasableSource;
import dev.ordercachesync.views.CacheContract;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static dev.ordercachesync.source.StreamRecordJson.insert;
import static dev.ordercachesync.source.StreamRecordJson.modify;
import static dev.ordercachesync.source.StreamRecordJson.pizza;
import static dev.ordercachesync.source.StreamRecordJson.remove;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checked-in corpus of malformed and hostile stream records (src/test/resources/dead-letters/corpus.jsonl),
 * interleaved with good records, through the whole job on a MiniCluster with the real Momento SDK writing to the
 * loopback server. Each corpus line names what must happen to its record: a reason code (one dead letter with that
 * reason), ACCEPTED (cached like any order), or SKIPPED (not an order: no dead letter, no key).
 */
class DeadLetterCorpusTest {
    private static final int PARALLELISM = 2;
    private static final int MAX_VALUE_BYTES = 8192;
    private static final String CACHE = "pizza";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(PARALLELISM)
                    .build());

    /** One corpus line, fed under its own shard id so its dead letter can be told apart. */
    private static final class CorpusRecord {
        String kind;
        String expect;
        String shardId;
        RawStreamRecord raw;
        /** What the cache must show for an ACCEPTED or VALUE_TOO_LARGE record; null for a removal. */
        Order order;
        String orderId;
    }

    @Test
    void everyBadRecordIsADeadLetterWithItsReasonAndTheCacheHoldsExactlyTheGoodOnes() throws Exception {
        List<CorpusRecord> corpus = loadCorpus();
        assertThat(corpus.stream().filter(c -> isRejection(c.expect)).map(c -> c.kind))
                .as("kinds of malformed and hostile records").hasSizeGreaterThanOrEqualTo(25);
        assertThat(corpus.stream().map(c -> c.expect).filter(DeadLetterCorpusTest::isRejection))
                .as("every reason the job can give is exercised")
                .containsAll(reasonNames());

        Map<String, Order> good = new TreeMap<>();
        List<RawStreamRecord> goodRecords = goodRecords(good);
        List<RawStreamRecord> feed = new ArrayList<>();
        for (int i = 0; i < Math.max(goodRecords.size(), corpus.size()); i++) {
            if (i < goodRecords.size()) {
                feed.add(goodRecords.get(i));
            }
            if (i < corpus.size()) {
                feed.add(corpus.get(i).raw);
            }
        }

        try (LoopbackMomentoServer momento = LoopbackMomentoServer.builder().cache(CACHE).build().start()) {
            Map<String, String> values = new HashMap<>();
            values.put(JobParameters.STREAM_ARN, "arn:aws:dynamodb:us-east-1:000000000000:table/OrderTable/stream/corpus");
            values.put(JobParameters.MOMENTO_CACHE_NAME, CACHE);
            values.put(JobParameters.MOMENTO_LOCAL_ENDPOINT, LoopbackMomentoServer.HOST + ":" + momento.port());
            values.put(JobParameters.LIST_FLUSH_INTERVAL, "50ms");
            values.put(JobParameters.MAX_VALUE_BYTES, Integer.toString(MAX_VALUE_BYTES));
            values.put(JobParameters.PARALLELISM, Integer.toString(PARALLELISM));
            JobParameters params = JobParameters.from(values);
            CacheContract contract = params.cacheContract();

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            OrderCacheSyncPipeline.configure(env, params);
            Configuration noRestarts = new Configuration();
            noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            // The test's own collect sink has no uid; the job's operators are checked elsewhere.
            noRestarts.set(PipelineOptions.AUTO_GENERATE_UIDS, true);
            env.configure(noRestarts);

            ReleasableSource source = new ReleasableSource(feed);
            DataStream<RawStreamRecord> records = env.addSource(source, "corpus", TypeInformation.of(RawStreamRecord.class))
                    .uid("corpus-source");
            DataStream<DeadLetter> deadLetters = OrderCacheSyncPipeline.build(records, params,
                    new MomentoSink(MomentoConnection.from(params), params.sinkMaxInFlight, params.sinkMaxAttempts));
            CloseableIterator<DeadLetter> collected = deadLetters.collectAsync();
            JobClient job = env.executeAsync("dead-letter-corpus");

            Map<String, String> want = expectedCache(contract, params.listMaxEntries, good.values(), corpus);
            Map<String, String> cache = CacheConvergence.awaitEqual(
                    () -> want, () -> momento.snapshot(CACHE), Duration.ofSeconds(60), Duration.ofMillis(500));
            source.release();

            List<DeadLetter> letters = new ArrayList<>();
            collected.forEachRemaining(letters::add);
            collected.close();
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
            assertThat(job.getJobStatus().get()).as("finished, never failed over").isEqualTo(JobStatus.FINISHED);

            assertThat(cache).as("good, accepted and oversize orders, exactly").containsExactlyInAnyOrderEntriesOf(want);
            assertDeadLetters(corpus, letters);
            assertNothingWroteOutsideItsOwnKeys(momento, contract, good.values(), corpus);
        }
    }

    private static void assertDeadLetters(List<CorpusRecord> corpus, List<DeadLetter> letters) {
        Map<String, String> expected = new TreeMap<>();
        Map<String, CorpusRecord> byShard = new HashMap<>();
        for (CorpusRecord c : corpus) {
            byShard.put(c.shardId, c);
            if (isRejection(c.expect)) {
                expected.put(c.shardId, c.kind + " -> " + c.expect);
            }
        }
        Map<String, String> actual = new TreeMap<>();
        for (DeadLetter d : letters) {
            CorpusRecord c = byShard.get(d.shardId);
            String previous = actual.put(d.shardId, (c == null ? "not from the corpus" : c.kind) + " -> " + d.reason);
            assertThat(previous).as("a second dead letter for %s", d.shardId).isNull();
            assertThat(d.message).as("message of %s", d.shardId).isNotBlank();
            assertThat(d.timeMillis).isPositive();
            if (c != null && !RejectReason.VALUE_TOO_LARGE.name().equals(d.reason)) {
                String raw = c.raw.json;
                assertThat(d.rawRecord).as("raw of %s", c.kind)
                        .isEqualTo(raw.length() <= DeadLetter.MAX_RAW_CHARS ? raw : raw.substring(0, DeadLetter.MAX_RAW_CHARS) + "...(truncated)");
                assertThat(d.sequenceNumber).isEqualTo(c.raw.sequenceNumber);
            }
            if (c != null && c.orderId != null && c.orderId.length() <= DeadLetter.MAX_TEXT_CHARS && !d.reason.startsWith("MISSING_ORDER_ID")) {
                assertThat(d.orderId).as("order id of %s", c.kind).isEqualTo(c.orderId);
            }
        }
        assertThat(actual).as("one dead letter per bad record, with its expected reason")
                .containsExactlyInAnyOrderEntriesOf(expected);
    }

    /**
     * Every key ever set or deleted belongs to an order that was applied (its details, its creator's list,
     * all-orders), and no value ever written names a rejected record's order.
     */
    private void assertNothingWroteOutsideItsOwnKeys(LoopbackMomentoServer momento, CacheContract contract,
                                                     Iterable<Order> good, List<CorpusRecord> corpus) throws Exception {
        Set<String> allowed = new HashSet<>();
        Set<String> appliedIds = new HashSet<>();
        allowed.add(contract.allOrdersKey());
        for (Order o : good) {
            appliedIds.add(o.id);
        }
        for (Order o : goodImagesSeen) {
            allowed.add(contract.detailKey(o.id));
            allowed.add(contract.adminDetailKey(o.id));
            allowed.add(contract.creatorListKey(o.creator));
        }
        for (CorpusRecord c : corpus) {
            if ("ACCEPTED".equals(c.expect) || RejectReason.VALUE_TOO_LARGE.name().equals(c.expect)) {
                appliedIds.add(c.orderId);
                allowed.add(contract.detailKey(c.orderId));
                allowed.add(contract.adminDetailKey(c.orderId));
                if (c.order != null) {
                    allowed.add(contract.creatorListKey(c.order.creator));
                }
            }
        }
        Set<String> rejectedIds = new HashSet<>();
        for (CorpusRecord c : corpus) {
            if (isRejection(c.expect) && !RejectReason.VALUE_TOO_LARGE.name().equals(c.expect)
                    && c.orderId != null && !appliedIds.contains(c.orderId)) {
                rejectedIds.add(c.orderId);
            }
        }
        assertThat(rejectedIds).as("hostile ids to look for").contains("c-admin", "c-allorders", "ADMIN-good-1", "all-orders");

        Set<String> written = momento.writtenKeys(CACHE);
        assertThat(written).as("keys ever written").isSubsetOf(allowed)
                .containsAll(momento.snapshot(CACHE).keySet()).contains("good-1", "ADMIN-good-1");
        for (String key : written) {
            for (String value : momento.writeHistory(CACHE, key)) {
                if (LoopbackMomentoServer.DELETED.equals(value)) {
                    continue;
                }
                Set<String> ids = new HashSet<>();
                JsonNode node = JSON.readTree(value);
                if (node.isArray()) {
                    node.forEach(e -> ids.add(e.get("id").asText()));
                    if (!key.equals(contract.allOrdersKey())) {
                        for (String id : ids) {
                            assertThat(creatorsOf(id, corpus)).as("creators of order %s, in list %s", id, key).contains(key);
                        }
                    }
                } else {
                    ids.add(node.get("id").asText());
                    assertThat(key).as("detail key of %s", node.get("id").asText())
                            .isIn(contract.detailKey(node.get("id").asText()), contract.adminDetailKey(node.get("id").asText()));
                }
                assertThat(ids).as("ids written to %s", key).doesNotContainAnyElementsOf(rejectedIds);
            }
        }
    }

    /** Every creator the order had in an applied record. */
    private Set<String> creatorsOf(String id, List<CorpusRecord> corpus) {
        Set<String> creators = new HashSet<>();
        for (Order o : goodImagesSeen) {
            if (o.id.equals(id)) {
                creators.add(o.creator);
            }
        }
        for (CorpusRecord c : corpus) {
            if (c.order != null && c.order.id.equals(id)) {
                creators.add(c.order.creator);
            }
        }
        return creators;
    }

    private static Map<String, String> expectedCache(CacheContract contract, int listMax, Iterable<Order> good,
                                                     List<CorpusRecord> corpus) {
        List<Order> cached = new ArrayList<>();
        good.forEach(cached::add);
        List<String> oversize = new ArrayList<>();
        for (CorpusRecord c : corpus) {
            if (c.order != null) {
                cached.add(c.order);
                if (RejectReason.VALUE_TOO_LARGE.name().equals(c.expect)) {
                    oversize.add(c.order.id);
                }
            }
        }
        Map<String, String> expected = contract.expectedCache(cached, listMax);
        for (String id : oversize) {
            // Deleted, not written: the lists still show the order's small summary.
            expected.remove(contract.detailKey(id));
            expected.remove(contract.adminDetailKey(id));
        }
        return expected;
    }

    /** Every order image a good record carried: an order may leave a list it was once in. */
    private final List<Order> goodImagesSeen = new ArrayList<>();

    /**
     * Good orders: inserts, status changes (some to COMPLETED), a creator change and removals. Fills
     * {@code finalOrders} with what the table holds at the end.
     */
    private List<RawStreamRecord> goodRecords(Map<String, Order> finalOrders) {
        List<RawStreamRecord> records = new ArrayList<>();
        Map<String, ObjectNode> images = new LinkedHashMap<>();
        long seq = 100_000_000_000_000_000L;
        for (int i = 1; i <= 24; i++) {
            String id = "good-" + i;
            ObjectNode image = StreamRecordJson.order(id, "10.0.0." + (i % 5 + 1),
                    String.format("2026-11-23T10:%02d:00.000Z", i), "WAITING ON CUSTOMER", null,
                    pizza("large", "thin", "red", "cheese", "basil"), pizza("small", "deep", "white"));
            images.put(id, image);
            records.add(insert(Long.toString(++seq), image));
        }
        for (int i = 1; i <= 24; i += 3) {
            String id = "good-" + i;
            ObjectNode before = images.get(id);
            ObjectNode after = before.deepCopy();
            after.set("status", StreamRecordJson.s(i % 2 == 0 ? "COMPLETED" : "IN PROGRESS"));
            after.set("lastUpdated", StreamRecordJson.s(String.format("2026-11-23T11:%02d:00.000Z", i)));
            if (i == 7) {
                after.set("creator", StreamRecordJson.s("10.0.0.99"));
            }
            images.put(id, after);
            records.add(modify(Long.toString(++seq), after, before));
        }
        for (String id : new String[] {"good-11", "good-12"}) {
            records.add(remove(Long.toString(++seq), images.remove(id)));
        }
        for (RawStreamRecord r : records) {
            JsonNode ddb = readTree(r.json).get("dynamodb");
            for (String side : new String[] {"NewImage", "OldImage"}) {
                if (ddb.has(side)) {
                    goodImagesSeen.add(orderOf(ddb.get(side)));
                }
            }
        }
        for (Map.Entry<String, ObjectNode> e : images.entrySet()) {
            finalOrders.put(e.getKey(), orderOf(e.getValue()));
        }
        return records;
    }

    /** The oracle's own reading of a well-formed image, independent of the job's parser. */
    private static Order orderOf(JsonNode image) {
        Order o = new Order();
        o.id = image.get("pk").get("S").asText();
        o.creator = image.get("creator").get("S").asText();
        o.createdAt = image.get("createdAt").get("S").asText();
        o.status = image.get("status").get("S").asText();
        o.numItems = Long.parseLong(image.get("numItems").get("N").asText());
        JsonNode items = image.get("items").get("L");
        o.items = new dev.ordercachesync.model.OrderItem[items.size()];
        for (int i = 0; i < items.size(); i++) {
            JsonNode m = items.get(i).get("M");
            JsonNode t = m.get("toppings").get("L");
            String[] toppings = new String[t.size()];
            for (int j = 0; j < t.size(); j++) {
                toppings[j] = t.get(j).get("S").asText();
            }
            o.items[i] = new dev.ordercachesync.model.OrderItem(m.get("size").get("S").asText(),
                    m.get("crust").get("S").asText(), m.get("sauce").get("S").asText(), toppings);
        }
        o.lastUpdated = image.has("lastUpdated") ? image.get("lastUpdated").get("S").asText() : null;
        return o;
    }

    private static List<CorpusRecord> loadCorpus() throws Exception {
        List<CorpusRecord> corpus = new ArrayList<>();
        try (InputStream in = DeadLetterCorpusTest.class.getResourceAsStream("/dead-letters/corpus.jsonl")) {
            assertThat(in).as("corpus on the test classpath").isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode entry = JSON.readTree(line);
                CorpusRecord c = new CorpusRecord();
                c.kind = entry.get("kind").asText();
                c.expect = entry.get("expect").asText();
                c.shardId = String.format("shardId-corpus-%03d", corpus.size());
                String json = entry.has("raw") ? entry.get("raw").asText() : JSON.writeValueAsString(entry.get("record"));
                JsonNode ddb = entry.has("record") ? entry.get("record").get("dynamodb") : null;
                // The source reports the record's own sequence number, when it has a usable one.
                String sequence = ddb != null && ddb.isObject() && ddb.has("SequenceNumber") && ddb.get("SequenceNumber").isTextual()
                        ? ddb.get("SequenceNumber").asText() : null;
                c.raw = new RawStreamRecord(json, c.shardId, sequence);
                c.orderId = orderIdOf(ddb);
                if (entry.hasNonNull("order")) {
                    c.order = JSON.treeToValue(entry.get("order"), Order.class);
                }
                corpus.add(c);
            }
        }
        assertThat(corpus.stream().map(c -> c.kind).distinct().count()).as("kinds are unique").isEqualTo(corpus.size());
        return corpus;
    }

    private static String orderIdOf(JsonNode ddb) {
        if (ddb == null || !ddb.isObject()) {
            return null;
        }
        for (String side : new String[] {"Keys", "NewImage", "OldImage"}) {
            JsonNode pk = ddb.path(side).path("pk").path("S");
            if (pk.isTextual()) {
                return pk.asText();
            }
        }
        return null;
    }

    private static boolean isRejection(String expect) {
        return !"ACCEPTED".equals(expect) && !"SKIPPED".equals(expect);
    }

    private static List<String> reasonNames() {
        List<String> names = new ArrayList<>();
        for (RejectReason r : RejectReason.values()) {
            names.add(r.name());
        }
        return names;
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
