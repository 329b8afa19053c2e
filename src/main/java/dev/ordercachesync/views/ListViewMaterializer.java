package dev.ordercachesync.views;

import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.deadletter.DeadLetter;
import dev.ordercachesync.deadletter.RejectReason;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keyed by list key: keeps each list's members in keyed state and renders the whole list from it.
 *
 * <p>One subtask owns each list, so each list has exactly one writer and is never read back from the
 * cache. Changes are coalesced: a list re-renders at most once per flush interval. A list that still
 * has entries (and all-orders, which always exists) is re-written at half its TTL so it never expires
 * while the job is healthy. A list that renders over the contract's value bound is deleted instead, with a
 * dead letter on {@link DeadLetter#OUTPUT}.
 */
public class ListViewMaterializer extends KeyedProcessFunction<String, ListDelta, CacheMutation> {
    private static final long serialVersionUID = 1L;

    public static final String MEMBERS_STATE = "list-members";
    static final String FLUSH_TIMER_STATE = "pending-flush-at";
    static final String REFRESH_TIMER_STATE = "refresh-at";

    private final CacheContract contract;
    private final int maxEntries;
    private final long flushIntervalMillis;
    private final long ttlMillis;

    private transient MapState<String, OrderSummary> members;
    private transient ValueState<Long> flushAt;
    private transient ValueState<Long> refreshAt;
    private transient Counter listsRendered;
    private transient Counter deltasCoalesced;
    private transient Counter deltasWithoutEffect;
    private transient Counter valuesTooLarge;

    public ListViewMaterializer(CacheContract contract, int maxEntries, Duration flushInterval, Duration cacheTtl) {
        this.contract = contract;
        this.maxEntries = maxEntries;
        this.flushIntervalMillis = flushInterval.toMillis();
        this.ttlMillis = cacheTtl.toMillis();
    }

    /** A list's members by order id. Savepoints and the state inspector read them by this descriptor. */
    public static MapStateDescriptor<String, OrderSummary> membersStateDescriptor() {
        return new MapStateDescriptor<>(MEMBERS_STATE, Types.STRING, TypeInformation.of(OrderSummary.class));
    }

    private static ValueStateDescriptor<Long> flushTimerStateDescriptor() {
        return new ValueStateDescriptor<>(FLUSH_TIMER_STATE, Types.LONG);
    }

    private static ValueStateDescriptor<Long> refreshTimerStateDescriptor() {
        return new ValueStateDescriptor<>(REFRESH_TIMER_STATE, Types.LONG);
    }

    /** Every state this function opens, for the check that no state type falls back to Kryo. */
    public List<StateDescriptor<?, ?>> declaredState() {
        return List.of(membersStateDescriptor(), flushTimerStateDescriptor(), refreshTimerStateDescriptor());
    }

    @Override
    public void open(OpenContext openContext) {
        members = getRuntimeContext().getMapState(membersStateDescriptor());
        flushAt = getRuntimeContext().getState(flushTimerStateDescriptor());
        refreshAt = getRuntimeContext().getState(refreshTimerStateDescriptor());
        listsRendered = getRuntimeContext().getMetricGroup().counter("listsRendered");
        deltasCoalesced = getRuntimeContext().getMetricGroup().counter("listDeltasCoalesced");
        deltasWithoutEffect = getRuntimeContext().getMetricGroup().counter("listDeltasWithoutEffect");
        valuesTooLarge = getRuntimeContext().getMetricGroup().addGroup("deadLetters")
                .counter(RejectReason.VALUE_TOO_LARGE.name());
    }

    @Override
    public void processElement(ListDelta delta, Context ctx, Collector<CacheMutation> out) throws Exception {
        boolean changed;
        if (delta.isRemoval()) {
            changed = members.contains(delta.orderId);
            if (changed) {
                members.remove(delta.orderId);
            }
        } else {
            changed = !delta.summary.equals(members.get(delta.orderId));
            if (changed) {
                members.put(delta.orderId, delta.summary);
            }
        }
        // all-orders must exist even when empty, so its first delta renders it even without effect.
        boolean neverRendered = refreshAt.value() == null && isAllOrders(ctx.getCurrentKey());
        if (!changed && !neverRendered && !delta.rerender) {
            deltasWithoutEffect.inc();
            return;
        }
        if (flushAt.value() != null) {
            deltasCoalesced.inc();
            return;
        }
        long at = ctx.timerService().currentProcessingTime() + flushIntervalMillis;
        ctx.timerService().registerProcessingTimeTimer(at);
        flushAt.update(at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CacheMutation> out) throws Exception {
        Long pendingFlush = flushAt.value();
        Long pendingRefresh = refreshAt.value();
        boolean isFlush = pendingFlush != null && pendingFlush == timestamp;
        boolean isRefresh = pendingRefresh != null && pendingRefresh == timestamp;
        if (!isFlush && !isRefresh) {
            return;
        }
        if (isFlush) {
            flushAt.clear();
        }
        if (pendingRefresh != null && !isRefresh) {
            ctx.timerService().deleteProcessingTimeTimer(pendingRefresh);
        }
        String listKey = ctx.getCurrentKey();
        List<OrderSummary> summaries = new ArrayList<>();
        for (OrderSummary s : members.values()) {
            summaries.add(s);
        }
        listsRendered.inc();
        if (summaries.isEmpty() && !isAllOrders(listKey)) {
            // A creator list exists only while the creator has orders.
            out.collect(CacheMutation.delete(listKey));
            refreshAt.clear();
            return;
        }
        String rendered = contract.renderList(summaries, maxEntries);
        if (!contract.fits(rendered)) {
            // Deleted rather than left as it was: the older value would be stale. Nothing to keep alive.
            out.collect(CacheMutation.delete(listKey));
            refreshAt.clear();
            valuesTooLarge.inc();
            ctx.output(DeadLetter.OUTPUT, DeadLetter.of(RejectReason.VALUE_TOO_LARGE,
                    "list '" + listKey + "' renders to " + CacheContract.utf8Length(rendered) + " bytes ("
                            + Math.min(summaries.size(), maxEntries) + " entries), over max-value-bytes "
                            + contract.maxValueBytes() + "; deleted instead of written, so readers fall back to the table",
                    null, null, null, ctx.timerService().currentProcessingTime(), null));
            return;
        }
        out.collect(CacheMutation.put(listKey, rendered, ttlMillis));
        long next = ctx.timerService().currentProcessingTime() + Math.max(1, ttlMillis / 2);
        ctx.timerService().registerProcessingTimeTimer(next);
        refreshAt.update(next);
    }

    private boolean isAllOrders(String listKey) {
        return contract.allOrdersKey().equals(listKey);
    }
}
