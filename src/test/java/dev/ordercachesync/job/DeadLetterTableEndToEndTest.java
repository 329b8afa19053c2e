package dev.ordercachesync.job;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.deadletter.DeadLetterCounters;
import dev.ordercachesync.deadletter.DeadLetterItems;
import dev.ordercachesync.deadletter.RejectReason;
import dev.ordercachesync.testsupport.CacheConvergence;
import dev.ordercachesync.testsupport.JobUnderTest;
import dev.ordercachesync.testsupport.LocalStack;
import dev.ordercachesync.testsupport.OrderTable;
import dev.ordercachesync.testsupport.TableOrders;
import dev.ordercachesync.views.CacheContract;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.ordercachesync.testsupport.OrderTable.n;
import static dev.ordercachesync.testsupport.OrderTable.pizza;
import static dev.ordercachesync.testsupport.OrderTable.s;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job on moto with a dead-letter table: items that DynamoDB stores but the job must
 * reject (wrong types, missing creator, reserved names, oversize views) each reach the table as one item
 * with its reason, and the table holds exactly as many items as the job counted dead letters.
 */
class DeadLetterTableEndToEndTest {
    private static final int PARALLELISM = 2;
    private static final String JOB_NAME = "dead-letter-table-e2e";
    private static final String DEAD_LETTER_TABLE = "OrderDeadLetters";
    private static final int MAX_VALUE_BYTES = 16_384;
    /** Completed orders with ids this long fill one creator's list past the bound, but not all-orders. */
    private static final int CROWDED_ORDERS = 17;
    private static final String CROWDED_CREATOR = "10.0.0.50";

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(PARALLELISM)
                    .build());

    @Test
    void theDeadLetterTableReceivesEveryDeadLetter() throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            DynamoDbClient ddb = stack.dynamoDb.client();
            createDeadLetterTable(ddb);

            Map<String, String> values = stack.jobParameters();
            values.put(JobParameters.PARALLELISM, Integer.toString(PARALLELISM));
            values.put(JobParameters.DEAD_LETTER_TABLE, DEAD_LETTER_TABLE);
            values.put(JobParameters.MAX_VALUE_BYTES, Integer.toString(MAX_VALUE_BYTES));
            JobParameters params = JobParameters.from(values);
            CacheContract contract = params.cacheContract();

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.enableCheckpointing(500);
            OrderCacheSyncPipeline.configure(env, params);
            Configuration noRestarts = new Configuration();
            noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            env.configure(noRestarts);
            OrderCacheSyncPipeline.build(env, params);
            JobClient job = env.executeAsync(JOB_NAME);
            try {
                // Items written during the scan would be dead-lettered twice, by the scan and by the stream.
                JobUnderTest.awaitBootstrapComplete(MINI_CLUSTER.getClientConfiguration(), job, params);
                Map<String, String> expectedReasons = writeItems(ddb);

                List<Order> orders = TableOrders.fromScan(ordersThatParse(stack.dynamoDb.scanAll(LocalStack.TABLE)));
                Map<String, String> want = contract.expectedCache(orders, params.listMaxEntries);
                // Deleted, not written: over the bound.
                want.remove("big-1");
                want.remove("ADMIN-big-1");
                want.remove(CROWDED_CREATOR);
                Map<String, String> cache = CacheConvergence.awaitEqual(
                        () -> want, stack::cacheContents, Duration.ofSeconds(90), Duration.ofSeconds(1));
                assertThat(cache).containsExactlyInAnyOrderEntriesOf(want);

                List<Map<String, AttributeValue>> letters = awaitDeadLetters(ddb, job, expectedReasons.size() + 1);
                Map<String, String> byOrder = new TreeMap<>();
                List<Map<String, AttributeValue>> listLetters = new ArrayList<>();
                for (Map<String, AttributeValue> item : letters) {
                    assertThat(item.get(DeadLetterItems.MESSAGE).s()).isNotBlank();
                    assertThat(Instant.parse(item.get(DeadLetterItems.TIME).s()).toEpochMilli())
                            .isEqualTo(Long.parseLong(item.get(DeadLetterItems.TIME_MILLIS).n()));
                    if (!item.containsKey(DeadLetterItems.ORDER_ID)) {
                        listLetters.add(item);
                        continue;
                    }
                    String orderId = item.get(DeadLetterItems.ORDER_ID).s();
                    assertThat(byOrder.put(orderId, item.get(DeadLetterItems.REASON).s()))
                            .as("one dead letter for %s", orderId).isNull();
                    assertThat(item.get(DeadLetterItems.PK).s()).as("pk of %s", orderId)
                            .isEqualTo(item.get(DeadLetterItems.SHARD_ID).s() + "#" + item.get(DeadLetterItems.SEQUENCE_NUMBER).s());
                    if (!RejectReason.VALUE_TOO_LARGE.name().equals(item.get(DeadLetterItems.REASON).s())) {
                        assertThat(item.get(DeadLetterItems.RAW).s()).as("raw of %s", orderId).contains(orderId)
                                .contains(item.get(DeadLetterItems.SEQUENCE_NUMBER).s());
                    }
                }
                assertThat(byOrder).as("one dead letter per bad item, with its reason").containsExactlyInAnyOrderEntriesOf(expectedReasons);
                assertThat(listLetters).as("the crowded list, from the list operator").isNotEmpty().allSatisfy(item -> {
                    assertThat(item.get(DeadLetterItems.REASON).s()).isEqualTo(RejectReason.VALUE_TOO_LARGE.name());
                    assertThat(item.get(DeadLetterItems.MESSAGE).s()).startsWith("list '" + CROWDED_CREATOR + "'");
                    assertThat(item).doesNotContainKeys(DeadLetterItems.SHARD_ID, DeadLetterItems.SEQUENCE_NUMBER);
                });
                assertThat((long) letters.size()).as("table items = dead letters the job counted")
                        .isEqualTo(deadLettersCounted(job));
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            } finally {
                job.cancel().get();
            }
        }
    }

    /** Writes good and bad items; returns the reason expected for each bad order id. */
    private static Map<String, String> writeItems(DynamoDbClient ddb) {
        Map<String, String> expected = new LinkedHashMap<>();
        List<AttributeValue> pizzas = List.of(pizza("large", "thin", "red", List.of("cheese")));
        for (int i = 1; i <= 4; i++) {
            put(ddb, OrderTable.order("good-" + i, "10.0.0." + i % 2, ts(i), OrderTable.STATUS_SUBMITTED, pizzas, null));
        }

        Map<String, AttributeValue> item = OrderTable.order("bad-numitems", "10.0.0.1", ts(10), "SUBMITTED", pizzas, null);
        item.put(OrderTable.NUM_ITEMS, s("one"));
        expected.put(put(ddb, item), RejectReason.WRONG_ATTRIBUTE_TYPE.name());

        item = OrderTable.order("bad-items", "10.0.0.1", ts(11), "SUBMITTED", pizzas, null);
        item.put(OrderTable.ITEMS, s("pepperoni"));
        expected.put(put(ddb, item), RejectReason.WRONG_ATTRIBUTE_TYPE.name());

        expected.put(put(ddb, OrderTable.order("bad-createdat", "10.0.0.1", "yesterday", "SUBMITTED", pizzas, null)),
                RejectReason.WRONG_ATTRIBUTE_TYPE.name());

        item = OrderTable.order("bad-nocreator", "x", ts(12), "SUBMITTED", pizzas, null);
        item.remove(OrderTable.CREATOR);
        expected.put(put(ddb, item), RejectReason.MISSING_CREATOR.name());

        item = OrderTable.order("bad-nostatus", "10.0.0.1", ts(13), "SUBMITTED", pizzas, null);
        item.remove(OrderTable.STATUS);
        expected.put(put(ddb, item), RejectReason.MISSING_ATTRIBUTE.name());

        expected.put(put(ddb, OrderTable.order("bad-allorders", "all-orders", ts(14), "SUBMITTED", pizzas, null)),
                RejectReason.RESERVED_CREATOR.name());
        expected.put(put(ddb, OrderTable.order("bad-admin", "ADMIN-good-1", ts(15), "SUBMITTED", pizzas, null)),
                RejectReason.RESERVED_CREATOR.name());
        expected.put(put(ddb, OrderTable.order("ADMIN-good-2", "10.0.0.1", ts(16), "SUBMITTED", pizzas, null)),
                RejectReason.RESERVED_ORDER_ID.name());
        expected.put(put(ddb, OrderTable.order("o".repeat(1020), "10.0.0.1", ts(17), "SUBMITTED", pizzas, null)),
                RejectReason.ORDER_ID_TOO_LONG.name());

        String topping = "t".repeat(MAX_VALUE_BYTES + 100);
        expected.put(put(ddb, OrderTable.order("big-1", "10.0.0.1", ts(18), "SUBMITTED",
                List.of(pizza("large", "thin", "red", List.of(topping))), null)), RejectReason.VALUE_TOO_LARGE.name());

        for (int i = 0; i < CROWDED_ORDERS; i++) {
            String id = String.format("crowded-%02d-", i) + "c".repeat(1000);
            put(ddb, OrderTable.order(id, CROWDED_CREATOR, ts(20 + i), OrderTable.STATUS_COMPLETED, pizzas, null));
        }
        return expected;
    }

    private static String put(DynamoDbClient ddb, Map<String, AttributeValue> item) {
        ddb.putItem(r -> r.tableName(LocalStack.TABLE).item(item));
        return item.get(OrderTable.PK).s();
    }

    private static String ts(int minute) {
        return String.format("2026-11-23T10:%02d:00.000Z", minute);
    }

    /** The table's items minus the ones the job rejects at parsing, read by the oracle's own reader. */
    private static List<Map<String, AttributeValue>> ordersThatParse(List<Map<String, AttributeValue>> items) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            String id = item.get(OrderTable.PK).s();
            if (id.startsWith("good-") || id.startsWith("big-") || id.startsWith("crowded-")) {
                out.add(item);
            }
        }
        return out;
    }

    private static void createDeadLetterTable(DynamoDbClient ddb) {
        ddb.createTable(r -> r.tableName(DEAD_LETTER_TABLE)
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName(DeadLetterItems.PK).attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(DeadLetterItems.PK).keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        ddb.waiter().waitUntilTableExists(r -> r.tableName(DEAD_LETTER_TABLE));
    }

    /** Waits until the table holds at least {@code atLeast} items and as many as the job counted. */
    private static List<Map<String, AttributeValue>> awaitDeadLetters(DynamoDbClient ddb, JobClient job, int atLeast)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Map<String, AttributeValue>> items = Collections.emptyList();
        while (System.nanoTime() < deadline) {
            items = ddb.scan(r -> r.tableName(DEAD_LETTER_TABLE).consistentRead(true)).items();
            if (items.size() >= atLeast && items.size() == deadLettersCounted(job)) {
                return items;
            }
            Thread.sleep(250);
        }
        return items;
    }

    /** The per-reason deadLetters counters of every operator and subtask, summed. */
    private static long deadLettersCounted(JobClient job) {
        long total = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> e : METRICS.getMetricsByGroup().entrySet()) {
            List<String> scope = Arrays.asList(e.getKey().getScopeComponents());
            Metric counter = e.getValue().get(DeadLetterCounters.COUNTER);
            if (scope.contains(JOB_NAME) && counter instanceof Counter) {
                total += ((Counter) counter).getCount();
            }
        }
        return total;
    }
}
