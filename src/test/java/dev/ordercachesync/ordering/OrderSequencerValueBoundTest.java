package dev.ordercachesync.ordering;

import dev.ordercachesync.testsupport.SideOutputs;
import dev.ordercachesync.model.ChangeKind;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.OrderItem;
import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.deadletter.DeadLetter;
import dev.ordercachesync.deadletter.RejectReason;
import dev.ordercachesync.views.CacheContract;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Detail views over the value bound are deleted, never written and never left stale, with one dead letter. */
class OrderSequencerValueBoundTest {
    private static final int MAX_VALUE_BYTES = 1024;
    private final CacheContract contract = new CacheContract("ADMIN-", "all-orders", MAX_VALUE_BYTES);
    private KeyedOneInputStreamOperatorTestHarness<String, OrderChange, CacheMutation> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new OrderSequencer(contract, Duration.ofHours(1), Duration.ofHours(48)), c -> c.orderId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** An order whose detail view is about {@code toppingChars} bytes plus ~130. */
    private static Order order(String creator, int toppingChars) {
        char[] topping = new char[toppingChars];
        Arrays.fill(topping, 'x');
        return new Order("o1", creator, "2026-11-23T10:00:00Z", "SUBMITTED", 1,
                new OrderItem[] {new OrderItem("large", "thin", "red", new String[] {new String(topping)})}, null);
    }

    private void send(ChangeKind kind, String seq, Order newImage, Order oldImage) throws Exception {
        harness.processElement(new OrderChange(kind, "o1", seq, "shard-7", newImage, oldImage), 0L);
    }

    private List<String> writes() {
        List<String> out = harness.extractOutputValues().stream()
                .map(m -> m.isDelete() ? "delete " + m.key : "put " + m.key)
                .collect(Collectors.toList());
        harness.getOutput().clear();
        return out;
    }

    private List<DeadLetter> deadLetters() {
        return SideOutputs.drain(harness, DeadLetter.OUTPUT);
    }

    private int listDeltaCount() {
        return SideOutputs.drain(harness, OrderSequencer.LIST_DELTAS).size();
    }

    @Test
    void anOversizeOrderLosesItsDetailKeysButKeepsItsListEntries() throws Exception {
        Order small = order("alice", 10);
        send(ChangeKind.INSERT, "100", small, null);
        assertThat(writes()).containsExactly("put o1", "put ADMIN-o1");
        assertThat(deadLetters()).isEmpty();
        listDeltaCount();

        Order big = order("alice", 2000);
        send(ChangeKind.MODIFY, "200", big, small);
        assertThat(writes()).as("the older, smaller value must not stay readable").containsExactly("delete o1", "delete ADMIN-o1");
        assertThat(listDeltaCount()).as("summaries are small and still right").isEqualTo(2);

        List<DeadLetter> letters = deadLetters();
        assertThat(letters).hasSize(1);
        DeadLetter d = letters.get(0);
        assertThat(d.reason).isEqualTo(RejectReason.VALUE_TOO_LARGE.name());
        assertThat(d.orderId).isEqualTo("o1");
        assertThat(d.shardId).isEqualTo("shard-7");
        assertThat(d.sequenceNumber).isEqualTo("200");
        assertThat(d.message).contains("key 'o1' is " + CacheContract.utf8Length(contract.renderDetail(big)) + " bytes")
                .contains("key 'ADMIN-o1'").contains("max-value-bytes 1024");

        send(ChangeKind.MODIFY, "300", small, big);
        assertThat(writes()).as("a change back under the bound writes again").containsExactly("put o1", "put ADMIN-o1");
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void onlyTheKeyOverTheBoundIsDeleted() throws Exception {
        // The admin view adds the creator, so it alone crosses the bound.
        Order almost = order("alice", 1);
        int detailBytes = CacheContract.utf8Length(contract.renderDetail(almost));
        Order o = order("c".repeat(60), MAX_VALUE_BYTES - detailBytes);
        assertThat(contract.fits(contract.renderDetail(o))).isTrue();
        assertThat(contract.fits(contract.renderAdminDetail(o))).isFalse();

        send(ChangeKind.INSERT, "100", o, null);
        assertThat(writes()).containsExactly("put o1", "delete ADMIN-o1");
        List<DeadLetter> letters = deadLetters();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).message).contains("ADMIN-o1").doesNotContain("key 'o1'");
    }

    @Test
    void aBlankOrHostileCreatorInAnOldImageNeverBecomesAListKey() throws Exception {
        // With no state for the order, the old image's creator is all the sequencer knows.
        String[] oldCreators = {"", "   ", "all-orders", "ADMIN-o2", "z".repeat(CacheContract.MAX_KEY_BYTES + 1)};
        for (int i = 0; i < oldCreators.length; i++) {
            Order now = order("alice", 1);
            now.id = "o-" + i;
            Order before = order(oldCreators[i], 1);
            before.id = now.id;
            harness.processElement(new OrderChange(ChangeKind.MODIFY, now.id, "100", "shard-7", now, before), 0L);
            List<String> lists = SideOutputs.drain(harness, OrderSequencer.LIST_DELTAS).stream()
                    .map(d -> d.listKey).collect(Collectors.toList());
            assertThat(lists).as("old creator #%d", i).containsExactlyInAnyOrder("all-orders", "alice");
        }
    }
}
