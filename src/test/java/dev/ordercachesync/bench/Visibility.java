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
import java.util.HashMap;
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
    final List<String> problems = new ArrayList<>();

    private Visibility(int n) {
        allViewsNanos = new long[n];
        detailNanos = new long[n];
    }

    /** One order's states in one view; entry 0 is the state before the recording. */
    private static final class Timeline {
        final List<Integer> change = new ArrayList<>();
        final List<String> state = new ArrayList<>();
        final List<Long> arrival = new ArrayList<>();
        long[] visible;
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
        /** (arrival, order) of every entry, in arrival order, to know which orders await a write. */
        final List<long[]> arrivals = new ArrayList<>();
        final List<String> arrivalOrders = new ArrayList<>();

        View(boolean isList) {
            this.isList = isList;
        }

        Timeline timeline(String orderId) {
            return byOrder.computeIfAbsent(orderId, id -> new Timeline(isList ? ABSENT : NEVER_WRITTEN));
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
                              CacheContract contract) {
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
        for (Map.Entry<String, View> e : views.entrySet()) {
            walk(e.getKey(), e.getValue(), writesByKey.getOrDefault(e.getKey(), Collections.emptyList()), result.problems);
        }

        for (Change c : recording.changes) {
            long latest = Long.MIN_VALUE;
            for (Place p : placesOf.get(c.index)) {
                long v = p.timeline.visible[p.entry];
                if (v < 0) {
                    latest = -1;
                    break;
                }
                latest = Math.max(latest, v);
            }
            result.allViewsNanos[c.index] = latest;
            result.detailNanos[c.index] = detailPlace[c.index].timeline.visible[detailPlace[c.index].entry];
            if (latest < 0 && result.problems.size() < 20) {
                result.problems.add("change " + c.index + " (" + c.kind + " " + c.orderId + ") never became visible in all its views");
            }
        }
        return result;
    }

    private static Place place(Map<String, View> views, boolean isList, String key, Change c, long at, String state,
                               List<Place> places) {
        View view = views.computeIfAbsent(key, k -> new View(isList));
        Timeline t = view.timeline(c.orderId);
        int entry = t.add(c.index, state, at);
        view.arrivals.add(new long[] {at});
        view.arrivalOrders.add(c.orderId);
        Place p = new Place(t, entry);
        places.add(p);
        return p;
    }

    private static void walk(String key, View view, List<WriteLog.Write> writes, List<String> problems) {
        for (Timeline t : view.byOrder.values()) {
            t.visible = new long[t.state.size()];
            Arrays.fill(t.visible, -1);
            t.visible[0] = Long.MIN_VALUE;
        }
        // Arrivals are recorded in change order, which is arrival order.
        Set<String> pending = new LinkedHashSet<>();
        int nextArrival = 0;
        for (WriteLog.Write w : writes) {
            while (nextArrival < view.arrivals.size() && view.arrivals.get(nextArrival)[0] <= w.nanos) {
                String orderId = view.arrivalOrders.get(nextArrival++);
                view.byOrder.get(orderId).arrivedUpTo++;
                pending.add(orderId);
            }
            if (pending.isEmpty()) {
                continue;
            }
            Map<String, String> shown = view.isList ? listEntries(key, w) : null;
            for (java.util.Iterator<String> it = pending.iterator(); it.hasNext(); ) {
                String orderId = it.next();
                Timeline t = view.byOrder.get(orderId);
                String observed = view.isList
                        ? (shown == null ? ABSENT : shown.getOrDefault(orderId, ABSENT))
                        : (w.value == null ? DELETED : w.value.toStringUtf8());
                int match = -1;
                for (int j = t.arrivedUpTo; j >= t.pointer; j--) {
                    if (t.state.get(j).equals(observed)) {
                        match = j;
                        break;
                    }
                }
                if (match < 0) {
                    if (t.state.subList(0, t.pointer).contains(observed)) {
                        report(problems, "view " + key + " went back to an older state of order " + orderId);
                    } else if (!(view.isList && observed.equals(ABSENT) && t.pointer == 0)) {
                        report(problems, "view " + key + " showed a state of order " + orderId + " that no change gave it: "
                                + abbreviate(observed));
                    }
                    continue;
                }
                for (int k = t.pointer + 1; k <= match; k++) {
                    if (t.visible[k] < 0) {
                        t.visible[k] = w.nanos;
                    }
                }
                t.pointer = match;
                if (t.pointer == t.arrivedUpTo) {
                    it.remove();
                }
            }
        }
        // A change that leaves the view's state as it was is visible once that state is, and once it has arrived.
        for (Timeline t : view.byOrder.values()) {
            for (int k = 1; k < t.state.size(); k++) {
                if (t.visible[k] < 0 && t.visible[k - 1] != -1 && t.state.get(k).equals(t.state.get(k - 1))) {
                    t.visible[k] = Math.max(t.visible[k - 1], t.arrival.get(k));
                }
            }
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
