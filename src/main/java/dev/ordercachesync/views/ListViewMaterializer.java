package dev.ordercachesync.views;

import dev.ordercachesync.deadletter.DeadLetter;
import dev.ordercachesync.deadletter.DeadLetterCounters;
import dev.ordercachesync.deadletter.RejectReason;
import dev.ordercachesync.metrics.CloudWatchMetrics;
import dev.ordercachesync.model.CacheMutation;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Keyed by list key: keeps each list's members in keyed state and renders the list's newest entries from it.
 *
 * <p>One subtask owns each list, so each list has exactly one writer and is never read back from the cache.
 * Changes are coalesced: a list re-renders at most once per flush interval, stretched for a big list so that it is
 * written at most {@code listWriteKibPerSecond} metered KiB per second. Besides its members by id, a list keeps
 * them in a ranked index ({@link CacheContract#listRank} and id), which RocksDB iterates newest first: a flush reads
 * about {@code maxEntries} entries however many members the list has (see {@link ListViewOperator}). A rendered
 * value equal to the one last written is not written again.
 *
 * <p>A list that still has entries (and all-orders, which always exists) is re-written before its TTL runs out, on
 * the {@link RefreshSchedule}. A list that renders over the contract's value bound is deleted instead, with one dead
 * letter per state of the list on {@link DeadLetter#OUTPUT}, whose id is the same on a replay. A flush still pending
 * when the input ends (a bounded input, or {@code flink stop --drain}, both of which send the final watermark) is
 * made at once, so no change is left unwritten.
 */
public class ListViewMaterializer extends KeyedProcessFunction<String, ListDelta, CacheMutation> {
    private static final long serialVersionUID = 1L;
    /** A digest no rendering has, for a list whose cached value may be gone (a table scan re-renders it). */
    private static final String FORGOTTEN_DIGEST = "";

    public static final String MEMBERS_STATE = "list-members";
    public static final String RANKED_STATE = "list-ranked";
    static final String RENDERING_STATE = "list-rendering";
    static final String FLUSH_TIMER_STATE = "pending-flush-at";
    static final String REFRESH_TIMER_STATE = "refresh-at";
    /** Momento meters one operation per started KiB of key and value. */
    public static final int METERED_UNIT_BYTES = 1024;

    private final CacheContract contract;
    private final int maxEntries;
    private final long flushIntervalMillis;
    private final long ttlMillis;
    private final double writeKibPerSecond;
    private final RefreshSchedule refreshes;

    private transient boolean rankedInOrder;
    private transient MapState<String, OrderSummary> members;
    private transient MapState<Tuple2<Long, String>, OrderSummary> ranked;
    private transient ValueState<ListRendering> rendering;
    private transient ValueState<Long> flushAt;
    private transient ValueState<Long> refreshAt;
    private transient Counter listsRendered;
    private transient Counter listsRefreshed;
    private transient Counter rendersUnchanged;
    private transient Counter entriesRead;
    private transient Counter renderNanos;
    private transient Counter allOrdersRenders;
    private transient Counter allOrdersRenderNanos;
    private transient Counter deltasCoalesced;
    private transient Counter deltasWithoutEffect;
    private transient DeadLetterCounters deadLetters;
    private transient Counter refreshesDeferred;
    private transient MessageDigest sha256;

    public ListViewMaterializer(CacheContract contract, int maxEntries, Duration flushInterval, Duration cacheTtl,
                                double writeKibPerSecond) {
        if (!(writeKibPerSecond > 0)) {
            throw new IllegalArgumentException("list write rate must be above 0 KiB/s, got " + writeKibPerSecond);
        }
        this.contract = contract;
        this.maxEntries = maxEntries;
        this.flushIntervalMillis = flushInterval.toMillis();
        this.ttlMillis = cacheTtl.toMillis();
        this.writeKibPerSecond = writeKibPerSecond;
        this.refreshes = new RefreshSchedule(ttlMillis);
    }

    /** A list's members by order id. Savepoints and the state inspector read them by this descriptor. */
    public static MapStateDescriptor<String, OrderSummary> membersStateDescriptor() {
        return new MapStateDescriptor<>(MEMBERS_STATE, Types.STRING, TypeInformation.of(OrderSummary.class));
    }

    /** The same members by (rank, id): the rank's fixed eight big-endian bytes come first in the serialized key. */
    public static MapStateDescriptor<Tuple2<Long, String>, OrderSummary> rankedStateDescriptor() {
        return new MapStateDescriptor<>(RANKED_STATE, Types.TUPLE(Types.LONG, Types.STRING), TypeInformation.of(OrderSummary.class));
    }

    static ValueStateDescriptor<ListRendering> renderingStateDescriptor() {
        return new ValueStateDescriptor<>(RENDERING_STATE, TypeInformation.of(ListRendering.class));
    }

    private static ValueStateDescriptor<Long> flushTimerStateDescriptor() {
        return new ValueStateDescriptor<>(FLUSH_TIMER_STATE, Types.LONG);
    }

    private static ValueStateDescriptor<Long> refreshTimerStateDescriptor() {
        return new ValueStateDescriptor<>(REFRESH_TIMER_STATE, Types.LONG);
    }

    /** Every state this function opens, for the check that no state type falls back to Kryo. */
    public List<StateDescriptor<?, ?>> declaredState() {
        return List.of(membersStateDescriptor(), rankedStateDescriptor(), renderingStateDescriptor(),
                flushTimerStateDescriptor(), refreshTimerStateDescriptor());
    }

    /** Entries this subtask has read from state to render lists, for tests of what a flush costs. */
    long entriesReadSoFar() {
        return entriesRead.getCount();
    }

    /** Set by {@link ListViewOperator} before {@link #open}: whether map state iterates in serialized key order. */
    void rankedIterationSorted(boolean sorted) {
        this.rankedInOrder = sorted;
    }

    @Override
    public void open(OpenContext openContext) throws NoSuchAlgorithmException {
        members = getRuntimeContext().getMapState(membersStateDescriptor());
        ranked = getRuntimeContext().getMapState(rankedStateDescriptor());
        rendering = getRuntimeContext().getState(renderingStateDescriptor());
        flushAt = getRuntimeContext().getState(flushTimerStateDescriptor());
        refreshAt = getRuntimeContext().getState(refreshTimerStateDescriptor());
        MetricGroup metrics = CloudWatchMetrics.of(getRuntimeContext().getMetricGroup());
        listsRendered = metrics.counter("listsRendered");
        listsRefreshed = metrics.counter("listsRefreshed");
        rendersUnchanged = metrics.counter("listRendersUnchanged");
        entriesRead = metrics.counter("listEntriesRead");
        renderNanos = metrics.counter("listRenderNanos");
        // all-orders is the list that grows with the deployment's history: its own figures show what that costs.
        allOrdersRenders = metrics.counter("allOrdersRenders");
        allOrdersRenderNanos = metrics.counter("allOrdersRenderNanos");
        deltasCoalesced = metrics.counter("listDeltasCoalesced");
        deltasWithoutEffect = metrics.counter("listDeltasWithoutEffect");
        refreshesDeferred = metrics.counter("listRefreshesDeferred");
        deadLetters = DeadLetterCounters.register(getRuntimeContext().getMetricGroup(), RejectReason.VALUE_TOO_LARGE);
        sha256 = MessageDigest.getInstance("SHA-256");
    }

    @Override
    public void processElement(ListDelta delta, Context ctx, Collector<CacheMutation> out) throws Exception {
        ListRendering last = renderingWithRankedIndex();
        OrderSummary previous = members.get(delta.orderId);
        boolean changed;
        if (delta.isRemoval()) {
            changed = previous != null;
            if (changed) {
                members.remove(delta.orderId);
                ranked.remove(rankKey(previous));
            }
        } else {
            changed = !delta.summary.equals(previous);
            if (changed) {
                if (previous != null) {
                    ranked.remove(rankKey(previous));
                }
                members.put(delta.orderId, delta.summary);
                ranked.put(rankKey(delta.summary), delta.summary);
            }
        }
        // all-orders must exist even when empty, so its first delta renders it even without effect.
        boolean neverRendered = last.digest == null && refreshAt.value() == null && isAllOrders(ctx.getCurrentKey());
        if (!changed && !neverRendered && !delta.rerender) {
            deltasWithoutEffect.inc();
            return;
        }
        if (delta.rerender && last.digest != null) {
            // The cache may have lost the value: forget its digest, so the next render writes it even if unchanged.
            last.digest = FORGOTTEN_DIGEST;
            rendering.update(last);
        }
        if (flushAt.value() != null) {
            deltasCoalesced.inc();
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        long at = now + flushIntervalMillis;
        if (last.digest != null) {
            // A big list waits until its last write has been paid for at the configured metered rate.
            at = Math.max(at, last.writtenAt + meteredIntervalMillis(last.bytes));
        }
        ctx.timerService().registerProcessingTimeTimer(at);
        // Fires on the final watermark only: processing-time timers do not fire once the input has ended.
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        flushAt.update(at);
    }

    /** How long a list of this many metered bytes waits between writes, at the configured KiB per second. */
    long meteredIntervalMillis(int bytes) {
        long operations = (bytes + METERED_UNIT_BYTES - 1) / METERED_UNIT_BYTES;
        return (long) Math.ceil(operations * 1000.0 / writeKibPerSecond);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CacheMutation> out) throws Exception {
        Long pendingFlush = flushAt.value();
        Long pendingRefresh = refreshAt.value();
        boolean endOfInput = ctx.timeDomain() == TimeDomain.EVENT_TIME;
        boolean isFlush = pendingFlush != null && (endOfInput || pendingFlush == timestamp);
        boolean isRefresh = !endOfInput && pendingRefresh != null && pendingRefresh == timestamp;
        if (!isFlush && !isRefresh) {
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        if (!isFlush) {
            long admitted = refreshes.admit(now);
            if (admitted != now) {
                refreshesDeferred.inc();
                ctx.timerService().registerProcessingTimeTimer(admitted);
                refreshAt.update(admitted);
                return;
            }
        }
        if (pendingFlush != null) {
            // A refresh renders the pending changes too: the flush is done by it.
            if (pendingFlush != timestamp || endOfInput) {
                ctx.timerService().deleteProcessingTimeTimer(pendingFlush);
            }
            if (!endOfInput) {
                ctx.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
            }
            flushAt.clear();
        }
        if (pendingRefresh != null && !isRefresh) {
            ctx.timerService().deleteProcessingTimeTimer(pendingRefresh);
        }
        refreshAt.clear();
        long started = System.nanoTime();
        render(ctx, out, now, isRefresh);
        long took = System.nanoTime() - started;
        renderNanos.inc(took);
        if (isAllOrders(ctx.getCurrentKey())) {
            allOrdersRenders.inc();
            allOrdersRenderNanos.inc(took);
        }
    }

    /** Renders the list; an unchanged value is written only when its refresh is due ({@code refreshDue}). */
    private void render(OnTimerContext ctx, Collector<CacheMutation> out, long now, boolean refreshDue) throws Exception {
        String listKey = ctx.getCurrentKey();
        ListRendering last = renderingWithRankedIndex();
        List<OrderSummary> newest = newestEntries();
        if (newest.isEmpty() && !isAllOrders(listKey)) {
            // A creator list exists only while the creator has orders.
            listsRendered.inc();
            out.collect(CacheMutation.delete(listKey));
            rendering.update(written(last, null, 0, now, false));
            return;
        }
        String value = contract.renderSorted(newest);
        String digest = digest(listKey, value);
        boolean unchanged = digest.equals(last.digest);
        if (!contract.fits(value)) {
            if (unchanged && last.oversized) {
                // The same state as last time: deleted and dead-lettered already.
                rendersUnchanged.inc();
                return;
            }
            listsRendered.inc();
            // Deleted rather than left as it was: the older value would be stale. Nothing to keep alive.
            out.collect(CacheMutation.delete(listKey));
            rendering.update(written(last, digest, 0, now, true));
            deadLetters.count(RejectReason.VALUE_TOO_LARGE);
            DeadLetter letter = DeadLetter.of(RejectReason.VALUE_TOO_LARGE,
                    "list '" + listKey + "' renders to " + CacheContract.utf8Length(value) + " bytes ("
                            + newest.size() + " entries), over max-value-bytes "
                            + contract.maxValueBytes() + "; deleted instead of written, so readers fall back to the table",
                    null, null, null, now, null);
            // One item per state of the list: a replay of the same state overwrites it.
            letter.id = "list#" + digest;
            ctx.output(DeadLetter.OUTPUT, letter);
            return;
        }
        if (unchanged && !refreshDue && !last.oversized) {
            // A change outside the newest entries, or undone before the flush: the cache holds this value already.
            rendersUnchanged.inc();
        } else if (unchanged && !last.oversized) {
            listsRefreshed.inc();
            out.collect(CacheMutation.refresh(listKey, value, ttlMillis));
            rendering.update(written(last, digest, meteredBytes(listKey, value), now, false));
        } else {
            listsRendered.inc();
            out.collect(CacheMutation.put(listKey, value, ttlMillis));
            rendering.update(written(last, digest, meteredBytes(listKey, value), now, false));
        }
        long writtenAt = rendering.value().writtenAt;
        long next = refreshes.nextRefresh(listKey, writtenAt);
        ctx.timerService().registerProcessingTimeTimer(next);
        refreshAt.update(next);
    }

    /**
     * The newest {@code maxEntries} members in {@link CacheContract#LIST_ORDER}. In rank order, reading stops after
     * the last entry that shares the rank of the {@code maxEntries}-th; otherwise every member is read.
     */
    private List<OrderSummary> newestEntries() throws Exception {
        List<OrderSummary> taken = new ArrayList<>();
        long read = 0;
        if (rankedInOrder) {
            // Already in rank order: only entries that share a rank (the same millisecond) need their createdAt
            // parsed to be ordered, which is most of a render's time when done for every entry.
            List<OrderSummary> sameRank = new ArrayList<>();
            long boundary = -1;
            for (Map.Entry<Tuple2<Long, String>, OrderSummary> e : ranked.entries()) {
                long rank = e.getKey().f0;
                if (rank != boundary) {
                    addInListOrder(sameRank, taken);
                    if (taken.size() >= maxEntries) {
                        break;
                    }
                }
                read++;
                sameRank.add(e.getValue());
                boundary = rank;
            }
            addInListOrder(sameRank, taken);
            entriesRead.inc(read);
            return taken.size() > maxEntries ? taken.subList(0, maxEntries) : taken;
        } else {
            // Unordered iteration: the maxEntries-th smallest rank first (a bounded max-heap of ranks, no parsing),
            // then every entry up to that rank, ties included.
            PriorityQueue<Long> smallest = new PriorityQueue<>(Math.min(maxEntries, 1024) + 1, Comparator.reverseOrder());
            for (Tuple2<Long, String> key : ranked.keys()) {
                read++;
                smallest.add(key.f0);
                if (smallest.size() > maxEntries) {
                    smallest.poll();
                }
            }
            long boundary = smallest.isEmpty() ? Long.MIN_VALUE : smallest.peek();
            for (Map.Entry<Tuple2<Long, String>, OrderSummary> e : ranked.entries()) {
                if (e.getKey().f0 <= boundary) {
                    taken.add(e.getValue());
                }
            }
        }
        entriesRead.inc(read);
        List<OrderSummary> sorted = CacheContract.newestFirst(taken);
        return sorted.size() > maxEntries ? sorted.subList(0, maxEntries) : sorted;
    }

    private static void addInListOrder(List<OrderSummary> sameRank, List<OrderSummary> taken) {
        if (sameRank.size() == 1) {
            taken.add(sameRank.get(0));
        } else if (!sameRank.isEmpty()) {
            taken.addAll(CacheContract.newestFirst(sameRank));
        }
        sameRank.clear();
    }

    /**
     * The list's rendering state, building the ranked index first when the list was restored from a version
     * without one. Reads every member once per list, on its first touch.
     */
    private ListRendering renderingWithRankedIndex() throws Exception {
        ListRendering r = rendering.value();
        if (r != null && r.ranked) {
            return r;
        }
        ranked.clear();
        for (OrderSummary s : members.values()) {
            ranked.put(rankKey(s), s);
        }
        ListRendering built = r != null ? r : new ListRendering();
        built.ranked = true;
        rendering.update(built);
        return built;
    }

    private static ListRendering written(ListRendering last, String digest, int bytes, long now, boolean oversized) {
        last.digest = digest;
        last.bytes = bytes;
        last.writtenAt = now;
        last.oversized = oversized;
        return last;
    }

    private static Tuple2<Long, String> rankKey(OrderSummary s) {
        return Tuple2.of(CacheContract.listRank(s.createdAt), s.id);
    }

    private static int meteredBytes(String key, String value) {
        return CacheContract.utf8Length(key) + CacheContract.utf8Length(value);
    }

    private String digest(String listKey, String value) {
        sha256.reset();
        sha256.update(listKey.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private boolean isAllOrders(String listKey) {
        return contract.allOrdersKey().equals(listKey);
    }
}
