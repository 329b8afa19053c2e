package dev.ordercachesync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.views.CacheContract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When each change of a recording became visible in the cache, from the server's applied writes.
 *
 * <p>Every view a change touches (its detail and admin detail, all-orders, the creator's list and, on a move or
 * delete, the old creator's list) has, per order, a timeline of the states the changes give it. A write of a view
 * shows a state; the change is visible in that view at the first write, made after the change arrived, that shows
 * its state or a later one (a newer write supersedes an older one). A change is visible when all its views show
 * it. A change that leaves a list unchanged is visible there as soon as the state it shares is.
 *
 * <p>Along the way it checks what the cache showed: a view that went back to an older state, or showed a state no
 * change gave it, is a problem the benchmark reports and fails on.
 */
final class Visibility {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ABSENT = "<absent>";
    private static final String DELETED = "<deleted>";
    private static final String NEVER_WRITTEN = "<never written>";

    /** Per change: when every view it touches shows it; -1 if one never did. */
    final long[] allViewsNanos;
    /** Per change: when its detail view {@code <id>} shows it. */
    final long[] detailNanos;
    /**
     * Per change: how long after its arrival the last of its views showed it, less the wait the job's list pacing
     * allows each list view (0 for details); -1 if one never did.
     */
    final long[] beyondPacingNanos;
    /** The longest wait list pacing allowed any view of any change. */
    long longestAllowedNanos;
    final List<String> problems = new ArrayList<>();

    private Visibility(int n) {
        allViewsNanos = new long[n];
        detailNanos = new long[n];
        beyondPacingNanos = new long[n];
    }

    /**
     * The job's rule for when a list may be written again: one flush interval after a change, and not before its
     * last write has been paid for at the configured metered KiB per second.
     */
    static final class ListPacing {
        /** No pacing: every view is due at once (the baseline writes one record at a time). */
        static final ListPacing NONE = new ListPacing(0, Double.POSITIVE_INFINITY);

        final long flushIntervalNanos;
        final double kibPerSecond;

        ListPacing(long flushIntervalNanos, double kibPerSecond) {
            this.flushIntervalNanos = flushIntervalNanos;
            this.kibPerSecond = kibPerSecond;
        }

        /** The wait the job may take before a change arriving at {@code arrival} shows in a list last written as {@code previous}. */
        long allowedNanos(WriteLog.Write previous, long arrival) {
            if (previous == null || previous.value == null) {
                return flushIntervalNanos;
            }
            long bytes = previous.key.size() + previous.value.size();
            long paidAt = previous.nanos + (long) Math.ceil(WriteLog.meteredOperations(bytes) * 1e9 / kibPerSecond);
            return Math.max(flushIntervalNanos, paidAt - arrival);
        }
    }

    /** One order's states in one view; entry 0 is the state before the recording. */
    private static final class Timeline {
        final List<Integer> change = new ArrayList<>();
        final List<String> state = new ArrayList<>();
        final List<Long> arrival = new ArrayList<>();
        long[] visible;
        /** Per entry: the wait list pacing allows before the view must show it. */
        long[] allowed;
        int pointer;
        int arrivedUpTo;

        Timeline(String initial) {
            change.add(-1);
            state.add(initial);
            arrival.add(Long.MIN_VALUE);
        }

        int add(int changeIndex, String s, long arrivalNanos) {
            change.add(changeIndex);
            state.add(s);
            arrival.add(arrivalNanos);
            return state.size() - 1;
        }
    }

    private static final class View {
        final boolean isList;
        final Map<String, Timeline> byOrder = new HashMap<>();
        /** Every entry's arrival, to know which orders await a write; sorted by time before the walk. */
        final List<Arrival> arrivals = new ArrayList<>();

        View(boolean isList) {
            this.isList = isList;
        }

        Timeline timeline(String orderId) {
            return byOrder.computeIfAbsent(orderId, id -> new Timeline(isList ? ABSENT : NEVER_WRITTEN));
        }
    }

    private static final class Arrival {
        final long nanos;
        final String orderId;

        Arrival(long nanos, String orderId) {
            this.nanos = nanos;
            this.orderId = orderId;
        }
    }

    /** Where one change sits: the view, the order's timeline and the entry. */
    private static final class Place {
        final Timeline timeline;
        final int entry;

        Place(Timeline timeline, int entry) {
            this.timeline = timeline;
            this.entry = entry;
        }
    }

    static Visibility analyse(Recording recording, long[] arrivalNanos, List<WriteLog.Write> writes,
                              CacheContract contract, ListPacing pacing) {
        int n = recording.size();
        Visibility result = new Visibility(n);
        Map<String, View> views = new HashMap<>();
        List<List<Place>> placesOf = new ArrayList<>();
        Place[] detailPlace = new Place[n];
        for (Change c : recording.changes) {
            List<Place> places = new ArrayList<>();
            long at = arrivalNanos[c.index];
            Order after = c.after;
            detailPlace[c.index] = place(views, false, contract.detailKey(c.orderId), c, at,
                    after == null ? DELETED : contract.renderDetail(after), places);
            place(views, false, contract.adminDetailKey(c.orderId), c, at,
                    after == null ? DELETED : contract.renderAdminDetail(after), places);
            place(views, true, contract.allOrdersKey(), c, at,
                    after != null && CacheContract.listedInAllOrders(after.status) ? summaryKey(after) : ABSENT, places);
            if (after != null) {
                place(views, true, contract.creatorListKey(after.creator), c, at, summaryKey(after), places);
            }
            if (c.before != null && (after == null || !c.before.creator.equals(after.creator))) {
                place(views, true, contract.creatorListKey(c.before.creator), c, at, ABSENT, places);
            }
            placesOf.add(places);
        }

        Map<String, List<WriteLog.Write>> writesByKey = new HashMap<>();
        for (WriteLog.Write w : writes) {
            writesByKey.computeIfAbsent(w.key.toStringUtf8(), k -> new ArrayList<>()).add(w);
        }
        // Detail views first: list views use them as evidence of when the job had applied a change.
        for (boolean lists : new boolean[] {false, true}) {
            long[] detailVisible = new long[n];
            for (int i = 0; i < n; i++) {
                detailVisible[i] = lists ? detailPlace[i].timeline.visible[detailPlace[i].entry] : -1;
            }
            for (Map.Entry<String, View> e : views.entrySet()) {
                if (e.getValue().isList == lists) {
                    walk(e.getKey(), e.getValue(), writesByKey.getOrDefault(e.getKey(), Collections.emptyList()),
                            detailVisible, result.problems, pacing);
                }
            }
        }

        for (Change c : recording.changes) {
            long latest = Long.MIN_VALUE;
            long beyond = Long.MIN_VALUE;
            for (Place p : placesOf.get(c.index)) {
                long v = p.timeline.visible[p.entry];
                if (v < 0) {
                    latest = -1;
                    beyond = -1;
                    break;
                }
                latest = Math.max(latest, v);
                beyond = Math.max(beyond, v - arrivalNanos[c.index] - p.timeline.allowed[p.entry]);
                result.longestAllowedNanos = Math.max(result.longestAllowedNanos, p.timeline.allowed[p.entry]);
            }
            result.allViewsNanos[c.index] = latest;
            result.beyondPacingNanos[c.index] = beyond < 0 && latest >= 0 ? 0 : beyond;
            result.detailNanos[c.index] = detailPlace[c.index].timeline.visible[detailPlace[c.index].entry];
            if (latest < 0 && result.problems.size() < 20) {
                result.problems.add("change " + c.index + " (" + c.kind + " " + c.orderId + ") never became visible in all its views");
            }
        }
        return result;
    }

    /** The index of the key's first write applied after {@code nanos}; writes are in the order the server applied them. */
    private static int firstIndexAfter(List<WriteLog.Write> writes, long nanos) {
        int lo = 0;
        int hi = writes.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (writes.get(mid).nanos <= nanos) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static Place place(Map<String, View> views, boolean isList, String key, Change c, long at, String state,
                               List<Place> places) {
        View view = views.computeIfAbsent(key, k -> new View(isList));
        Timeline t = view.timeline(c.orderId);
        int entry = t.add(c.index, state, at);
        view.arrivals.add(new Arrival(at, c.orderId));
        Place p = new Place(t, entry);
        places.add(p);
        return p;
    }

    private static void walk(String key, View view, List<WriteLog.Write> writes, long[] detailVisible,
                             List<String> problems, ListPacing pacing) {
        for (Timeline t : view.byOrder.values()) {
            t.visible = new long[t.state.size()];
            Arrays.fill(t.visible, -1);
            t.visible[0] = Long.MIN_VALUE;
            t.allowed = new long[t.state.size()];
        }
        // Stable: one order's changes arrive in their own order even when writes of a wave overlap.
        view.arrivals.sort(Comparator.comparingLong(a -> a.nanos));
        Set<String> pending = new LinkedHashSet<>();
        int nextArrival = 0;
        for (WriteLog.Write w : writes) {
            while (nextArrival < view.arrivals.size() && view.arrivals.get(nextArrival).nanos <= w.nanos) {
                String orderId = view.arrivals.get(nextArrival++).orderId;
                view.byOrder.get(orderId).arrivedUpTo++;
                pending.add(orderId);
            }
            if (pending.isEmpty()) {
                continue;
            }
            Map<String, String> shown = view.isList ? listEntries(key, w) : null;
            for (Iterator<String> it = pending.iterator(); it.hasNext(); ) {
                String orderId = it.next();
                Timeline t = view.byOrder.get(orderId);
                String observed = view.isList
                        ? (shown == null ? ABSENT : shown.getOrDefault(orderId, ABSENT))
                        : (w.value == null ? DELETED : w.value.toStringUtf8());
                int match = observed.equals(ABSENT) ? matchAbsent(t) : matchExact(t, observed);
                if (match == NO_PROGRESS) {
                    continue;
                }
                if (match < 0) {
                    if (t.state.subList(0, t.pointer).contains(observed) || observed.equals(ABSENT)) {
                        report(problems, "view " + key + " went back to an older state of order " + orderId);
                    } else {
                        report(problems, "view " + key + " showed a state of order " + orderId
                                + " that no change gave it: " + abbreviate(observed));
                    }
                    continue;
                }
                markUpTo(t, match, w.nanos);
                if (t.pointer == t.arrivedUpTo) {
                    it.remove();
                }
            }
        }
        if (view.isList) {
            resolveNeverShown(view, writes, detailVisible);
        }
        // A change that leaves the view's state as it was is visible once that state is, and once it has arrived.
        for (Timeline t : view.byOrder.values()) {
            for (int k = 1; k < t.state.size(); k++) {
                if (t.visible[k] < 0 && t.visible[k - 1] != -1 && t.state.get(k).equals(t.state.get(k - 1))) {
                    t.visible[k] = Math.max(t.visible[k - 1], t.arrival.get(k));
                }
            }
            if (view.isList) {
                for (int k = 1; k < t.state.size(); k++) {
                    t.allowed[k] = allowed(pacing, writes, t.arrival.get(k), t.visible[k]);
                }
            }
        }
    }

    /**
     * The wait pacing allows a change arriving at {@code arrival} that the list showed at {@code visible}. The first
     * write after the change arrived may have been rendered before the materializer had it (the sink applies it a
     * little later); if that write did not show it, the next is due once that one is paid for. Any later write that
     * still did not show it is delay.
     */
    private static long allowed(ListPacing pacing, List<WriteLog.Write> writes, long arrival, long visible) {
        int next = firstIndexAfter(writes, arrival);
        WriteLog.Write before = next == 0 ? null : writes.get(next - 1);
        if (next < writes.size() && visible >= 0 && writes.get(next).nanos < visible) {
            before = writes.get(next);
        }
        return pacing.allowedNanos(before, arrival);
    }

    private static final int NO_PROGRESS = Integer.MIN_VALUE;

    /** Values are unique per version (every change moves lastUpdated), so a shown state names its change. */
    private static int matchExact(Timeline t, String observed) {
        for (int j = t.arrivedUpTo; j >= t.pointer; j--) {
            if (t.state.get(j).equals(observed)) {
                return j;
            }
        }
        return -1;
    }

    /**
     * An order missing from a list is ambiguous while the list has never shown it: not added yet, or already gone
     * again. Only once it has been shown does its absence prove the change that took it out.
     */
    private static int matchAbsent(Timeline t) {
        if (t.pointer == 0) {
            return NO_PROGRESS;
        }
        int j = t.pointer;
        if (!t.state.get(j).equals(ABSENT)) {
            j++;
            while (j <= t.arrivedUpTo && !t.state.get(j).equals(ABSENT)) {
                j++;
            }
            if (j > t.arrivedUpTo) {
                return -1;
            }
        }
        while (j + 1 <= t.arrivedUpTo && t.state.get(j + 1).equals(ABSENT)) {
            j++;
        }
        return j == t.pointer ? NO_PROGRESS : j;
    }

    private static void markUpTo(Timeline t, int entry, long nanos) {
        for (int k = t.pointer + 1; k <= entry; k++) {
            if (t.visible[k] < 0) {
                t.visible[k] = nanos;
            }
        }
        t.pointer = entry;
    }

    /**
     * An order that joined and left a list between two renders was never shown in it. It left the list at the
     * first render after the job applied the change that took it out, which its detail view dates.
     */
    private static void resolveNeverShown(View view, List<WriteLog.Write> writes, long[] detailVisible) {
        for (Timeline t : view.byOrder.values()) {
            int last = t.state.size() - 1;
            if (t.pointer != 0 || last == 0 || !t.state.get(last).equals(ABSENT)) {
                continue;
            }
            int leave = last;
            while (leave > 1 && t.state.get(leave - 1).equals(ABSENT)) {
                leave--;
            }
            long applied = Math.max(t.arrival.get(leave), detailVisible[t.change.get(leave)]);
            if (detailVisible[t.change.get(leave)] < 0) {
                continue;
            }
            long at = applied;
            for (WriteLog.Write w : writes) {
                if (w.nanos >= applied) {
                    at = w.nanos;
                    break;
                }
            }
            markUpTo(t, leave, at);
        }
    }

    /** The list's entries by order id; null when the write deleted the list. */
    private static Map<String, String> listEntries(String key, WriteLog.Write w) {
        if (w.value == null) {
            return null;
        }
        Map<String, String> entries = new HashMap<>();
        try {
            for (JsonNode s : JSON.readTree(w.value.toStringUtf8())) {
                entries.put(s.path("id").asText(), summaryKey(s.path("id").asText(), s.path("createdAt").asText(),
                        s.path("status").asText(), s.path("numItems").asLong(),
                        s.hasNonNull("lastUpdated") ? s.get("lastUpdated").asText() : null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list " + key + " holds no JSON array", e);
        }
        return entries;
    }

    private static String summaryKey(Order o) {
        return summaryKey(o.id, o.createdAt, o.status, o.numItems, o.lastUpdated);
    }

    private static String summaryKey(String id, String createdAt, String status, long numItems, String lastUpdated) {
        return id + "|" + createdAt + "|" + status + "|" + numItems + "|" + lastUpdated;
    }

    private static void report(List<String> problems, String problem) {
        if (problems.size() < 20) {
            problems.add(problem);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
