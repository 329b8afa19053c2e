package dev.ordercachesync.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.job.OrderCacheSyncPipeline;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.sink.MomentoConnection;
import dev.ordercachesync.testsupport.CacheConvergence;
import dev.ordercachesync.testsupport.ItemKey;
import dev.ordercachesync.testsupport.LocalStack;
import dev.ordercachesync.testsupport.OrderTable;
import dev.ordercachesync.testsupport.OrderWorkload;
import dev.ordercachesync.testsupport.TableOrders;
import dev.ordercachesync.testsupport.WorkloadStep;
import dev.ordercachesync.views.CacheContract;
import momento.sdk.CacheClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * verify against moto and the loopback Momento server, through the real SDKs. The cache is
 * written once by the real job on a MiniCluster; each test starts from that cache, corrupts it in one
 * controlled way and checks that exactly the corrupted keys are named.
 */
class CacheVerifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CacheContract CONTRACT = CacheContract.defaults();
    private static final int MAX_LIST = 5000;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static LocalStack stack;
    private static OrderWorkload workload;
    private static Map<String, String> jobWrittenCache;
    private static CacheClient writer;

    @TempDir
    Path tmp;

    @BeforeAll
    static void jobWritesTheCache() throws Exception {
        stack = LocalStack.start();
        Map<String, String> values = stack.jobParameters();
        values.put(JobParameters.PARALLELISM, "2");
        JobParameters params = JobParameters.from(values);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(500);
        OrderCacheSyncPipeline.configure(env, params);
        OrderCacheSyncPipeline.build(env, params);
        JobClient job = env.executeAsync("order-cache-sync-verify-test");
        try {
            workload = new OrderWorkload(80, 10, 7L);
            OrderWorkload.Summary summary = workload.run(stack.dynamoDb.client(), LocalStack.TABLE);
            assertThat(summary.ordersDeleted()).isPositive();
            Supplier<Map<String, String>> oracle = () -> CONTRACT.expectedCache(
                    TableOrders.fromScan(stack.dynamoDb.scanAll(LocalStack.TABLE)), MAX_LIST);
            jobWrittenCache = CacheConvergence.awaitEqual(oracle, stack::cacheContents,
                    Duration.ofSeconds(90), Duration.ofSeconds(1));
            assertThat(jobWrittenCache).as("the job converged").isEqualTo(oracle.get());
        } finally {
            // Stopped so that nothing but the tests touches the cache from here on.
            job.cancel().get();
        }
        writer = MomentoConnection.local(LocalStack.CACHE, "127.0.0.1", stack.momento.port(),
                Duration.ofSeconds(5), Duration.ofHours(1)).openClient();
    }

    @AfterAll
    static void stop() {
        if (writer != null) {
            writer.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** Every test starts from the job's cache and the workload's table. */
    @BeforeEach
    void restore() {
        for (String key : stack.cacheContents().keySet()) {
            if (!jobWrittenCache.containsKey(key)) {
                writer.delete(LocalStack.CACHE, key).join();
            }
        }
        jobWrittenCache.forEach(this::set);
        assertThat(stack.cacheContents()).isEqualTo(jobWrittenCache);
    }

    @Test
    void cacheWrittenByTheJobHasNoDivergence() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = VerifyCommand.run(commandLine(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("RESULT: CONSISTENT").doesNotContain("DIVERGENT ");
        assertThat(status).isEqualTo(VerifyReport.CONSISTENT);

        VerifyReport report = verify();
        assertThat(report.divergentKeys()).isEmpty();
        assertThat(report.unsettledKeys()).isEmpty();
        assertThat(report.unreadableKeys()).isEmpty();
        assertThat(report.notCheckedKeys()).isEmpty();
        assertThat(report.settledKeys()).isEmpty();
        assertThat(report.ordersScanned()).isEqualTo(workload.expectedOrders().size());
        assertThat(report.keysChecked() - report.keysExpectedAbsent()).isEqualTo(jobWrittenCache.size());
        assertThat(report.keysExpectedAbsent()).as("details of ids with items but no order, e.g. deleted orders' item#1 rows")
                .isPositive();
    }

    @Test
    void namesAMissingKey() throws Exception {
        Order order = liveOrders().get(3);
        writer.delete(LocalStack.CACHE, order.id).join();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = VerifyCommand.run(commandLine(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).isEqualTo(VerifyReport.DIVERGENT);
        assertThat(printed).contains("DIVERGENT " + order.id + "  (detail of order " + order.id + ")")
                .contains("    missing").contains("RESULT: DIVERGENT");
        assertThat(verify().divergentKeys()).containsExactly(order.id);
    }

    @Test
    void namesAStaleValue() throws Exception {
        Order order = liveOrders().stream()
                .filter(o -> !OrderTable.STATUS_WAITING.equals(o.status)).findFirst().orElseThrow();
        Order older = copy(order);
        older.status = OrderTable.STATUS_WAITING;
        set(CONTRACT.adminDetailKey(order.id), CONTRACT.renderAdminDetail(older));

        VerifyReport report = verify();
        assertThat(report.divergentKeys()).containsExactly(CONTRACT.adminDetailKey(order.id));
        assertThat(report.divergent.get(0).lines)
                .containsExactly("status: expected \"" + order.status + "\", actual \"WAITING ON CUSTOMER\"");
    }

    @Test
    void namesADuplicatedListEntry() throws Exception {
        String creator = creatorWithOrders(2);
        ArrayNode list = (ArrayNode) JSON.readTree(jobWrittenCache.get(creator));
        String firstId = list.get(0).get("id").asText();
        list.insert(0, list.get(0).deepCopy());
        set(creator, JSON.writeValueAsString(list));

        VerifyReport report = verify();
        assertThat(report.divergentKeys()).containsExactly(creator);
        assertThat(report.divergent.get(0).lines).containsExactly("duplicated entries: " + firstId + " (x2)");
    }

    @Test
    void namesAListInTheWrongOrder() throws Exception {
        ArrayNode list = (ArrayNode) JSON.readTree(jobWrittenCache.get(CONTRACT.allOrdersKey()));
        assertThat(list.size()).isGreaterThan(3);
        ObjectNode second = (ObjectNode) list.get(1).deepCopy();
        list.set(1, list.get(2).deepCopy());
        list.set(2, second);
        set(CONTRACT.allOrdersKey(), JSON.writeValueAsString(list));

        VerifyReport report = verify();
        assertThat(report.divergentKeys()).containsExactly(CONTRACT.allOrdersKey());
        assertThat(report.divergent.get(0).lines).hasSize(1);
        assertThat(report.divergent.get(0).lines.get(0)).startsWith("out of order").contains("from position 2");
    }

    @Test
    void namesDetailKeysLeftBehindByADeletedOrderOnlyWhenItsIdIsKnown() throws Exception {
        String deleted = deletedIdWithoutTrace();
        Order ghost = ghost(deleted, "10.0.0.9");
        set(CONTRACT.detailKey(deleted), CONTRACT.renderDetail(ghost));
        set(CONTRACT.adminDetailKey(deleted), CONTRACT.renderAdminDetail(ghost));

        // Nothing in the table or the cache names the id: Momento cannot list keys, so it stays unseen.
        assertThat(verify().divergentKeys()).isEmpty();

        Path ids = tmp.resolve("deleted-ids.txt");
        Files.write(ids, Arrays.asList("# ids of deleted orders", deleted));
        VerifyReport report = verify("--ids", ids.toString());
        assertThat(report.divergentKeys()).containsExactlyInAnyOrder(
                CONTRACT.detailKey(deleted), CONTRACT.adminDetailKey(deleted));
        assertThat(report.divergent.get(0).lines.get(0)).startsWith("should not exist");
    }

    @Test
    void followsAListEntryLeftBehindToTheDetailAndCreatorListKeysOfADeletedOrder() throws Exception {
        String deleted = deletedIdWithoutTrace();
        String goneCreator = "customer-gone";
        Order ghost = ghost(deleted, goneCreator);
        set(CONTRACT.detailKey(deleted), CONTRACT.renderDetail(ghost));
        set(CONTRACT.adminDetailKey(deleted), CONTRACT.renderAdminDetail(ghost));
        set(goneCreator, CONTRACT.renderList(Collections.singletonList(CacheContract.summaryOf(ghost)), MAX_LIST));
        List<Order> withGhost = new ArrayList<>(liveOrders());
        withGhost.add(ghost);
        set(CONTRACT.allOrdersKey(), CONTRACT.expectedCache(withGhost, MAX_LIST).get(CONTRACT.allOrdersKey()));

        VerifyReport report = verify();
        assertThat(report.divergentKeys()).containsExactlyInAnyOrder(CONTRACT.allOrdersKey(),
                CONTRACT.detailKey(deleted), CONTRACT.adminDetailKey(deleted), goneCreator);
        VerifyReport.Divergence allOrders = report.divergent.stream()
                .filter(d -> d.key.equals(CONTRACT.allOrdersKey())).findFirst().orElseThrow();
        assertThat(allOrders.lines).containsExactly("unexpected entries: " + deleted);
    }

    @Test
    void settlesKeysWhoseOrderChangedDuringTheCheckWhenTheJobCaughtUp() throws Exception {
        Order order = liveOrders().stream()
                .filter(o -> OrderTable.STATUS_IN_PROGRESS.equals(o.status)).findFirst().orElseThrow();
        // The job would write the new views right after the change; here the test does, during the scan.
        Runnable changeAndSync = () -> {
            complete(order.id);
            Map<String, String> now = CONTRACT.expectedCache(
                    TableOrders.fromScan(stack.dynamoDb.scanAll(LocalStack.TABLE)), MAX_LIST);
            now.forEach(this::set);
        };
        try {
            VerifyReport report = verifyWithChangeAfterScan(changeAndSync);
            assertThat(report.divergentKeys()).isEmpty();
            assertThat(report.unsettledKeys()).isEmpty();
            assertThat(report.settledKeys()).contains(CONTRACT.detailKey(order.id), CONTRACT.adminDetailKey(order.id),
                    CONTRACT.allOrdersKey(), CONTRACT.creatorListKey(order.creator));
            assertThat(report.ordersChangedDuringCheck()).containsExactly(order.id);
            assertThat(report.exitStatus()).isEqualTo(VerifyReport.CONSISTENT);
        } finally {
            restoreTableItem(order.id);
        }
    }

    @Test
    void callsKeysDivergentOnceTheirOrderStopsChangingAndTheCacheStillDiffers() throws Exception {
        Order order = liveOrders().stream()
                .filter(o -> OrderTable.STATUS_IN_PROGRESS.equals(o.status)).findFirst().orElseThrow();
        // The job is gone: the table moves on twice (once before, once during the check), the cache never.
        setStatus(order.id, OrderTable.STATUS_REJECTED, "2030-01-01T00:00:00.000Z");
        try {
            VerifyReport report = verifyWithChangeAfterScan(() -> complete(order.id));
            assertThat(report.ordersChangedDuringCheck()).containsExactly(order.id);
            assertThat(report.divergentKeys()).containsExactlyInAnyOrder(CONTRACT.detailKey(order.id),
                    CONTRACT.adminDetailKey(order.id), CONTRACT.allOrdersKey(), CONTRACT.creatorListKey(order.creator));
            assertThat(report.settledKeys()).isEmpty();
            assertThat(report.exitStatus()).isEqualTo(VerifyReport.DIVERGENT);
        } finally {
            restoreTableItem(order.id);
        }
    }

    @Test
    void leavesOrdersTheJobRejectsUncheckedAndSaysSo() throws Exception {
        Order template = liveOrders().get(0);
        String id = "order-without-creator";
        Map<String, AttributeValue> item = new LinkedHashMap<>(
                workload.expectedTable().get(new ItemKey(template.id, OrderTable.SK_METADATA)));
        item.put(OrderTable.PK, OrderTable.s(id));
        item.remove(OrderTable.CREATOR);
        stack.dynamoDb.client().putItem(r -> r.tableName(LocalStack.TABLE).item(item));
        try {
            VerifyReport report = verify();
            assertThat(report.divergentKeys()).isEmpty();
            assertThat(report.notCheckedKeys()).containsOnlyKeys(CONTRACT.detailKey(id), CONTRACT.adminDetailKey(id));
            assertThat(report.rejected).containsOnlyKeys(id);
            assertThat(report.rejected.get(id)).startsWith("MISSING_CREATOR");
        } finally {
            stack.dynamoDb.client().deleteItem(r -> r.tableName(LocalStack.TABLE)
                    .key(new ItemKey(id, OrderTable.SK_METADATA).toAttributes()));
        }
    }

    // ------------------------------------------------------------------ helpers

    private String[] commandLine(String... more) {
        List<String> args = new ArrayList<>(Arrays.asList(
                "--table", LocalStack.TABLE,
                "--aws-endpoint", stack.dynamoDb.endpoint().toString(),
                "--aws-credentials", "local-dummy",
                "--momento-local-endpoint", "127.0.0.1:" + stack.momento.port(),
                "--momento-cache-name", LocalStack.CACHE,
                "--scan-page-size", "25",
                "--scan-read-units-per-second", "100000",
                "--cache-reads-per-second", "100000",
                "--recheck-delay", "50ms"));
        args.addAll(Arrays.asList(more));
        return args.toArray(new String[0]);
    }

    private VerifyReport verify(String... more) throws InterruptedException {
        return VerifyCommand.verify(VerifyOptions.parse(commandLine(more)));
    }

    /** The same check, with {@code afterScan} run between the scan and the first cache read. */
    private VerifyReport verifyWithChangeAfterScan(Runnable afterScan) throws InterruptedException {
        VerifyOptions o = VerifyOptions.parse(commandLine());
        try (CacheReader cache = new MomentoCacheReader(MomentoConnection.local(LocalStack.CACHE, "127.0.0.1",
                stack.momento.port(), Duration.ofSeconds(5), Duration.ofHours(1)).openClient(), LocalStack.CACHE, 4, 100_000, 3)) {
            TableReader real = new DynamoDbTableReader(stack.dynamoDb.client(), LocalStack.TABLE, 2, 25, true, 100_000);
            TableReader changing = new TableReader() {
                @Override
                public Scan scan() throws InterruptedException {
                    Scan scan = real.scan();
                    afterScan.run();
                    return scan;
                }

                @Override
                public Map<String, AttributeValue> orderItem(String orderId) throws InterruptedException {
                    return real.orderItem(orderId);
                }
            };
            return new CacheVerifier(changing, cache, CONTRACT, MAX_LIST, Collections.emptyList(),
                    Collections.emptyList(), Duration.ofMillis(50), 3).run();
        }
    }

    private void complete(String orderId) {
        setStatus(orderId, OrderTable.STATUS_COMPLETED, "2030-01-01T00:00:05.000Z");
    }

    private void setStatus(String orderId, String status, String lastUpdated) {
        Map<String, AttributeValue> set = new LinkedHashMap<>();
        set.put(OrderTable.STATUS, OrderTable.s(status));
        set.put(OrderTable.LAST_UPDATED, OrderTable.s(lastUpdated));
        WorkloadStep.update(new ItemKey(orderId, OrderTable.SK_METADATA), set, status)
                .apply(stack.dynamoDb.client(), LocalStack.TABLE);
    }

    private void restoreTableItem(String orderId) {
        Map<String, AttributeValue> item = workload.expectedTable().get(new ItemKey(orderId, OrderTable.SK_METADATA));
        stack.dynamoDb.client().putItem(r -> r.tableName(LocalStack.TABLE).item(item));
    }

    private void set(String key, String value) {
        writer.set(LocalStack.CACHE, key, value, Duration.ofHours(1)).join();
    }

    private static List<Order> liveOrders() {
        List<Order> orders = TableOrders.fromScan(stack.dynamoDb.scanAll(LocalStack.TABLE));
        orders.sort((a, b) -> a.id.compareTo(b.id));
        return orders;
    }

    private static String creatorWithOrders(int atLeast) {
        Map<String, Long> counts = liveOrders().stream()
                .collect(Collectors.groupingBy(o -> o.creator, Collectors.counting()));
        return counts.entrySet().stream().filter(e -> e.getValue() >= atLeast)
                .map(Map.Entry::getKey).sorted().findFirst().orElseThrow();
    }

    /** A deleted order whose id no item of the table carries any more. */
    private static String deletedIdWithoutTrace() {
        Set<String> pks = new TreeSet<>();
        for (Map<String, AttributeValue> item : stack.dynamoDb.scanAll(LocalStack.TABLE)) {
            pks.add(item.get(OrderTable.PK).s());
        }
        return workload.orderIds().stream().filter(id -> !pks.contains(id)).findFirst().orElseThrow();
    }

    private static Order ghost(String id, String creator) {
        Order template = liveOrders().get(0);
        Order ghost = copy(template);
        ghost.id = id;
        ghost.creator = creator;
        ghost.status = OrderTable.STATUS_SUBMITTED;
        return ghost;
    }

    private static Order copy(Order o) {
        return new Order(o.id, o.creator, o.createdAt, o.status, o.numItems, o.items, o.lastUpdated);
    }
}
