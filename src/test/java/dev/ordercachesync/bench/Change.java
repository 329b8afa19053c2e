package dev.ordercachesync.bench;

import dev.ordercachesync.model.ChangeKind;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.RawStreamRecord;

/** One recorded stream record, with what it does to its order (the benchmark's answer key). */
final class Change {
    final int index;
    final int wave;
    final RawStreamRecord record;
    final String orderId;
    final ChangeKind kind;
    /** The order before the change; null for INSERT. */
    final Order before;
    /** The order after the change; null for REMOVE. */
    final Order after;

    Change(int index, int wave, RawStreamRecord record, String orderId, ChangeKind kind, Order before, Order after) {
        this.index = index;
        this.wave = wave;
        this.record = record;
        this.orderId = orderId;
        this.kind = kind;
        this.before = before;
        this.after = after;
    }
}
