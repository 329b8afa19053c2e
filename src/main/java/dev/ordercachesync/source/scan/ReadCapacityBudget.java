package dev.ordercachesync.source.scan;

/**
 * A token bucket of read capacity units: refills at a rate, holds at most one second of it, and may go into debt
 * (a page's cost is known only after it was read), which later pages then wait out. Time is passed in, so the
 * bucket is tested without clocks.
 */
final class ReadCapacityBudget {
    private final double unitsPerNano;
    private final double capacity;
    private double units;
    private long updatedAt;

    ReadCapacityBudget(double unitsPerSecond, long nowNanos) {
        if (!(unitsPerSecond > 0)) {
            throw new IllegalArgumentException("read capacity must be positive: " + unitsPerSecond);
        }
        this.unitsPerNano = unitsPerSecond / 1e9;
        this.capacity = unitsPerSecond;
        this.units = unitsPerSecond;
        this.updatedAt = nowNanos;
    }

    /** Nanoseconds until the bucket holds a positive balance again; 0 when a page may be read now. */
    long nanosUntilAvailable(long nowNanos) {
        refill(nowNanos);
        return units > 0 ? 0 : (long) Math.ceil(-units / unitsPerNano) + 1;
    }

    void charge(double consumed, long nowNanos) {
        refill(nowNanos);
        units -= Math.max(0, consumed);
    }

    private void refill(long nowNanos) {
        units = Math.min(capacity, units + (nowNanos - updatedAt) * unitsPerNano);
        updatedAt = nowNanos;
    }
}
