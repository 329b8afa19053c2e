package dev.ordercachesync.ordering;

import dev.ordercachesync.model.ChangeKind;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.deadletter.DeadLetter;
import dev.ordercachesync.deadletter.DeadLetterCounters;
import dev.ordercachesync.deadletter.RejectReason;
import dev.ordercachesync.metrics.CloudWatchMetrics;
import dev.ordercachesync.views.CacheContract;
import dev.ordercachesync.views.ListDelta;
import dev.ordercachesync.views.RefreshSchedule;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

/**
 * Keyed by order id: applies an order's changes in sequence-number order and never backwards.
 *
 * <p>A change is applied only when its sequence number is higher than the last one applied to the
 * order (or the order's tombstone). Older and repeated changes, which replays, restores and shard
 * splits produce, are dropped and counted. Applying a change emits the detail views on the main
 * output and list deltas on {@link #LIST_DELTAS}. A detail view over the contract's value bound is
 * deleted instead of written, with a dead letter on {@link DeadLetter#OUTPUT}.
 *
 * <p>The detail views of a live order are re-written from keyed state before their TTL runs out, as
 * {@link CacheMutation#refresh refreshes}, on the {@link RefreshSchedule}: spread over the TTL window and capped per
 * timer firing. A change re-schedules its order's refresh, so an order that keeps changing is never refreshed.
 */
