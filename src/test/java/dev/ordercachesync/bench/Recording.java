package dev.ordercachesync.bench;

import dev.ordercachesync.model.Order;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic list of DynamoDB Streams records (JSON, sequence numbers, shard ids) grouped in waves: wave
 * {@code w} arrives {@code w} wave intervals after the start when the recording is replayed at its pace.
 */
final class Recording {
    final String name;
    final List<Change> changes;
    final int waves;

    Recording(String name, List<Change> changes) {
        this.name = name;
        this.changes = Collections.unmodifiableList(changes);
        this.waves = changes.isEmpty() ? 0 : changes.get(changes.size() - 1).wave + 1;
    }

    int size() {
        return changes.size();
    }

    /** The first {@code n} changes: what the slower baseline replays. */
    Recording prefix(int n) {
        return n >= changes.size() ? this : new Recording(name + "[0," + n + ")", changes.subList(0, n));
    }

    /** Applies every change to a map of live orders by id, as the table would hold them. */
    void applyTo(Map<String, Order> orders) {
        for (Change c : changes) {
            if (c.after == null) {
                orders.remove(c.orderId);
            } else {
                orders.put(c.orderId, c.after);
            }
        }
    }

    Map<String, Order> finalOrders() {
        Map<String, Order> orders = new LinkedHashMap<>();
        applyTo(orders);
        return orders;
    }
}
