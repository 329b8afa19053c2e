package dev.ordercachesync.views;

import dev.ordercachesync.testsupport.SideOutputs;
import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.deadletter.DeadLetter;
import dev.ordercachesync.deadletter.RejectReason;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A list that renders over the value bound is deleted, not written and not left stale, with a dead letter. */
class ListViewMaterializerValueBoundTest {
    private static final Duration FLUSH = Duration.ofMillis(100);
    private static final Duration TTL = Duration.ofMinutes(10);
    private static final int MAX_VALUE_BYTES = 1024;
    private final CacheContract contract = new CacheContract("ADMIN-", "all-orders", MAX_VALUE_BYTES);
    private KeyedOneInputStreamOperatorTestHarness<String, ListDelta, CacheMutation> harness;
    private long now = 1_000;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new ListViewMaterializer(contract, 1000, FLUSH, TTL, 1_000_000), d -> d.listKey, Types.STRING);
        harness.setProcessingTime(now);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void upsert(String list, int i) throws Exception {
        harness.processElement(ListDelta.upsert(list,
                new OrderSummary(String.format("order-%03d", i), "2026-11-23T10:00:00Z", "SUBMITTED", 1, null)), 0L);
    }

    private List<CacheMutation> flush() throws Exception {
        now += FLUSH.toMillis();
        harness.setProcessingTime(now);
        List<CacheMutation> out = harness.extractOutputValues();
        harness.getOutput().clear();
        return out;
    }

    private List<DeadLetter> deadLetters() {
        return SideOutputs.drain(harness, DeadLetter.OUTPUT);
    }

    @Test
    void aListThatOutgrowsTheBoundIsDeletedAndComesBackWhenItShrinks() throws Exception {
        upsert("alice", 0);
        List<CacheMutation> first = flush();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).isDelete()).isFalse();
        int entryBytes = CacheContract.utf8Length(first.get(0).value);

        int entries = MAX_VALUE_BYTES / entryBytes + 2;
        for (int i = 1; i < entries; i++) {
            upsert("alice", i);
        }
        assertThat(flush()).as("the smaller, older list must not stay readable")
                .containsExactly(CacheMutation.delete("alice"));
        List<DeadLetter> letters = deadLetters();
        assertThat(letters).hasSize(1);
        DeadLetter d = letters.get(0);
        assertThat(d.reason).isEqualTo(RejectReason.VALUE_TOO_LARGE.name());
        assertThat(d.orderId).isNull();
        assertThat(d.message).contains("list 'alice'").contains("(" + entries + " entries)").contains("max-value-bytes 1024");

        now += TTL.toMillis();
        harness.setProcessingTime(now);
        assertThat(harness.extractOutputValues()).as("a deleted list is not refreshed").isEmpty();

        for (int i = 1; i < entries; i++) {
            harness.processElement(ListDelta.remove("alice", String.format("order-%03d", i)), 0L);
        }
        List<CacheMutation> back = flush();
        assertThat(back).hasSize(1);
        assertThat(back.get(0).key).isEqualTo("alice");
        assertThat(back.get(0).value).isEqualTo(first.get(0).value);
        assertThat(deadLetters()).isEmpty();
    }
}
