package dev.ordercachesync.views;

import dev.ordercachesync.deadletter.DeadLetter;
import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.testsupport.SideOutputs;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The list materializer behind its operator, on RocksDB and on the HashMap backend: what a flush reads, what it
 * writes, how big lists are paced, oversized lists, and the end of the input.
 */
class ListViewRankedStateTest {
    private static final Duration FLUSH = Duration.ofMillis(100);
    private static final Duration TTL = Duration.ofMinutes(10);
    private final CacheContract contract = CacheContract.defaults();
    private KeyedOneInputStreamOperatorTestHarness<String, ListDelta, CacheMutation> harness;
    private ListViewMaterializer materializer;
    private long now = 1_000;

    private void open(boolean rocksDb, int maxEntries, int kibPerSecond, CacheContract c, OperatorSubtaskState restore) throws Exception {
        materializer = new ListViewMaterializer(c, maxEntries, FLUSH, TTL, kibPerSecond);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new ListViewOperator(materializer), d -> d.listKey, Types.STRING);
        harness.setStateBackend(rocksDb ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
        harness.setProcessingTime(now);
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(ListDelta delta) throws Exception {
        harness.processElement(delta, 0L);
    }

    private List<CacheMutation> advance(long millis) throws Exception {
        now += millis;
        harness.setProcessingTime(now);
        List<CacheMutation> out = harness.extractOutputValues();
        harness.getOutput().clear();
        return out;
    }

    private static final String[] FORMS = {"2026-11-%02dT%02d:%02d:00Z", "2026-11-%02dT%02d:%02d:00.000Z",
            "2026-11-%02dT%02d:%02d:00+00:00", "2026-11-%02dT%02d:%02d:00.000000Z"};

    /** Timestamps in several ISO-8601 forms with many ties, so ranks collide and forms mix. */
    private static String createdAt(Random random) {
        return String.format(FORMS[random.nextInt(FORMS.length)], 1 + random.nextInt(28), random.nextInt(24), random.nextInt(4) * 15);
    }

    @ParameterizedTest(name = "rocksDb={0}")
    @ValueSource(booleans = {true, false})
    void everyFlushEqualsTheContractRenderedFromAllMembers(boolean rocksDb) throws Exception {
        open(rocksDb, 25, 1_000_000, contract, null);
        Random random = new Random(13);
        Map<String, OrderSummary> model = new HashMap<>();
        String cached = null;
        for (int round = 0; round < 30; round++) {
            for (int i = 0; i < 150; i++) {
                String id = "o" + random.nextInt(2_000);
                if (random.nextInt(4) == 0) {
                    model.remove(id);
                    send(ListDelta.remove("all-orders", id));
                } else {
                    OrderSummary s = new OrderSummary(id, createdAt(random), "SUBMITTED", 1 + random.nextInt(3), null);
                    model.put(id, s);
                    send(ListDelta.upsert("all-orders", s));
                }
            }
            List<CacheMutation> out = advance(FLUSH.toMillis());
            assertThat(out.size()).isLessThanOrEqualTo(1);
            if (!out.isEmpty()) {
                cached = out.get(0).value;
            }
            // No write at all means the newest 25 did not change: the cache holds the right value already.
            assertThat(cached).as("round " + round).isEqualTo(contract.renderList(model.values(), 25));
        }
    }

    @Test
    void onRocksDbAFlushReadsTheNewestEntriesNotEveryMember() throws Exception {
        open(true, 10, 1_000_000, contract, null);
        for (int i = 0; i < 5_000; i++) {
            send(ListDelta.upsert("all-orders", new OrderSummary(String.format("o%05d", i),
                    String.format("2026-11-%02dT%02d:%02d:%02dZ", 1 + i % 28, i % 24, i % 60, i % 59), "REJECTED", 1, null)));
        }
        advance(FLUSH.toMillis());
        long before = materializer.entriesReadSoFar();
        OrderSummary newest = new OrderSummary("new", "2027-01-01T00:00:00Z", "SUBMITTED", 1, null);
        send(ListDelta.upsert("all-orders", newest));
        List<CacheMutation> out = advance(FLUSH.toMillis());
        assertThat(out).hasSize(1);
        assertThat(out.get(0).value).startsWith("[{\"id\":\"new\"");
        assertThat(materializer.entriesReadSoFar() - before).as("entries read by one flush of a 5,001-member list")
                .isLessThanOrEqualTo(11);
    }

    @Test
    void aChangeOutsideTheNewestEntriesWritesNothing() throws Exception {
        open(true, 2, 1_000_000, contract, null);
        send(ListDelta.upsert("alice", new OrderSummary("a", "2026-11-23T12:00:00Z", "SUBMITTED", 1, null)));
        send(ListDelta.upsert("alice", new OrderSummary("b", "2026-11-23T11:00:00Z", "SUBMITTED", 1, null)));
        send(ListDelta.upsert("alice", new OrderSummary("c", "2026-11-23T10:00:00Z", "SUBMITTED", 1, null)));
        assertThat(advance(FLUSH.toMillis())).hasSize(1);
        send(ListDelta.upsert("alice", new OrderSummary("c", "2026-11-23T10:00:00Z", "REJECTED", 1, null)));
        assertThat(advance(FLUSH.toMillis())).isEmpty();
    }

    @Test
    void aBigListIsWrittenAtTheMeteredRateAndASmallOneAtTheFlushInterval() throws Exception {
        int kibPerSecond = 20;
        open(true, 5_000, kibPerSecond, contract, null);
        for (int i = 0; i < 100; i++) {
            send(ListDelta.upsert("all-orders", new OrderSummary("order-" + i, "2026-11-23T10:00:00Z", "SUBMITTED", 1, null)));
        }
        send(ListDelta.upsert("alice", new OrderSummary("order-0", "2026-11-23T10:00:00Z", "SUBMITTED", 1, null)));
        List<CacheMutation> first = advance(FLUSH.toMillis());
        assertThat(first).hasSize(2);
        int bytes = first.stream().filter(m -> m.key.equals("all-orders"))
                .mapToInt(m -> CacheContract.utf8Length(m.key) + CacheContract.utf8Length(m.value)).sum();
        long operations = (bytes + 1023) / 1024;
        assertThat(operations).as("a list of 100 entries costs several metered operations").isGreaterThan(5);
        long wait = operations * 1000 / kibPerSecond;

        // Both change again at once: the small list goes at the flush interval, the big one when its write is paid for.
        send(ListDelta.upsert("all-orders", new OrderSummary("order-x", "2026-11-23T11:00:00Z", "SUBMITTED", 1, null)));
        send(ListDelta.upsert("alice", new OrderSummary("order-y", "2026-11-23T11:00:00Z", "SUBMITTED", 1, null)));
        assertThat(advance(FLUSH.toMillis())).extracting(m -> m.key).containsExactly("alice");
        assertThat(advance(wait - FLUSH.toMillis() - 1)).isEmpty();
        assertThat(advance(1)).extracting(m -> m.key).containsExactly("all-orders");
    }

    @Test
    void anOversizedListLeavesOneDeadLetterPerStateTheSameOnReplay() throws Exception {
        CacheContract small = new CacheContract("ADMIN-", "all-orders", 1024);
        open(true, 1_000, 1_000_000, small, null);
        OperatorSubtaskState beforeGrowth = harness.snapshot(1, now);
        List<ListDelta> growth = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            growth.add(ListDelta.upsert("all-orders", new OrderSummary("order-" + i, "2026-11-23T10:00:00Z", "SUBMITTED", 1, null)));
        }
        for (ListDelta d : growth) {
            send(d);
        }
        assertThat(advance(FLUSH.toMillis())).containsExactly(CacheMutation.delete("all-orders"));
        List<DeadLetter> first = SideOutputs.drain(harness, DeadLetter.OUTPUT);
        assertThat(first).hasSize(1);
        assertThat(first.get(0).id).isNotNull();

        // Deltas that change nothing render nothing and leave no dead letter, although all-orders is not in the cache.
        send(ListDelta.remove("all-orders", "never-there"));
        send(growth.get(3));
        assertThat(advance(TTL.toMillis())).isEmpty();
        assertThat(SideOutputs.drain(harness, DeadLetter.OUTPUT)).isEmpty();

        // Another state of the list is another dead letter.
        send(ListDelta.upsert("all-orders", new OrderSummary("order-20", "2026-11-23T10:00:00Z", "SUBMITTED", 1, null)));
        advance(FLUSH.toMillis());
        List<DeadLetter> second = SideOutputs.drain(harness, DeadLetter.OUTPUT);
        assertThat(second).hasSize(1);
        assertThat(second.get(0).id).isNotEqualTo(first.get(0).id);

        // A replay of the first state, as after a restore, names the same dead letter.
        harness.close();
        now = 1_000;
        open(true, 1_000, 1_000_000, small, beforeGrowth);
        for (ListDelta d : growth) {
            send(d);
        }
        advance(FLUSH.toMillis());
        assertThat(SideOutputs.drain(harness, DeadLetter.OUTPUT)).extracting(d -> d.id).containsExactly(first.get(0).id);
    }

