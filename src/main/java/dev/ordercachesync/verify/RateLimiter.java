package dev.ordercachesync.verify;

import java.util.concurrent.TimeUnit;

/**
 * Spaces out work to a steady rate of permits per second, shared by threads. A caller may take more
 * permits than one second holds (a scan page's consumed capacity is known only afterwards): later
 * callers then wait until the debt is paid, so the average rate holds.
 */
final class RateLimiter {
    private final double nanosPerPermit;
    private long nextFreeNanos;

    RateLimiter(double permitsPerSecond) {
        if (!(permitsPerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + permitsPerSecond);
        }
        this.nanosPerPermit = TimeUnit.SECONDS.toNanos(1) / permitsPerSecond;
        this.nextFreeNanos = System.nanoTime();
    }

    /** Waits for the previous callers' permits to be paid, then charges these. */
    void acquire(double permits) throws InterruptedException {
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            if (nextFreeNanos < now) {
                nextFreeNanos = now;
            }
            waitNanos = nextFreeNanos - now;
            nextFreeNanos += (long) (Math.max(0, permits) * nanosPerPermit);
        }
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }
}
