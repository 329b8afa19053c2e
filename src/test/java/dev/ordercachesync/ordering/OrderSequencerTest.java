package dev.ordercachesync.ordering;

import dev.ordercachesync.testsupport.SequencerOutputs;
import dev.ordercachesync.model.ChangeKind;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.OrderItem;
import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.views.CacheContract;
import dev.ordercachesync.views.ListDelta;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OrderSequencerTest {
    private static final Duration TTL = Duration.ofHours(1);
    private static final Duration TOMBSTONE_RETENTION = Duration.ofHours(48);
    private final CacheContract contract = CacheContract.defaults();
    private KeyedOneInputStreamOperatorTestHarness<String, OrderChange, CacheMutation> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new OrderSequencer(contract, TTL, TOMBSTONE_RETENTION), c -> c.orderId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static Order order(String id, String creator, String status) {
        return new Order(id, creator, "2026-11-23T10:00:00Z", status, 1,
                new OrderItem[] {new OrderItem("large", "thin", "red", new String[] {"cheese"})}, null);
    }

    private void send(ChangeKind kind, String seq, Order newImage, Order oldImage) throws Exception {
        String id = newImage != null ? newImage.id : oldImage.id;
        harness.processElement(new OrderChange(kind, id, seq, "shard-1", newImage, oldImage), 0L);
    }

    private List<String> detailWrites() {
        return SequencerOutputs.detailWrites(harness);
    }

    private List<String> listDeltas() {
        return SequencerOutputs.listDeltas(harness);
    }

    @Test
    void appliesAChangeAsDetailWritesAndListDeltas() throws Exception {
        Order o = order("o1", "alice", "SUBMITTED");
        send(ChangeKind.INSERT, "100", o, null);

        assertThat(detailWrites()).containsExactly(
                "put o1 " + contract.renderDetail(o),
                "put ADMIN-o1 " + contract.renderAdminDetail(o));
        assertThat(listDeltas()).containsExactly(
                "upsert o1 SUBMITTED into all-orders",
                "upsert o1 SUBMITTED into alice");
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void dropsOlderAndRepeatedChangesComparedAsBigIntegers() throws Exception {
        // 9 > 10 as strings; as numbers it is older and must be dropped.
        send(ChangeKind.INSERT, "10", order("o1", "alice", "SUBMITTED"), null);
        detailWrites();
        listDeltas();

        send(ChangeKind.MODIFY, "9", order("o1", "alice", "WAITING ON CUSTOMER"), null);
        send(ChangeKind.MODIFY, "10", order("o1", "alice", "IN PROGRESS"), null);
        assertThat(detailWrites()).isEmpty();
        assertThat(listDeltas()).isEmpty();

        Order newer = order("o1", "alice", "IN PROGRESS");
        send(ChangeKind.MODIFY, "123456789012345678901234567890", newer, null);
        assertThat(detailWrites()).contains("put o1 " + contract.renderDetail(newer));
    }

    @Test
    void outOfOrderArrivalKeepsTheNewestState() throws Exception {
        Order submitted = order("o1", "alice", "SUBMITTED");
        Order completed = order("o1", "alice", "COMPLETED");
        send(ChangeKind.MODIFY, "300", completed, submitted);
        send(ChangeKind.MODIFY, "200", submitted, null);
        send(ChangeKind.INSERT, "100", order("o1", "alice", "WAITING ON CUSTOMER"), null);

        assertThat(detailWrites()).containsExactly(
                "put o1 " + contract.renderDetail(completed),
                "put ADMIN-o1 " + contract.renderAdminDetail(completed));
        assertThat(listDeltas()).containsExactly(
                "remove o1 from all-orders",
                "upsert o1 COMPLETED into alice");
    }

    @Test
    void creatorChangeMovesTheOrderBetweenLists() throws Exception {
        send(ChangeKind.INSERT, "1", order("o1", "alice", "SUBMITTED"), null);
        listDeltas();
        send(ChangeKind.MODIFY, "2", order("o1", "bob", "SUBMITTED"), order("o1", "alice", "SUBMITTED"));
        assertThat(listDeltas()).containsExactly(
                "upsert o1 SUBMITTED into all-orders",
                "remove o1 from alice",
                "upsert o1 SUBMITTED into bob");
    }

    @Test
    void removeDeletesDetailsAndLeavesBothListsUsingTheAppliedCreator() throws Exception {
        send(ChangeKind.INSERT, "1", order("o1", "alice", "SUBMITTED"), null);
        send(ChangeKind.MODIFY, "2", order("o1", "bob", "SUBMITTED"), null);
        detailWrites();
        listDeltas();
        // The old image names alice, but the cache last saw bob: the applied state wins.
        send(ChangeKind.REMOVE, "3", null, order("o1", "alice", "SUBMITTED"));
        assertThat(detailWrites()).containsExactly("delete o1", "delete ADMIN-o1");
        assertThat(listDeltas()).containsExactly("remove o1 from all-orders", "remove o1 from bob");
    }

    @Test
    void aStaleChangeCannotResurrectADeletedOrder() throws Exception {
        send(ChangeKind.INSERT, "1", order("o1", "alice", "SUBMITTED"), null);
        send(ChangeKind.REMOVE, "5", null, order("o1", "alice", "SUBMITTED"));
        detailWrites();
        listDeltas();

        send(ChangeKind.MODIFY, "4", order("o1", "alice", "IN PROGRESS"), null);
        send(ChangeKind.REMOVE, "5", null, order("o1", "alice", "SUBMITTED"));
        assertThat(detailWrites()).isEmpty();
        assertThat(listDeltas()).isEmpty();

        // A newer insert of the same id is a real re-creation.
        send(ChangeKind.INSERT, "6", order("o1", "carol", "WAITING ON CUSTOMER"), null);
        assertThat(detailWrites()).hasSize(2);
    }

    @Test
    void tombstonesExpireAfterTheirRetention() throws Exception {
        harness.setStateTtlProcessingTime(0);
        send(ChangeKind.REMOVE, "5", null, order("o1", "alice", "SUBMITTED"));
        detailWrites();
        listDeltas();

        harness.setStateTtlProcessingTime(TOMBSTONE_RETENTION.toMillis() - 1);
        send(ChangeKind.MODIFY, "4", order("o1", "alice", "IN PROGRESS"), null);
        assertThat(detailWrites()).as("tombstone still held").isEmpty();

        harness.setStateTtlProcessingTime(TOMBSTONE_RETENTION.toMillis() + 1);
        send(ChangeKind.MODIFY, "4", order("o1", "alice", "IN PROGRESS"), null);
        assertThat(detailWrites()).as("tombstone expired, state is gone").hasSize(2);
    }

    @Test
    void eachOrderIsSequencedIndependently() throws Exception {
        send(ChangeKind.INSERT, "100", order("o1", "alice", "SUBMITTED"), null);
        send(ChangeKind.INSERT, "50", order("o2", "alice", "SUBMITTED"), null);
        assertThat(detailWrites()).hasSize(4);
    }
}
