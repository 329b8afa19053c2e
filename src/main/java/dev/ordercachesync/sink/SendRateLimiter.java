package dev.ordercachesync.sink;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces one sink subtask's Momento calls in metered operations per second (one per started KiB of key and value).
 *
 * <p>A token bucket refilled at the current limit, which moves by additive increase and multiplicative decrease
 * (the scheme of Flink's {@code AIMDScalingStrategy} for its async sinks, applied to a rate instead of a count of
 * requests): a call Momento refuses for the quota cuts the limit by {@link #DECREASE_FACTOR}, and each second in
 * which calls had to wait for tokens without being refused adds a fixed step, up to the subtask's share of the
 * budget. Calls sent before a cut were paced at the old limit, so their refusals do not cut it again: one
 * congestion event, one cut, however many calls it refused.
 *
 * <p>Without a budget the limit starts unbounded and is set by the first refusal, from the rate Momento accepted.
 *
 * <p>A call costing more than the bucket holds may go when the bucket is full and leaves it in debt, so an item
 * larger than one second of budget is still sent, and paid for by the calls after it. Not thread-safe on its
 * own: the dispatcher calls it under its lock; the metric getters are synchronized for the metrics thread.
 */
final class SendRateLimiter {
    static final double DECREASE_FACTOR = 0.7;
    /** Additive step, as a fraction of the budget (or, without one, of the rate at the last cut). */
    static final double INCREASE_FRACTION = 0.05;
    static final long ADJUST_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The bucket holds this much time at the limit: the largest burst after an idle spell. */
    static final double BURST_SECONDS = 0.5;

    private final double ceiling;
    private final double floor;
    private final LongSupplier clock;
    private final RateWindow sent;
    private final RateWindow accepted;

    private double limit;
    private double step;
    private double tokens;
    private long refilledAt;
    private long lastCutAt;
    private boolean cut;
    private long lastIncreaseAt;
    /** A call waited for tokens since the last increase: demand is above the limit. */
    private boolean waited;

    /**
     * @param budgetOpsPerSecond this subtask's share of the budget, or 0 for none (adaptive only)
     * @param clock              nanoTime-like clock
     */
    SendRateLimiter(double budgetOpsPerSecond, LongSupplier clock) {
        if (budgetOpsPerSecond < 0 || Double.isNaN(budgetOpsPerSecond)) {
            throw new IllegalArgumentException("budget must be positive, or 0 for none, got " + budgetOpsPerSecond);
        }
        this.ceiling = budgetOpsPerSecond == 0 ? Double.POSITIVE_INFINITY : budgetOpsPerSecond;
        this.floor = Math.min(1.0, ceiling);
        this.clock = clock;
        long now = clock.getAsLong();
        this.sent = new RateWindow(now);
        this.accepted = new RateWindow(now);
        this.limit = ceiling;
        this.step = Double.isInfinite(ceiling) ? 0 : Math.max(floor, ceiling * INCREASE_FRACTION);
        this.tokens = capacity();
        this.refilledAt = now;
        this.lastIncreaseAt = now;
    }

    /**
     * Takes {@code cost} operations if the bucket allows it now.
     *
     * @return 0 if taken (the call may go), else how many nanoseconds to wait before asking again
     */
    synchronized long tryAcquire(long cost) {
        long now = clock.getAsLong();
        refill(now);
        increaseIfDue(now);
        if (Double.isInfinite(limit)) {
            sent.add(now, cost);
            return 0;
        }
        double needed = Math.min(cost, capacity());
        if (tokens >= needed) {
            tokens -= cost;
            sent.add(now, cost);
            return 0;
        }
        waited = true;
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), (long) Math.ceil((needed - tokens) / limit * 1e9));
    }

    /** A call of this cost was served. */
    synchronized void accepted(long cost) {
        accepted.add(clock.getAsLong(), cost);
    }

    /**
     * Momento refused a call sent at {@code sentAtNanos} for the quota.
     *
     * @return true if this cut the limit, false if the refusal belongs to an event already answered
     */
    synchronized boolean throttled(long sentAtNanos) {
        long now = clock.getAsLong();
        if (cut && sentAtNanos - lastCutAt < 0) {
            return false;
        }
        refill(now);
        double base = Double.isInfinite(limit) ? Math.max(floor, accepted.perSecond(now)) : limit;
        limit = Math.max(floor, base * DECREASE_FACTOR);
        if (Double.isInfinite(ceiling)) {
            step = Math.max(floor, base * INCREASE_FRACTION);
        }
        // Momento's bucket is empty: whatever burst this one still allowed would be refused too.
        tokens = Math.min(tokens, 0);
        cut = true;
        lastCutAt = now;
        lastIncreaseAt = now;
        waited = false;
        return true;
    }

    private void refill(long now) {
        if (!Double.isInfinite(limit)) {
            tokens = Math.min(capacity(), tokens + limit * (now - refilledAt) / 1e9);
        }
        refilledAt = now;
    }

    private void increaseIfDue(long now) {
        if (now - lastIncreaseAt < ADJUST_INTERVAL_NANOS) {
            return;
        }
        if (waited && limit < ceiling) {
            limit = Math.min(ceiling, limit + step);
        }
        waited = false;
        lastIncreaseAt = now;
    }

    private double capacity() {
        return Math.max(1.0, limit * BURST_SECONDS);
    }

    /** This subtask's share of the budget in operations per second; 0 without a budget. */
    synchronized double budget() {
        return Double.isInfinite(ceiling) ? 0 : ceiling;
    }

    /** The current limit in operations per second; 0 while there is none (no budget, never refused). */
    synchronized double limit() {
        return Double.isInfinite(limit) ? 0 : limit;
    }

    /** Operations sent in the last second (refused calls included). */
    synchronized double sendRate() {
        return sent.perSecond(clock.getAsLong());
    }

    /** Operations Momento accepted in the last second. */
    synchronized double acceptedRate() {
        return accepted.perSecond(clock.getAsLong());
    }

    /** Whether Momento has refused a call for the quota, so the limit is below the budget or was found by probing. */
    synchronized boolean wasThrottled() {
        return cut;
    }

    /** Operations per second over the last second, in ten slices of 100 ms. */
    static final class RateWindow {
        private static final int SLICES = 10;
        private static final long SLICE_NANOS = ADJUST_INTERVAL_NANOS / SLICES;
        private final long[] slices = new long[SLICES];
        private final long startedAt;
        private long currentSlice;

        RateWindow(long now) {
            this.startedAt = now;
            this.currentSlice = (now - startedAt) / SLICE_NANOS;
        }

        void add(long now, long operations) {
            advance(now);
            slices[(int) (currentSlice % SLICES)] += operations;
        }

        double perSecond(long now) {
            advance(now);
            long total = 0;
            for (long s : slices) {
                total += s;
            }
            // Young windows count over the time they have seen, not a full second.
            double seconds = Math.min(1.0, Math.max(SLICE_NANOS, now - startedAt) / 1e9);
            return total / seconds;
        }

        private void advance(long now) {
            long slice = (now - startedAt) / SLICE_NANOS;
            for (long s = currentSlice + 1; s <= slice && s <= currentSlice + SLICES; s++) {
                slices[(int) (s % SLICES)] = 0;
            }
            currentSlice = Math.max(currentSlice, slice);
        }
    }
}
