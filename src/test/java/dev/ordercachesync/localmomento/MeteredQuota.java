package dev.ordercachesync.localmomento;

/**
 * Momento's per-namespace quota as the loopback server models it: a token bucket of metered operations (one per
 * started KiB of key and value, {@link dev.ordercachesync.model.MomentoMetering}) refilled at the quota and holding
 * one second of it. A call is admitted while the bucket holds its cost, or is full (so an item larger than a
 * second of quota still goes, and leaves the bucket in debt); otherwise it is refused with RESOURCE_EXHAUSTED
 * and charged nothing. Not thread-safe on its own: {@link FaultPlan} serialises access.
 */
final class MeteredQuota {
    private final int opsPerSecond;
    private double tokens;
    private long refilledAtNanos;

    MeteredQuota(int opsPerSecond, long nowNanos) {
        this.opsPerSecond = opsPerSecond;
        this.tokens = opsPerSecond;
        this.refilledAtNanos = nowNanos;
    }

    int opsPerSecond() {
        return opsPerSecond;
    }

    boolean admit(long cost, long nowNanos) {
        tokens = Math.min(opsPerSecond, tokens + opsPerSecond * (nowNanos - refilledAtNanos) / 1e9);
        refilledAtNanos = nowNanos;
        if (tokens < Math.min(cost, opsPerSecond)) {
            return false;
        }
        tokens -= cost;
        return true;
    }
}
