package dev.ordercachesync.ordering;

import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.model.ChangeKind;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.OrderItem;
import dev.ordercachesync.views.CacheContract;
import dev.ordercachesync.views.RefreshSchedule;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Detail views of live orders are re-written before their TTL runs out, spread over time and capped per firing. */
class OrderSequencerRefreshTest {
    private static final Duration TTL = Duration.ofMinutes(10);
    private static final long TTL_MS = TTL.toMillis();
    private final CacheContract contract = CacheContract.defaults();
    private KeyedOneInputStreamOperatorTestHarness<String, OrderChange, CacheMutation> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new OrderSequencer(contract, TTL, Duration.ofHours(48)), c -> c.orderId, Types.STRING);
        harness.setProcessingTime(0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static Order order(String id, String status) {
        return new Order(id, "alice", "2026-11-23T10:00:00Z", status, 1,
                new OrderItem[] {new OrderItem("large", "thin", "red", new String[] {"cheese"})}, null);
    }

    private void send(ChangeKind kind, String seq, Order newImage, Order oldImage) throws Exception {
        String id = newImage != null ? newImage.id : oldImage.id;
        harness.processElement(new OrderChange(kind, id, seq, "shard-1", newImage, oldImage), 0L);
    }

    private List<CacheMutation> drain() {
        List<CacheMutation> out = harness.extractOutputValues();
        harness.getOutput().clear();
        return out;
    }

    @Test
    void aQuietOrderIsRefreshedWithItsLastValuesBeforeEveryTtlRunsOut() throws Exception {
        Order o = order("o1", "SUBMITTED");
        send(ChangeKind.INSERT, "1", o, null);
        drain();

        Map<String, Long> lastWrite = new HashMap<>(Map.of("o1", 0L, "ADMIN-o1", 0L));
        int refreshes = 0;
        for (long t = 1_000; t <= 6 * TTL_MS; t += 1_000) {
            harness.setProcessingTime(t);
            for (CacheMutation m : drain()) {
                assertThat(m.refresh).as("a re-write of an unchanged value is a refresh").isTrue();
                assertThat(m.value).isEqualTo(m.key.startsWith("ADMIN-") ? contract.renderAdminDetail(o) : contract.renderDetail(o));
                assertThat(m.ttlMillis).isEqualTo(TTL_MS);
                assertThat(t - lastWrite.get(m.key)).as("re-written before the TTL ran out").isLessThan(TTL_MS);
                lastWrite.put(m.key, t);
                refreshes++;
            }
            for (long written : lastWrite.values()) {
                assertThat(t - written).as("never older than three quarters of the TTL").isLessThanOrEqualTo(TTL_MS * 3 / 4);
            }
        }
        // About two refreshes per TTL (a period of half the TTL), not one per second.
        assertThat(refreshes / 2).isBetween(10, 13);
    }

    @Test
    void aChangeReschedulesTheRefreshAndARemoveEndsIt() throws Exception {
        send(ChangeKind.INSERT, "1", order("o1", "SUBMITTED"), null);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        // Changes every TTL / 8: the views are always fresh, so no refresh is ever sent.
        for (int i = 2; i < 40; i++) {
            harness.setProcessingTime(i * TTL_MS / 8);
            send(ChangeKind.MODIFY, Integer.toString(i), order("o1", i % 2 == 0 ? "IN PROGRESS" : "SUBMITTED"), null);
            assertThat(drain()).noneMatch(m -> m.refresh);
            assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        }
        send(ChangeKind.REMOVE, "40", null, order("o1", "SUBMITTED"));
        drain();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        harness.setProcessingTime(20 * TTL_MS);
        assertThat(drain()).as("a removed order's views are not brought back").isEmpty();
    }

    @Test
    void refreshesOfOrdersWrittenTogetherSpreadEvenlyOverTheWindow() throws Exception {
        int orders = 2_000;
        for (int i = 0; i < orders; i++) {
            send(ChangeKind.INSERT, "1", order("order-" + i, "SUBMITTED"), null);
        }
        drain();
        // Written at 0, they refresh between a quarter and three quarters of the TTL; count them in ten slices.
        int[] slices = new int[10];
        long from = TTL_MS / 4;
        long width = TTL_MS / 2 / slices.length;
        for (long t = from; t < from + slices.length * width; t += RefreshSchedule.DEFAULT_TICK_MILLIS) {
            harness.setProcessingTime(t);
            slices[(int) ((t - from) / width)] += (int) drain().stream().filter(m -> !m.key.startsWith("ADMIN-")).count();
        }
        int even = orders / slices.length;
        for (int count : slices) {
            assertThat(count).as("refreshes per slice of the window " + java.util.Arrays.toString(slices))
                    .isBetween(even * 7 / 10, even * 13 / 10);
        }
    }

    @Test
    void aBacklogOfOverdueRefreshesDrainsAtTheCapPerFiring() throws Exception {
        int orders = 1_000;
        for (int i = 0; i < orders; i++) {
            send(ChangeKind.INSERT, "1", order("order-" + i, "SUBMITTED"), null);
        }
        drain();
        // As after a restore from an old savepoint: every refresh timer is overdue at once.
        long now = 10 * TTL_MS;
        harness.setProcessingTime(now);
        List<CacheMutation> first = drain();
        assertThat(first).hasSize(2 * RefreshSchedule.DEFAULT_MAX_PER_TICK);

        Map<String, Integer> refreshed = new HashMap<>();
        first.forEach(m -> refreshed.merge(m.key, 1, Integer::sum));
        int firings = 1;
        while (refreshed.size() < 2 * orders) {
            now += RefreshSchedule.DEFAULT_TICK_MILLIS;
            harness.setProcessingTime(now);
            List<CacheMutation> batch = drain();
            assertThat(batch.size()).as("refreshes in one firing").isLessThanOrEqualTo(2 * RefreshSchedule.DEFAULT_MAX_PER_TICK);
            batch.forEach(m -> refreshed.merge(m.key, 1, Integer::sum));
            firings++;
            assertThat(firings).as("the backlog drains").isLessThan(100);
        }
        assertThat(refreshed.values()).as("each view refreshed once while draining").allMatch(n -> n == 1);
        assertThat(firings).isEqualTo(orders / RefreshSchedule.DEFAULT_MAX_PER_TICK);
    }

    @Test
    void theRefreshTimerSurvivesASnapshot() throws Exception {
        Order o = order("o1", "SUBMITTED");
        send(ChangeKind.INSERT, "1", o, null);
        drain();
        OperatorSubtaskState snapshot = harness.snapshot(1, 0);
        harness.close();

        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new OrderSequencer(contract, TTL, Duration.ofHours(48))), c -> c.orderId, Types.STRING);
        harness.setProcessingTime(0);
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(TTL_MS);
        assertThat(drain()).extracting(m -> m.key + (m.refresh ? " refreshed" : "")).containsExactly("o1 refreshed", "ADMIN-o1 refreshed");
    }
}
