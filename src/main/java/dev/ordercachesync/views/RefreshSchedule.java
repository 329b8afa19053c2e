package dev.ordercachesync.views;

import java.io.Serializable;

/**
 * When a view that has not changed is re-written so it never expires, and how many re-writes one operator sends
 * at once.
 *
 * <p>Each key refreshes on its own phase of a grid with a period of half the TTL, the phase derived from the
 * key's hash, so the refreshes of many keys spread evenly over the window whenever their views were last written.
 * A view's next refresh is the first grid point at least a quarter of the TTL after its last write, hence at most
 * three quarters of the TTL after it: the last quarter is the margin for a deferred refresh.
 *
 * <p>Refreshes are admitted at most {@link #maxPerTick} per {@link #tickMillis} tick. Flink fires every overdue
 * processing-time timer in one go (after a restore from an old savepoint, all of them); the ones over the cap are
 * laid out over the following ticks, so a backlog drains at a bounded rate, each firing stays short, and checkpoint
 * barriers and live changes get through between them. One instance per operator subtask; not thread-safe (a
 * subtask calls it from its mailbox thread only).
 */
public final class RefreshSchedule implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Refreshes one subtask sends per tick at most. */
    public static final int DEFAULT_MAX_PER_TICK = 50;
    public static final long DEFAULT_TICK_MILLIS = 100;

    private final long periodMillis;
    private final int maxPerTick;
    private final long tickMillis;

    private transient long tick = Long.MIN_VALUE;
    private transient int admittedInTick;
    private transient long deferredInTick;

    public RefreshSchedule(long ttlMillis) {
        this(ttlMillis, DEFAULT_MAX_PER_TICK, DEFAULT_TICK_MILLIS);
    }

    public RefreshSchedule(long ttlMillis, int maxPerTick, long tickMillis) {
        if (ttlMillis < 4 || maxPerTick < 1 || tickMillis < 1) {
            throw new IllegalArgumentException("refresh schedule needs a TTL of at least 4 ms, a cap and a tick of at least 1; got ttl "
                    + ttlMillis + " ms, cap " + maxPerTick + ", tick " + tickMillis + " ms");
        }
        this.periodMillis = ttlMillis / 2;
        this.maxPerTick = maxPerTick;
        this.tickMillis = tickMillis;
    }

    /** The time of the key's next refresh after a write of its view at {@code writtenAt}. */
    public long nextRefresh(String key, long writtenAt) {
        long phase = Math.floorMod(spread(key.hashCode()), periodMillis);
        long earliest = writtenAt + periodMillis / 2;
        long slot = earliest - Math.floorMod(earliest - phase, periodMillis);
        return slot < earliest ? slot + periodMillis : slot;
    }

    /**
     * Whether a refresh due now may be sent: returns {@code now} when it may, otherwise the later time to try again
     * at (a timer for that time takes the refresh's place).
     */
    public long admit(long now) {
        long current = Math.floorDiv(now, tickMillis);
        if (current != tick) {
            tick = current;
            admittedInTick = 0;
            deferredInTick = 0;
        }
        if (admittedInTick < maxPerTick) {
            admittedInTick++;
            return now;
        }
        // The n-th deferred refresh of this tick goes n / cap ticks later, so each later tick gets at most the cap.
        long ticksLater = 1 + deferredInTick / maxPerTick;
        deferredInTick++;
        return (current + ticksLater) * tickMillis;
    }

    /** The highest rate at which refreshes leave one subtask, per second. */
    public double maxPerSecond() {
        return maxPerTick * 1000.0 / tickMillis;
    }

    private static int spread(int h) {
        // String hash codes of similar keys cluster; mix the bits so phases spread evenly.
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
