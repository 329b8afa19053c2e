package dev.ordercachesync.localmomento;

import com.google.protobuf.ByteString;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The items of one cache, plus the order in which writes were applied to each key. Expiry is lazy: an item
 * past its deadline is dropped the next time anything looks at it, which is all a loopback server needs.
 */
final class Keyspace {

    /** What the history records for a delete, in place of a value. */
    static final String DELETED = "<deleted>";

    // Bounds memory when a local run keeps rewriting the same keys for hours; tests never come close.
    static final int HISTORY_LIMIT_PER_KEY = 1000;

    private final Map<ByteString, Item> items = new HashMap<>();
    private final Map<ByteString, Deque<String>> historyByKey = new HashMap<>();

    /** The live value, or null if the key is absent or expired. */
    synchronized ByteString get(ByteString key, long nowMillis) {
        Item item = items.get(key);
        if (item == null) {
            return null;
        }
        if (item.isExpired(nowMillis)) {
            items.remove(key);
            return null;
        }
        return item.value;
    }

    synchronized void set(ByteString key, ByteString value, long expiresAtMillis) {
        items.put(key, new Item(value, expiresAtMillis));
        record(key, value.toStringUtf8());
    }

    synchronized void delete(ByteString key) {
        items.remove(key);
        record(key, DELETED);
    }

    /** Drops every item; the write history stays, since a flush is not a write to any one key. */
    synchronized void flush() {
        items.clear();
    }

    synchronized SortedMap<String, String> snapshot(long nowMillis) {
        SortedMap<String, String> live = new TreeMap<>();
        for (Iterator<Map.Entry<ByteString, Item>> it = items.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ByteString, Item> entry = it.next();
            if (entry.getValue().isExpired(nowMillis)) {
                it.remove();
            } else {
                live.put(entry.getKey().toStringUtf8(), entry.getValue().value.toStringUtf8());
            }
        }
        return live;
    }

    synchronized List<String> history(ByteString key) {
        Deque<String> history = historyByKey.get(key);
        return history == null ? List.of() : new ArrayList<>(history);
    }

    /** Every key a set or delete was ever applied to, live or not. */
    synchronized SortedSet<String> writtenKeys() {
        SortedSet<String> keys = new TreeSet<>();
        for (ByteString key : historyByKey.keySet()) {
            keys.add(key.toStringUtf8());
        }
        return keys;
    }

    private void record(ByteString key, String applied) {
        Deque<String> history = historyByKey.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (history.size() == HISTORY_LIMIT_PER_KEY) {
            history.removeFirst();
        }
        history.addLast(applied);
    }

    private static final class Item {
        final ByteString value;
        final long expiresAtMillis;

        Item(ByteString value, long expiresAtMillis) {
            this.value = value;
            this.expiresAtMillis = expiresAtMillis;
        }

        boolean isExpired(long nowMillis) {
            return nowMillis >= expiresAtMillis;
        }
    }
}
