package dev.ordercachesync.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Proves the test support the end-to-end tests stand on: moto reachable over HTTP, the workshop table, a workload
 * that writes exactly what it reports, and a stream that carries every write, in order, with both images. One test
 * pins where moto's stream differs from DynamoDB's (the README's testing section lists them), so that a moto
 * upgrade that changes them is noticed.
 */
class EmbeddedDynamoDbTest {

    private static EmbeddedDynamoDb ddb;

    @BeforeAll
    static void startDynamoDb() {
        ddb = EmbeddedDynamoDb.start();
    }

    @AfterAll
    static void stopDynamoDb() {
        if (ddb != null) {
            ddb.close();
        }
    }

    @Test
    void createsTheWorkshopTableWithStreamAndTypeIndex() {
        String streamArn = ddb.createOrderTable("OrderTableLayout");

        assertThat(ddb.endpoint().toString()).isEqualTo("http://127.0.0.1:" + ddb.port());
        assertThat(streamArn).startsWith("arn:aws:dynamodb:us-east-1:123456789012:table/OrderTableLayout/stream/");
        TableDescription table = ddb.client().describeTable(r -> r.tableName("OrderTableLayout")).table();
        assertThat(table.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(table.globalSecondaryIndexes()).singleElement().satisfies(index -> {
            assertThat(index.indexName()).isEqualTo(OrderTable.TYPE_INDEX);
            assertThat(index.keySchema()).extracting(k -> k.attributeName())
                    .containsExactly(OrderTable.TYPE, OrderTable.CREATOR);
        });
        assertThat(ddb.scanAll("OrderTableLayout")).isEmpty();
    }

    /**
     * What the README says of moto's stream, checked: one shard per table that never closes or splits, with the
     * same id in every table and no parent; sequence numbers that count up by one from a fixed 22-digit start
     * (DynamoDB's are 21 to 40 digits, increase but skip, and differ per shard); ApproximateCreationDateTime with
     * milliseconds (DynamoDB rounds it down to the second); a stream that cannot be enabled again once disabled.
     * And the one correction the launcher makes: DescribeStream honours ExclusiveStartShardId.
     */
    @Test
    void motosStreamDiffersFromDynamoDbsAsTheReadmeSays() {
        String first = ddb.createOrderTable("OrderTableMotoA");
        String second = ddb.createOrderTable("OrderTableMotoB");
        for (int i = 0; i < 3; i++) {
            String id = "moto-" + i;
            ddb.client().putItem(r -> r.tableName("OrderTableMotoA").item(Map.of(
                    OrderTable.PK, AttributeValue.fromS(id), OrderTable.SK, AttributeValue.fromS("metadata"))));
        }

        Shard shardA = ddb.streamsClient().describeStream(r -> r.streamArn(first)).streamDescription().shards().get(0);
        Shard shardB = ddb.streamsClient().describeStream(r -> r.streamArn(second)).streamDescription().shards().get(0);
        assertThat(ddb.streamsClient().describeStream(r -> r.streamArn(first)).streamDescription().shards()).hasSize(1);
        assertThat(shardA.shardId()).isEqualTo(shardB.shardId()).isEqualTo("shardId-00000001541626099285-f35f62ef");
        assertThat(shardA.parentShardId()).isNull();
        assertThat(shardA.sequenceNumberRange().endingSequenceNumber()).as("the shard never closes").isNull();
        // moto itself lists the shard again here; the launcher makes it list only later shards, as DynamoDB does.
        assertThat(ddb.streamsClient().describeStream(r -> r.streamArn(first).exclusiveStartShardId(shardA.shardId()))
                .streamDescription().shards()).isEmpty();

        List<Record> records = readWholeStream(ddb.streamsClient(), first);
        assertThat(records).extracting(r -> r.dynamodb().sequenceNumber())
                .containsExactly("1100000000017454423009", "1100000000017454423010", "1100000000017454423011");
        assertThat(records).anySatisfy(r -> assertThat(r.dynamodb().approximateCreationDateTime().getNano())
                .as("sub-second part of ApproximateCreationDateTime").isNotZero());

        ddb.client().updateTable(r -> r.tableName("OrderTableMotoB").streamSpecification(s -> s.streamEnabled(false)));
        assertThatThrownBy(() -> ddb.client().updateTable(r -> r.tableName("OrderTableMotoB").streamSpecification(
                s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES))))
                .hasMessageContaining("Cannot enable stream");
    }

    @Test
    void workloadIsDeterministicAndExercisesTheCasesTheJobMustHandle() {
        OrderWorkload workload = OrderWorkload.standard();
        OrderWorkload again = OrderWorkload.standard();
        OrderWorkload other = new OrderWorkload(OrderWorkload.DEFAULT_ORDERS, OrderWorkload.DEFAULT_CREATORS, 7L);

        assertThat(describe(again.steps())).isEqualTo(describe(workload.steps()));
        assertThat(again.expectedTable()).isEqualTo(workload.expectedTable());
        assertThat(describe(other.steps())).isNotEqualTo(describe(workload.steps()));

        OrderWorkload.Summary summary = workload.summary();
        assertThat(summary.ordersCreated()).isEqualTo(200);
        assertThat(summary.ordersDeleted()).isBetween(15, 45);
        assertThat(summary.nonOrderItems()).isGreaterThanOrEqualTo(5);
        assertThat(summary.total()).isEqualTo(workload.steps().size());
        assertThat(workload.expectedOrders()).hasSize(200 - summary.ordersDeleted());

        // both kinds of creator, and orders that changed creator
        assertThat(workload.creators()).hasSize(12).anyMatch(c -> c.startsWith("10.0.0."))
                .anyMatch(c -> c.startsWith("customer-"));
        assertThat(workload.steps()).anyMatch(step -> step.description().equals("change creator"));
        // every status is some order's final status
        Set<String> finalStatuses = new HashSet<>();
        workload.expectedOrders().values().forEach(order -> finalStatuses.add(order.get(OrderTable.STATUS).s()));
        assertThat(finalStatuses).containsExactlyInAnyOrderElementsOf(OrderTable.STATUSES);
        // createdAt ties between different orders of the same creator
        Map<String, Set<String>> idsByCreatorAndCreatedAt = new HashMap<>();
        for (WorkloadStep step : workload.steps()) {
            if (step.kind() == WorkloadStep.Kind.INSERT && OrderTable.isOrder(step.attributes())) {
                String creatorAndTime = step.attributes().get(OrderTable.CREATOR).s() + " "
                        + step.attributes().get(OrderTable.CREATED_AT).s();
                idsByCreatorAndCreatedAt.computeIfAbsent(creatorAndTime, k -> new HashSet<>()).add(step.key().pk());
            }
        }
        assertThat(idsByCreatorAndCreatedAt.values()).filteredOn(ids -> ids.size() > 1).hasSizeGreaterThan(10);
        // changes of many orders in flight, including across the split
        Set<String> firstHalfOrders = pks(workload.firstHalf());
        Set<String> secondHalfOrders = pks(workload.secondHalf());
        firstHalfOrders.retainAll(secondHalfOrders);
        assertThat(firstHalfOrders).hasSizeGreaterThan(5);
        assertThat(maxOrdersInFlight(workload.steps())).isGreaterThan(8);
    }

    @Test
    void workloadWritesWhatItReportsAndTheStreamCarriesEveryWrite() {
        String streamArn = ddb.createOrderTable("OrderTableWorkload");
        OrderWorkload workload = new OrderWorkload(60, 6, 11L);

        OrderWorkload.Summary first = workload.runFirstHalf(ddb.client(), "OrderTableWorkload");
        assertThat(tableByKey(ddb.scanAll("OrderTableWorkload")))
                .isEqualTo(workload.expectedTableAfter(workload.splitIndex()));
        OrderWorkload.Summary second = workload.runSecondHalf(ddb.client(), "OrderTableWorkload");

        // (a) the table holds what the workload says it wrote
        assertThat(first.total() + second.total()).isEqualTo(workload.steps().size());
        assertThat(first.puts() + second.puts()).isEqualTo(workload.summary().puts());
        assertThat(first.deletes() + second.deletes()).isEqualTo(workload.summary().deletes());
        List<Map<String, AttributeValue>> scanned = ddb.scanAll("OrderTableWorkload");
        assertThat(tableByKey(scanned)).isEqualTo(workload.expectedTable());
        assertThat(WorkloadStep.ordersById(scanned)).isEqualTo(workload.expectedOrders());

        // (b) the stream has one record per write, in write order, with the images NEW_AND_OLD_IMAGES promises
        List<Record> records = readWholeStream(ddb.streamsClient(), streamArn);
        OrderWorkload.Summary all = workload.summary();
        Map<OperationType, Integer> byEvent = new EnumMap<>(OperationType.class);
        records.forEach(r -> byEvent.merge(r.eventName(), 1, Integer::sum));
        assertThat(byEvent).containsEntry(OperationType.INSERT, all.expectedInsertRecords())
                .containsEntry(OperationType.MODIFY, all.expectedModifyRecords())
                .containsEntry(OperationType.REMOVE, all.expectedRemoveRecords());

        Map<ItemKey, Map<String, AttributeValue>> replayed = new TreeMap<>();
        for (int i = 0; i < records.size(); i++) {
            Record record = records.get(i);
            StreamRecord change = record.dynamodb();
            WorkloadStep step = workload.steps().get(i);
            assertThat(record.eventSource()).isEqualTo("aws:dynamodb");
            assertThat(change.streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
            assertThat(ItemKey.of(change.keys())).as("record %d", i).isEqualTo(step.key());
            assertThat(change.hasOldImage() ? change.oldImage() : null).as("old image of record %d", i)
                    .isEqualTo(replayed.get(step.key()));
            switch (record.eventName()) {
                case INSERT:
                    assertThat(change.hasOldImage()).isFalse();
                    assertThat(change.hasNewImage()).isTrue();
                    replayed.put(step.key(), change.newImage());
                    break;
                case MODIFY:
                    assertThat(change.hasOldImage()).isTrue();
                    assertThat(change.hasNewImage()).isTrue();
                    replayed.put(step.key(), change.newImage());
                    break;
                case REMOVE:
                    assertThat(change.hasOldImage()).isTrue();
                    assertThat(change.hasNewImage()).isFalse();
                    replayed.remove(step.key());
                    break;
                default:
                    throw new AssertionError("Unexpected event " + record.eventName());
            }
            assertThat(replayed).as("table after record %d", i).isEqualTo(workload.expectedTableAfter(i + 1));
        }
        assertThat(replayed).isEqualTo(tableByKey(scanned));
    }

    // ------------------------------------------------------------------------------------------ stream probe

    /**
     * DescribeStream → every shard, parents before children → GetShardIterator(TRIM_HORIZON) → GetRecords until a
     * call returns nothing. Checks sequence numbers strictly increase within each shard.
     */
    private static List<Record> readWholeStream(DynamoDbStreamsClient streams, String streamArn) {
        List<Shard> shards = new ArrayList<>();
        String lastShardId = null;
        do {
            String exclusiveStart = lastShardId;
            DescribeStreamResponse page = streams.describeStream(r -> r.streamArn(streamArn)
                    .exclusiveStartShardId(exclusiveStart));
            shards.addAll(page.streamDescription().shards());
            lastShardId = page.streamDescription().lastEvaluatedShardId();
        } while (lastShardId != null);
        assertThat(shards).isNotEmpty();

        List<Record> records = new ArrayList<>();
        for (Shard shard : parentsFirst(shards)) {
            String iterator = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            BigInteger previous = null;
            for (int call = 0; iterator != null; call++) {
                assertThat(call).as("GetRecords calls on %s", shard.shardId()).isLessThan(10_000);
                String current = iterator;
                GetRecordsResponse page = streams.getRecords(r -> r.shardIterator(current));
                for (Record record : page.records()) {
                    BigInteger sequence = new BigInteger(record.dynamodb().sequenceNumber());
                    if (previous != null) {
                        assertThat(sequence).as("sequence number in %s", shard.shardId()).isGreaterThan(previous);
                    }
                    previous = sequence;
                    records.add(record);
                }
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
        return records;
    }

    private static List<Shard> parentsFirst(List<Shard> shards) {
        Map<String, Shard> byId = new LinkedHashMap<>();
        shards.forEach(shard -> byId.put(shard.shardId(), shard));
        List<Shard> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (Shard shard : shards) {
            place(shard, byId, placed, ordered);
        }
        return ordered;
    }

    private static void place(Shard shard, Map<String, Shard> byId, Set<String> placed, List<Shard> ordered) {
        if (placed.contains(shard.shardId())) {
            return;
        }
        Shard parent = shard.parentShardId() == null ? null : byId.get(shard.parentShardId());
        if (parent != null) {
            place(parent, byId, placed, ordered);
        }
        placed.add(shard.shardId());
        ordered.add(shard);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static Map<ItemKey, Map<String, AttributeValue>> tableByKey(List<Map<String, AttributeValue>> items) {
        Map<ItemKey, Map<String, AttributeValue>> table = new TreeMap<>();
        items.forEach(item -> table.put(ItemKey.of(item), item));
        return table;
    }

    private static List<String> describe(List<WorkloadStep> steps) {
        List<String> described = new ArrayList<>();
        steps.forEach(step -> described.add(step + " " + step.attributes()));
        return described;
    }

    private static Set<String> pks(List<WorkloadStep> steps) {
        Set<String> pks = new HashSet<>();
        steps.forEach(step -> pks.add(step.key().pk()));
        return pks;
    }

    /** Most orders created and not yet at their last step, at any point of the step list. */
    private static int maxOrdersInFlight(List<WorkloadStep> steps) {
        Map<String, Integer> lastStep = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            lastStep.put(steps.get(i).key().pk(), i);
        }
        Set<String> open = new HashSet<>();
        int max = 0;
        for (int i = 0; i < steps.size(); i++) {
            String pk = steps.get(i).key().pk();
            open.add(pk);
            max = Math.max(max, open.size());
            if (lastStep.get(pk) == i) {
                open.remove(pk);
            }
        }
        return max;
    }
}