public class OrderSequencer extends KeyedProcessFunction<String, OrderChange, CacheMutation> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<ListDelta> LIST_DELTAS =
            new OutputTag<>("list-deltas", TypeInformation.of(ListDelta.class));

    public static final String APPLIED_STATE = "applied-order";
    public static final String TOMBSTONE_STATE = "tombstone-sequence";
    public static final String REMOVAL_MARK_STATE = "removal-mark";
    /** Held under the scan's marker keys only: which reader's end-of-run marker arrived, for which run. */
    public static final String SCAN_MARKERS_STATE = "scan-markers";
    public static final String SCAN_RECONCILED_STATE = "scan-reconciled-run";
    /**
     * How much earlier than a scan run's start a stream change counts as "since the run began": the run's start
     * comes from the JobManager's clock, the change's time from a TaskManager's.
     */
    static final long CLOCK_MARGIN_MILLIS = 10_000;

    private final CacheContract contract;
    private final long ttlMillis;
    private final Duration tombstoneRetention;
    private final RefreshSchedule refreshes;

    private transient ValueState<AppliedOrder> applied;
    private transient ValueState<BigInteger> tombstone;
    private transient ValueState<RemovalMark> removalMark;
    private transient MapState<Integer, Integer> scanMarkers;
    private transient ValueState<Integer> scanReconciled;
    private transient Counter scanRowsApplied;
    private transient Counter scanRowsSuperseded;
    private transient Counter ordersReconciledAway;
    private transient Counter keyGroupsReconciled;
    private transient Counter changesApplied;
    private transient Counter staleDropped;
    private transient Counter ordersRemoved;
    private transient DeadLetterCounters deadLetters;
    private transient Counter detailsRefreshed;
    private transient Counter refreshesDeferred;

    public OrderSequencer(CacheContract contract, Duration cacheTtl, Duration tombstoneRetention) {
        this.contract = contract;
        this.ttlMillis = cacheTtl.toMillis();
        this.tombstoneRetention = tombstoneRetention;
        this.refreshes = new RefreshSchedule(ttlMillis);
    }

    /** The last applied change of a live order. Savepoints and the state inspector read it by this descriptor. */
    public static ValueStateDescriptor<AppliedOrder> appliedStateDescriptor() {
        return new ValueStateDescriptor<>(APPLIED_STATE, TypeInformation.of(AppliedOrder.class));
    }

    /** A removed order's sequence number, kept for {@code retention} by state TTL. */
    public static ValueStateDescriptor<BigInteger> tombstoneStateDescriptor(Duration retention) {
        ValueStateDescriptor<BigInteger> descriptor = new ValueStateDescriptor<>(TOMBSTONE_STATE, Types.BIG_INT);
        // Outlives the stream's retention, so no replayed change can be older than a forgotten tombstone.
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(retention)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        return descriptor;
    }

    /** When and on which stream an order was removed; expires with its tombstone. */
    public static ValueStateDescriptor<RemovalMark> removalMarkStateDescriptor(Duration retention) {
        ValueStateDescriptor<RemovalMark> descriptor =
                new ValueStateDescriptor<>(REMOVAL_MARK_STATE, TypeInformation.of(RemovalMark.class));
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(retention)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        return descriptor;
    }

    public static MapStateDescriptor<Integer, Integer> scanMarkersStateDescriptor() {
        return new MapStateDescriptor<>(SCAN_MARKERS_STATE, Types.INT, Types.INT);
    }

    public static ValueStateDescriptor<Integer> scanReconciledStateDescriptor() {
        return new ValueStateDescriptor<>(SCAN_RECONCILED_STATE, Types.INT);
    }

    /** Every state this function opens, for the check that no state type falls back to Kryo. */
    public List<StateDescriptor<?, ?>> declaredState() {
        return List.of(appliedStateDescriptor(), tombstoneStateDescriptor(tombstoneRetention),
                removalMarkStateDescriptor(tombstoneRetention), scanMarkersStateDescriptor(),
                scanReconciledStateDescriptor());
    }

    @Override
    public void open(OpenContext openContext) {
        applied = getRuntimeContext().getState(appliedStateDescriptor());
        tombstone = getRuntimeContext().getState(tombstoneStateDescriptor(tombstoneRetention));
        MetricGroup metrics = CloudWatchMetrics.of(getRuntimeContext().getMetricGroup());
        changesApplied = metrics.counter("changesApplied");
        staleDropped = metrics.counter("staleChangesDropped");
        ordersRemoved = metrics.counter("ordersRemoved");
        deadLetters = DeadLetterCounters.register(getRuntimeContext().getMetricGroup(), RejectReason.VALUE_TOO_LARGE);
        detailsRefreshed = metrics.counter("detailsRefreshed");
        refreshesDeferred = metrics.counter("detailRefreshesDeferred");
        removalMark = getRuntimeContext().getState(removalMarkStateDescriptor(tombstoneRetention));
        scanMarkers = getRuntimeContext().getMapState(scanMarkersStateDescriptor());
        scanReconciled = getRuntimeContext().getState(scanReconciledStateDescriptor());
        scanRowsApplied = metrics.counter("scanRowsApplied");
        scanRowsSuperseded = metrics.counter("scanRowsSupersededByStream");
        ordersReconciledAway = metrics.counter("ordersReconciledAway");
        keyGroupsReconciled = metrics.counter("scanKeyGroupsReconciled");
    }

    @Override
    public void processElement(OrderChange change, Context ctx, Collector<CacheMutation> out) throws Exception {
        if (change.kind == ChangeKind.SCAN) {
            applyScanned(change, ctx, out);
            return;
        }
        if (change.kind == ChangeKind.SCAN_COMPLETE) {
            throw new IllegalStateException("scan-complete markers are handled by " + SequencerOperator.class.getSimpleName());
        }
        BigInteger sequence = change.sequence();
        AppliedOrder current = applied.value();
        BigInteger removedAt = tombstone.value();
        RemovalMark removal = removalMark.value();
        if ((current != null && sameStream(current.streamArn, change.streamArn) && isNotNewer(sequence, current.lastSequence))
                || ((removal == null || sameStream(removal.streamArn, change.streamArn)) && isNotNewer(sequence, removedAt))) {
            staleDropped.inc();
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        String orderId = change.orderId;
        // State restored from a version without AppliedOrder.creator has it null; the old image knows it too.
        String previousCreator = current != null && current.creator != null ? current.creator
                : change.oldImage != null ? change.oldImage.creator : null;

        if (current != null && current.refreshAt != null) {
            ctx.timerService().deleteProcessingTimeTimer(current.refreshAt);
        }
        if (change.kind == ChangeKind.REMOVE) {
            out.collect(CacheMutation.delete(contract.detailKey(orderId)));
            out.collect(CacheMutation.delete(contract.adminDetailKey(orderId)));
            ctx.output(LIST_DELTAS, ListDelta.remove(contract.allOrdersKey(), orderId));
            if (contract.hasListView(previousCreator)) {
                ctx.output(LIST_DELTAS, ListDelta.remove(contract.creatorListKey(previousCreator), orderId));
            }
            applied.clear();
            tombstone.update(sequence);
            removalMark.update(new RemovalMark(change.streamArn, now));
            ordersRemoved.inc();
        } else {
            Long refreshAt = emitViews(orderId, change.newImage, previousCreator, change, false, ctx, out);
            AppliedOrder next = new AppliedOrder(sequence, change.newImage, refreshAt);
            next.streamArn = change.streamArn;
            next.appliedAt = now;
            next.scanRun = current == null ? null : current.scanRun;
            applied.update(next);
            tombstone.clear();
            removalMark.clear();
        }
        changesApplied.inc();
    }

    /**
     * A row of a table scan. It carries no sequence number, so it applies only when no stream change has been
     * applied to the order, and no stream REMOVE, since its scan run began: those are at least as new as the row,
     * and the stream brings every later one. Older state (from before the run, or from a stream that was replaced)
     * is overridden, because the table is the truth.
     */
    private void applyScanned(OrderChange row, Context ctx, Collector<CacheMutation> out) throws Exception {
        AppliedOrder current = applied.value();
        RemovalMark removal = removalMark.value();
        long runBegan = row.scanStartedAt - CLOCK_MARGIN_MILLIS;
        if ((current != null && current.appliedAt != null && current.appliedAt >= runBegan)
                || (removal != null && removal.removedAt >= runBegan)) {
            if (current != null) {
                current.scanRun = row.scanRun;
                applied.update(current);
            }
            scanRowsSuperseded.inc();
            return;
        }
        if (current != null && current.refreshAt != null) {
            ctx.timerService().deleteProcessingTimeTimer(current.refreshAt);
        }
        String previousCreator = current == null ? null : current.creator;
        Long refreshAt = emitViews(row.orderId, row.newImage, previousCreator, row, true, ctx, out);
        // Within one stream, the last applied sequence number still marks which replayed records are older.
        BigInteger floor = null;
        if (current != null && current.streamArn != null && current.streamArn.equals(row.streamArn)) {
            floor = current.lastSequence;
        } else if (current == null && removal != null && removal.streamArn != null && removal.streamArn.equals(row.streamArn)) {
            floor = tombstone.value();
        }
        AppliedOrder next = new AppliedOrder(floor, row.newImage, refreshAt);
        next.streamArn = row.streamArn;
        next.appliedAt = current == null ? null : current.appliedAt;
        next.scanRun = row.scanRun;
        applied.update(next);
        tombstone.clear();
        removalMark.clear();
        scanRowsApplied.inc();
    }

    /**
     * Counts a scan reader's end-of-run marker for the current key (one marker key per key group). Returns true
     * once, when every reader's marker of the run has arrived: every row of the run has then reached this key group.
     */
    boolean recordScanComplete(OrderChange marker) throws Exception {
        Integer reconciled = scanReconciled.value();
        if (reconciled != null && reconciled >= marker.scanRun) {
            return false;
        }
        scanMarkers.put(marker.scanReader, marker.scanRun);
        int arrived = 0;
        for (Integer run : scanMarkers.values()) {
            if (run == marker.scanRun) {
                arrived++;
            }
        }
        if (arrived < marker.scanReaders) {
            return false;
        }
        scanReconciled.update(marker.scanRun);
        scanMarkers.clear();
        keyGroupsReconciled.inc();
        return true;
    }

    /**
     * After scan run {@code run} reached every row to the current key's key group: an order the run did not read
     * and no stream change touched since the run began is gone from the table, so it leaves every view.
     */
    void reconcile(String orderId, int run, long runStartedAt, Collector<CacheMutation> out,
                   Collector<ListDelta> lists, long now) throws Exception {
        AppliedOrder current = applied.value();
        if (current == null || (current.scanRun != null && current.scanRun == run)
                || (current.appliedAt != null && current.appliedAt >= runStartedAt - CLOCK_MARGIN_MILLIS)) {
            return;
        }
        out.collect(CacheMutation.delete(contract.detailKey(orderId)));
        out.collect(CacheMutation.delete(contract.adminDetailKey(orderId)));
        lists.collect(ListDelta.remove(contract.allOrdersKey(), orderId));
        if (contract.hasListView(current.creator)) {
            lists.collect(ListDelta.remove(contract.creatorListKey(current.creator), orderId));
        }
        applied.clear();
        if (current.lastSequence != null) {
            tombstone.update(current.lastSequence);
        }
        removalMark.update(new RemovalMark(current.streamArn, now));
        ordersReconciledAway.inc();
    }

    /**
     * Writes an order's detail views and the list deltas of its new image, and schedules its detail refresh.
     * Returns the refresh time, null when no detail view was written. With {@code rerender}, the order's lists are
     * rendered even if its summary in them is unchanged.
     */
    private Long emitViews(String orderId, Order order, String previousCreator, OrderChange change, boolean rerender,
                           Context ctx, Collector<CacheMutation> out) {
        StringBuilder tooLarge = new StringBuilder();
        boolean written = putOrDelete(out, contract.detailKey(orderId), contract.renderDetail(order), tooLarge);
        written |= putOrDelete(out, contract.adminDetailKey(orderId), contract.renderAdminDetail(order), tooLarge);
        if (tooLarge.length() > 0) {
            deadLetters.count(RejectReason.VALUE_TOO_LARGE);
            ctx.output(DeadLetter.OUTPUT, DeadLetter.of(RejectReason.VALUE_TOO_LARGE,
                    "order '" + orderId + "': " + tooLarge + " over max-value-bytes " + contract.maxValueBytes()
                            + "; deleted instead of written, so readers fall back to the table",
                    orderId, change.shardId, change.sequenceNumber, ctx.timerService().currentProcessingTime(), null));
        }
        if (CacheContract.listedInAllOrders(order.status)) {
            ListDelta allOrders = ListDelta.upsert(contract.allOrdersKey(), CacheContract.summaryOf(order));
            ctx.output(LIST_DELTAS, rerender ? allOrders.rerendering() : allOrders);
        } else {
            ctx.output(LIST_DELTAS, ListDelta.remove(contract.allOrdersKey(), orderId));
        }
        if (previousCreator != null && !previousCreator.equals(order.creator)
                && contract.hasListView(previousCreator)) {
            ctx.output(LIST_DELTAS, ListDelta.remove(contract.creatorListKey(previousCreator), orderId));
        }
        ListDelta creatorList = ListDelta.upsert(contract.creatorListKey(order.creator), CacheContract.summaryOf(order));
        ctx.output(LIST_DELTAS, rerender ? creatorList.rerendering() : creatorList);
        Long refreshAt = null;
        if (written) {
            refreshAt = refreshes.nextRefresh(orderId, ctx.timerService().currentProcessingTime());
            ctx.timerService().registerProcessingTimeTimer(refreshAt);
        }
        return refreshAt;
    }

    /** Re-writes a live order's unchanged detail views, or defers that when this firing has sent its share. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CacheMutation> out) throws Exception {
        AppliedOrder current = applied.value();
        if (current == null || current.order == null || current.refreshAt == null || current.refreshAt != timestamp) {
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        long admitted = refreshes.admit(now);
        if (admitted != now) {
            refreshesDeferred.inc();
            current.refreshAt = admitted;
        } else {
            String orderId = ctx.getCurrentKey();
            // A value over the bound was deleted when it was applied and stays deleted: nothing to keep alive.
            String detail = contract.renderDetail(current.order);
            if (contract.fits(detail)) {
                out.collect(CacheMutation.refresh(contract.detailKey(orderId), detail, ttlMillis));
            }
            String admin = contract.renderAdminDetail(current.order);
            if (contract.fits(admin)) {
                out.collect(CacheMutation.refresh(contract.adminDetailKey(orderId), admin, ttlMillis));
            }
            detailsRefreshed.inc();
            current.refreshAt = refreshes.nextRefresh(orderId, now);
        }
        ctx.timerService().registerProcessingTimeTimer(current.refreshAt);
        applied.update(current);
    }

    /**
     * A value over the bound is deleted, never skipped: an older value left in place would be stale. Returns
     * whether the value was written.
     */
    private boolean putOrDelete(Collector<CacheMutation> out, String key, String value, StringBuilder tooLarge) {
        if (contract.fits(value)) {
            out.collect(CacheMutation.put(key, value, ttlMillis));
            return true;
        }
        out.collect(CacheMutation.delete(key));
        tooLarge.append(tooLarge.length() == 0 ? "" : ", ")
                .append("key '").append(key).append("' is ").append(CacheContract.utf8Length(value)).append(" bytes");
        return false;
    }

    /** Unknown streams (null) are taken to be the same: state and records from before streams were recorded. */
    private static boolean sameStream(String a, String b) {
        return a == null || b == null || a.equals(b);
    }

    private static boolean isNotNewer(BigInteger candidate, BigInteger last) {
        return last != null && candidate.compareTo(last) <= 0;
    }
}
