package dev.ordercachesync.views;

import dev.ordercachesync.model.CacheMutation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ListViewMaterializerTest {
    private static final Duration FLUSH = Duration.ofMillis(200);
    private static final Duration TTL = Duration.ofMinutes(10);
    private static final int CAP = 3;
    private final CacheContract contract = CacheContract.defaults();
    private KeyedOneInputStreamOperatorTestHarness<String, ListDelta, CacheMutation> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new ListViewMaterializer(contract, CAP, FLUSH, TTL, 1_000_000), d -> d.listKey, Types.STRING);
        harness.setProcessingTime(1_000);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static OrderSummary summary(String id, String createdAt, String status) {
        return new OrderSummary(id, createdAt, status, 1, null);
    }

    private void upsert(String list, OrderSummary s) throws Exception {
        harness.processElement(ListDelta.upsert(list, s), 0L);
    }

    private void remove(String list, String id) throws Exception {
        harness.processElement(ListDelta.remove(list, id), 0L);
    }

    private List<CacheMutation> drain() {
        List<CacheMutation> out = harness.extractOutputValues();
        harness.getOutput().clear();
        return out;
    }

    @Test
    void coalescesManyChangesIntoOneRenderPerFlushInterval() throws Exception {
        for (int i = 0; i < 50; i++) {
            upsert("alice", summary("o1", "2026-11-23T10:00:00Z", i % 2 == 0 ? "SUBMITTED" : "IN PROGRESS"));
            upsert("alice", summary("o" + (i % 3 + 2), "2026-11-23T09:00:00Z", "SUBMITTED"));
        }
        assertThat(drain()).as("nothing before the flush interval ends").isEmpty();

        harness.setProcessingTime(1_000 + FLUSH.toMillis());
        List<CacheMutation> out = drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key).isEqualTo("alice");
        assertThat(out.get(0).ttlMillis).isEqualTo(TTL.toMillis());
        assertThat(out.get(0).value).isEqualTo(contract.renderList(List.of(
                summary("o1", "2026-11-23T10:00:00Z", "IN PROGRESS"),
                summary("o2", "2026-11-23T09:00:00Z", "SUBMITTED"),
                summary("o3", "2026-11-23T09:00:00Z", "SUBMITTED"),
                summary("o4", "2026-11-23T09:00:00Z", "SUBMITTED")), CAP));
    }

    @Test
    void aScanRendersAListItDoesNotChangeSoAFlushedCacheGetsItBack() throws Exception {
        OrderSummary o1 = summary("o1", "2026-11-23T10:00:00Z", "SUBMITTED");
        upsert("alice", o1);
        harness.setProcessingTime(1_000 + FLUSH.toMillis());
        assertThat(drain()).hasSize(1);

        upsert("alice", o1);
        harness.setProcessingTime(1_000 + 2 * FLUSH.toMillis());
        assertThat(drain()).as("an unchanged summary from the stream renders nothing").isEmpty();

        harness.processElement(ListDelta.upsert("alice", o1).rerendering(), 0L);
        harness.setProcessingTime(1_000 + 3 * FLUSH.toMillis());
        List<CacheMutation> out = drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).value).isEqualTo(contract.renderList(List.of(o1), CAP));
    }

    @Test
    void rendersNewestFirstTiesByIdAndCapsTheList() throws Exception {
        upsert("alice", summary("b", "2026-11-23T10:00:00Z", "SUBMITTED"));
        upsert("alice", summary("a", "2026-11-23T10:00:00Z", "SUBMITTED"));
        upsert("alice", summary("z", "2026-11-23T08:00:00Z", "SUBMITTED"));
        upsert("alice", summary("n", "2026-11-23T12:00:00Z", "SUBMITTED"));
        harness.setProcessingTime(1_000 + FLUSH.toMillis());

        String json = drain().get(0).value;
        assertThat(json).matches("\\[\\{\"id\":\"n\".*\\{\"id\":\"a\".*\\{\"id\":\"b\".*\\]");
        assertThat(json).doesNotContain("\"z\"");
    }

    @Test
    void aRemovalTakesTheOrderOutAndAnEmptyCreatorListIsDeleted() throws Exception {
        upsert("alice", summary("o1", "2026-11-23T10:00:00Z", "SUBMITTED"));
        harness.setProcessingTime(1_500);
        drain();

        remove("alice", "o1");
        harness.setProcessingTime(2_000);
        assertThat(drain()).containsExactly(CacheMutation.delete("alice"));
    }

    @Test
    void allOrdersIsWrittenAsAnEmptyArrayNotDeleted() throws Exception {
        upsert("all-orders", summary("o1", "2026-11-23T10:00:00Z", "SUBMITTED"));
        harness.setProcessingTime(1_500);
        drain();

        remove("all-orders", "o1");
        harness.setProcessingTime(2_000);
        assertThat(drain()).containsExactly(CacheMutation.put("all-orders", "[]", TTL.toMillis()));
    }

    @Test
    void allOrdersIsRenderedOnItsFirstDeltaEvenWhenItChangesNothing() throws Exception {
        remove("all-orders", "o-completed-before-anything");
        harness.setProcessingTime(1_500);
        assertThat(drain()).containsExactly(CacheMutation.put("all-orders", "[]", TTL.toMillis()));
    }

    @Test
    void deltasWithoutEffectDoNotRewriteTheList() throws Exception {
        OrderSummary s = summary("o1", "2026-11-23T10:00:00Z", "SUBMITTED");
        upsert("alice", s);
        harness.setProcessingTime(1_500);
        drain();

        upsert("alice", s);
        remove("alice", "never-there");
        harness.setProcessingTime(2_000);
        assertThat(drain()).isEmpty();
    }

    @Test
    void liveListsAreRefreshedBeforeTheirTtlRunsOut() throws Exception {
        upsert("alice", summary("o1", "2026-11-23T10:00:00Z", "SUBMITTED"));
        harness.setProcessingTime(1_200);
        String first = drain().get(0).value;

        long lastWrite = 1_200;
        int refreshes = 0;
        for (long t = 1_300; t <= 1_200 + 4 * TTL.toMillis(); t += 100) {
            harness.setProcessingTime(t);
            for (CacheMutation m : drain()) {
                assertThat(m.refresh).isTrue();
                assertThat(m.value).isEqualTo(first);
                lastWrite = t;
                refreshes++;
            }
            assertThat(t - lastWrite).as("never older than three quarters of the TTL").isLessThanOrEqualTo(TTL.toMillis() * 3 / 4);
        }
        assertThat(refreshes).as("about two per TTL").isBetween(7, 9);
    }

    @Test
    void statusAndFieldChangesReplaceTheEntryNeverDuplicateIt() throws Exception {
        upsert("alice", summary("o1", "2026-11-23T10:00:00Z", "SUBMITTED"));
        harness.setProcessingTime(1_500);
        drain();
        upsert("alice", new OrderSummary("o1", "2026-11-23T10:00:00Z", "IN PROGRESS", 2, "2026-11-23T10:30:00Z"));
        harness.setProcessingTime(2_000);
        assertThat(drain().get(0).value).isEqualTo("[{\"id\":\"o1\",\"createdAt\":\"2026-11-23T10:00:00Z\","
                + "\"status\":\"IN PROGRESS\",\"numItems\":2,\"lastUpdated\":\"2026-11-23T10:30:00Z\"}]");
    }
}