    @Test
    void theFinalWatermarkWritesAPendingFlushAtOnce() throws Exception {
        open(true, 10, 1_000_000, contract, null);
        send(ListDelta.upsert("alice", new OrderSummary("o1", "2026-11-23T10:00:00Z", "SUBMITTED", 1, null)));
        harness.processWatermark(Long.MAX_VALUE);
        List<CacheMutation> out = harness.extractOutputValues();
        assertThat(out).extracting(m -> m.key).containsExactly("alice");
        harness.getOutput().clear();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(advance(FLUSH.toMillis())).as("written once").isEmpty();
    }

    @Test
    void aFlushLeavesNoEndOfInputTimerBehind() throws Exception {
        open(true, 10, 1_000_000, contract, null);
        send(ListDelta.upsert("alice", new OrderSummary("o1", "2026-11-23T10:00:00Z", "SUBMITTED", 1, null)));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        assertThat(advance(FLUSH.toMillis())).hasSize(1);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void overdueListRefreshesAreCappedPerFiring() throws Exception {
        open(true, 10, 1_000_000, contract, null);
        int lists = 3 * RefreshSchedule.DEFAULT_MAX_PER_TICK;
        for (int i = 0; i < lists; i++) {
            send(ListDelta.upsert("creator-" + i, new OrderSummary("o" + i, "2026-11-23T10:00:00Z", "SUBMITTED", 1, null)));
        }
        assertThat(advance(FLUSH.toMillis())).hasSize(lists);
        assertThat(advance(5 * TTL.toMillis())).hasSize(RefreshSchedule.DEFAULT_MAX_PER_TICK).allMatch(m -> m.refresh);
        assertThat(advance(RefreshSchedule.DEFAULT_TICK_MILLIS)).hasSize(RefreshSchedule.DEFAULT_MAX_PER_TICK);
        assertThat(advance(RefreshSchedule.DEFAULT_TICK_MILLIS)).hasSize(RefreshSchedule.DEFAULT_MAX_PER_TICK);
        assertThat(advance(RefreshSchedule.DEFAULT_TICK_MILLIS)).isEmpty();
    }

    @Test
    void aRefreshDueWhileAnInvisibleChangeWaitsStillRenewsTheValue() throws Exception {
        open(true, 1, 1, contract, null);
        send(ListDelta.upsert("alice", new OrderSummary("a", "2026-11-23T12:00:00Z", "SUBMITTED", 1, null)));
        List<CacheMutation> first = advance(FLUSH.toMillis());
        assertThat(first).hasSize(1);
        // At 1 KiB/s a write waits a second, so this change below the newest entry is still pending at each step.
        for (long t = 0; t < TTL.toMillis(); t += 900) {
            send(ListDelta.upsert("alice", new OrderSummary("old", "2020-01-01T00:00:0" + (t / 900 % 2) + "Z", "SUBMITTED", 1, null)));
            for (CacheMutation m : advance(900)) {
                assertThat(m.refresh).as("the value never changed").isTrue();
                assertThat(m.value).isEqualTo(first.get(0).value);
                lastRefresh = now;
            }
        }
        assertThat(lastRefresh).as("refreshed within the TTL").isGreaterThan(now - TTL.toMillis() * 3 / 4);
    }

    private long lastRefresh;
}
