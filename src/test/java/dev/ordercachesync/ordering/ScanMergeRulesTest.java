package dev.ordercachesync.ordering;

import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.model.ChangeKind;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.OrderItem;
import dev.ordercachesync.source.ScanMarkerKeys;
import dev.ordercachesync.testsupport.SequencerOutputs;
import dev.ordercachesync.views.CacheContract;
import dev.ordercachesync.views.ListDelta;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How rows of a table scan (no sequence number) and stream changes (sequence numbers) merge in the sequencer,
 * and how a completed scan run reconciles orders that are gone from the table.
 */
class ScanMergeRulesTest {
    private static final Duration TTL = Duration.ofHours(1);
    private static final Duration TOMBSTONE_RETENTION = Duration.ofHours(48);
    private static final int MAX_PARALLELISM = 8;
    private static final String STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-01-01T00:00:00.000";
    private static final String NEW_STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-02-01T00:00:00.000";
    private static final long HOUR = 3_600_000L;

    private final CacheContract contract = CacheContract.defaults();
    private KeyedOneInputStreamOperatorTestHarness<String, OrderChange, CacheMutation> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new SequencerOperator(new OrderSequencer(contract, TTL, TOMBSTONE_RETENTION)),
                c -> c.orderId, Types.STRING, MAX_PARALLELISM, 1, 0);
        harness.open();
        harness.setProcessingTime(10 * HOUR);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static Order order(String id, String creator, String status) {
        return new Order(id, creator, "2026-11-23T10:00:00Z", status, 1,
                new OrderItem[] {new OrderItem("large", "thin", "red", new String[] {"cheese"})}, null);
    }

    private void stream(ChangeKind kind, String seq, Order newImage, Order oldImage, String streamArn) throws Exception {
        OrderChange c = new OrderChange(kind, newImage != null ? newImage.id : oldImage.id, seq, "shard-1", newImage, oldImage);
        c.streamArn = streamArn;
        harness.processElement(c, 0L);
    }

    private void scanned(Order o, int run, long startedAt, String streamArn) throws Exception {
        harness.processElement(OrderChange.scanned(o.id, o, run, startedAt, streamArn), 0L);
    }

    /** Every reader's end-of-run marker into every key group, as the scan's parser sends them. */
    private void runComplete(int run, long startedAt, int readers) throws Exception {
        for (String key : ScanMarkerKeys.forKeyGroups(MAX_PARALLELISM)) {
            for (int reader = 0; reader < readers; reader++) {
                harness.processElement(OrderChange.scanComplete(key, run, startedAt, reader, readers), 0L);
            }
        }
    }

    private List<String> writes() {
        return SequencerOutputs.detailWrites(harness);
    }

    private List<String> listDeltas() {
        return SequencerOutputs.listDeltas(harness);
    }

    /** Detail refreshes fire on the way; they are not what these tests look at. */
    private void advanceTo(long time) throws Exception {
        harness.setProcessingTime(time);
        drain();
    }

    private void drain() {
        writes();
        listDeltas();
    }

    @Test
    void aScannedRowOfAnOrderWithNoStateIsApplied() throws Exception {
        Order o = order("o1", "alice", "SUBMITTED");
        scanned(o, 1, 10 * HOUR, STREAM);

        assertThat(writes()).containsExactly("put o1 " + contract.renderDetail(o), "put ADMIN-o1 " + contract.renderAdminDetail(o));
        assertThat(listDeltas()).containsExactly("upsert o1 SUBMITTED into all-orders", "upsert o1 SUBMITTED into alice");
    }

    @Test
    void aScannedRowNeverOverridesAStreamChangeAppliedSinceItsRunBegan() throws Exception {
        long runStart = 10 * HOUR;
        stream(ChangeKind.INSERT, "100", order("o1", "alice", "IN PROGRESS"), null, STREAM);
        drain();
        // Read by the scan before the change reached the table: older than what the stream applied.
        scanned(order("o1", "alice", "SUBMITTED"), 1, runStart, STREAM);

        assertThat(writes()).isEmpty();
        assertThat(listDeltas()).isEmpty();
    }

    @Test
    void aScannedRowNeverBringsBackAnOrderTheStreamRemovedSinceItsRunBegan() throws Exception {
        Order o = order("o1", "alice", "SUBMITTED");
        stream(ChangeKind.INSERT, "100", o, null, STREAM);
        stream(ChangeKind.REMOVE, "200", null, o, STREAM);
        drain();
        scanned(o, 1, 10 * HOUR, STREAM);

        assertThat(writes()).isEmpty();
        assertThat(listDeltas()).isEmpty();
    }

    @Test
    void streamChangesApplyOverScannedRowsAndKeepApplyingInSequence() throws Exception {
        scanned(order("o1", "alice", "SUBMITTED"), 1, 10 * HOUR, STREAM);
        drain();
        Order later = order("o1", "alice", "IN PROGRESS");
        stream(ChangeKind.MODIFY, "300", later, null, STREAM);
        assertThat(writes()).contains("put o1 " + contract.renderDetail(later));

        // A replayed older record is still dropped once the stream has applied a newer one.
        stream(ChangeKind.MODIFY, "250", order("o1", "alice", "SUBMITTED"), null, STREAM);
        assertThat(writes()).isEmpty();
    }

    @Test
    void aScannedRowOverridesStateFromBeforeItsRunBegan() throws Exception {
        stream(ChangeKind.INSERT, "100", order("o1", "alice", "SUBMITTED"), null, STREAM);
        advanceTo(40 * HOUR);
        // A gap: the job was away while o1 changed; the table holds the newer order.
        Order now = order("o1", "bob", "IN PROGRESS");
        scanned(now, 2, 40 * HOUR, STREAM);

        assertThat(writes()).containsExactly("put o1 " + contract.renderDetail(now), "put ADMIN-o1 " + contract.renderAdminDetail(now));
        assertThat(listDeltas()).containsExactly("upsert o1 IN PROGRESS into all-orders",
                "remove o1 from alice", "upsert o1 IN PROGRESS into bob");

        // Same stream: the old sequence number still orders replays.
        stream(ChangeKind.MODIFY, "90", order("o1", "alice", "WAITING ON CUSTOMER"), null, STREAM);
        assertThat(writes()).isEmpty();
    }

    @Test
    void afterTheStreamWasReplacedItsLowerSequenceNumbersStillApply() throws Exception {
        stream(ChangeKind.INSERT, "900", order("o1", "alice", "SUBMITTED"), null, STREAM);
        advanceTo(40 * HOUR);
        scanned(order("o1", "alice", "IN PROGRESS"), 2, 40 * HOUR, NEW_STREAM);
        drain();
        Order done = order("o1", "alice", "COMPLETED");
        stream(ChangeKind.MODIFY, "5", done, null, NEW_STREAM);

        assertThat(writes()).contains("put o1 " + contract.renderDetail(done));
    }

    @Test
    void aCompletedRunRemovesOrdersItDidNotReadFromEveryView() throws Exception {
        Order gone = order("gone", "alice", "SUBMITTED");
        Order kept = order("kept", "alice", "SUBMITTED");
        stream(ChangeKind.INSERT, "100", gone, null, STREAM);
        stream(ChangeKind.INSERT, "110", kept, null, STREAM);
        advanceTo(40 * HOUR);
        long runStart = 40 * HOUR;
        scanned(kept, 2, runStart, STREAM);
        Order fresh = order("fresh", "bob", "SUBMITTED");
        // Created after the run began: the stream brings it, the scan may not have read it.
        stream(ChangeKind.INSERT, "500", fresh, null, STREAM);
        drain();

        runComplete(2, runStart, 2);

        assertThat(writes()).containsExactly("delete gone", "delete ADMIN-gone");
        assertThat(listDeltas()).containsExactly("remove gone from all-orders", "remove gone from alice");

        // It stays gone: a replayed record of it is older than its tombstone.
        stream(ChangeKind.MODIFY, "100", gone, null, STREAM);
        assertThat(writes()).isEmpty();
    }

    @Test
    void aRunReconcilesOnlyOnceEveryReaderHasFinishedAndOnlyOnce() throws Exception {
        stream(ChangeKind.INSERT, "100", order("gone", "alice", "SUBMITTED"), null, STREAM);
        advanceTo(40 * HOUR);
        String[] keys = ScanMarkerKeys.forKeyGroups(MAX_PARALLELISM);
        int group = KeyGroupRangeAssignment.assignToKeyGroup("gone", MAX_PARALLELISM);

        harness.processElement(OrderChange.scanComplete(keys[group], 2, 40 * HOUR, 0, 2), 0L);
        assertThat(writes()).isEmpty();
        harness.processElement(OrderChange.scanComplete(keys[group], 2, 40 * HOUR, 1, 2), 0L);
        assertThat(writes()).containsExactly("delete gone", "delete ADMIN-gone");
        listDeltas();

        // A reader restarted after the run sends its marker again: nothing happens twice.
        harness.processElement(OrderChange.scanComplete(keys[group], 2, 40 * HOUR, 1, 2), 0L);
        assertThat(writes()).isEmpty();
        assertThat(listDeltas()).isEmpty();
    }

    @Test
    void reconcilingKeepsOrdersTheRunSupersededWithTheStream() throws Exception {
        harness.setProcessingTime(40 * HOUR);
        long runStart = 40 * HOUR;
        Order o = order("o1", "alice", "IN PROGRESS");
        stream(ChangeKind.INSERT, "100", o, null, STREAM);
        scanned(order("o1", "alice", "SUBMITTED"), 2, runStart, STREAM);
        drain();

        runComplete(2, runStart, 1);

        assertThat(writes()).isEmpty();
        assertThat(listDeltas()).isEmpty();
    }
}
