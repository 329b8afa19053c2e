package dev.ordercachesync.ordering;

import dev.ordercachesync.model.ChangeKind;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.deadletter.DeadLetter;
import dev.ordercachesync.deadletter.RejectReason;
import dev.ordercachesync.views.CacheContract;
import dev.ordercachesync.views.ListDelta;
import dev.ordercachesync.views.RefreshSchedule;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
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

    private final CacheContract contract;
    private final long ttlMillis;
    private final Duration tombstoneRetention;
    private final RefreshSchedule refreshes;

    private transient ValueState<AppliedOrder> applied;
    private transient ValueState<BigInteger> tombstone;
    private transient Counter changesApplied;
    private transient Counter staleDropped;
    private transient Counter ordersRemoved;
    private transient Counter valuesTooLarge;
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

    /** Every state this function opens, for the check that no state type falls back to Kryo. */
    public List<StateDescriptor<?, ?>> declaredState() {
        return List.of(appliedStateDescriptor(), tombstoneStateDescriptor(tombstoneRetention));
    }

    @Override
    public void open(OpenContext openContext) {
        applied = getRuntimeContext().getState(appliedStateDescriptor());
        tombstone = getRuntimeContext().getState(tombstoneStateDescriptor(tombstoneRetention));
        changesApplied = getRuntimeContext().getMetricGroup().counter("changesApplied");
        staleDropped = getRuntimeContext().getMetricGroup().counter("staleChangesDropped");
        ordersRemoved = getRuntimeContext().getMetricGroup().counter("ordersRemoved");
        valuesTooLarge = getRuntimeContext().getMetricGroup().addGroup("deadLetters")
                .counter(RejectReason.VALUE_TOO_LARGE.name());
        detailsRefreshed = getRuntimeContext().getMetricGroup().counter("detailsRefreshed");
        refreshesDeferred = getRuntimeContext().getMetricGroup().counter("detailRefreshesDeferred");
    }

    @Override
    public void processElement(OrderChange change, Context ctx, Collector<CacheMutation> out) throws Exception {
        BigInteger sequence = change.sequence();
        AppliedOrder current = applied.value();
        BigInteger removedAt = tombstone.value();
        if (isNotNewer(sequence, current == null ? null : current.lastSequence) || isNotNewer(sequence, removedAt)) {
            staleDropped.inc();
            return;
        }
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
            ordersRemoved.inc();
        } else {
            Order order = change.newImage;
            StringBuilder tooLarge = new StringBuilder();
            boolean written = putOrDelete(out, contract.detailKey(orderId), contract.renderDetail(order), tooLarge);
            written |= putOrDelete(out, contract.adminDetailKey(orderId), contract.renderAdminDetail(order), tooLarge);
            if (tooLarge.length() > 0) {
                valuesTooLarge.inc();
                ctx.output(DeadLetter.OUTPUT, DeadLetter.of(RejectReason.VALUE_TOO_LARGE,
                        "order '" + orderId + "': " + tooLarge + " over max-value-bytes " + contract.maxValueBytes()
                                + "; deleted instead of written, so readers fall back to the table",
                        orderId, change.shardId, change.sequenceNumber, ctx.timerService().currentProcessingTime(), null));
            }
            if (CacheContract.listedInAllOrders(order.status)) {
                ctx.output(LIST_DELTAS, ListDelta.upsert(contract.allOrdersKey(), CacheContract.summaryOf(order)));
            } else {
                ctx.output(LIST_DELTAS, ListDelta.remove(contract.allOrdersKey(), orderId));
            }
            if (previousCreator != null && !previousCreator.equals(order.creator)
                    && contract.hasListView(previousCreator)) {
                ctx.output(LIST_DELTAS, ListDelta.remove(contract.creatorListKey(previousCreator), orderId));
            }
            ctx.output(LIST_DELTAS, ListDelta.upsert(contract.creatorListKey(order.creator), CacheContract.summaryOf(order)));
            Long refreshAt = null;
            if (written) {
                refreshAt = refreshes.nextRefresh(orderId, ctx.timerService().currentProcessingTime());
                ctx.timerService().registerProcessingTimeTimer(refreshAt);
            }
            applied.update(new AppliedOrder(sequence, order, refreshAt));
            tombstone.clear();
        }
        changesApplied.inc();
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

    private static boolean isNotNewer(BigInteger candidate, BigInteger last) {
        return last != null && candidate.compareTo(last) <= 0;
    }
}
