package dev.ordercachesync.sink;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The limiter's arithmetic on a clock the test moves, so every figure is exact. */
class SendRateLimiterTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private void advanceMillis(long millis) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** Operations sent over {@code seconds} with demand always waiting, in steps of 10 ms. */
    private long sendFlatOut(SendRateLimiter limiter, long cost, int seconds) {
        long sent = 0;
        for (int step = 0; step < seconds * 100; step++) {
            while (limiter.tryAcquire(cost) == 0) {
                sent += cost;
            }
            advanceMillis(10);
        }
        return sent;
    }

    @Test
    void spendsItsBudgetAndNoMore() {
        SendRateLimiter limiter = new SendRateLimiter(40, clock::get);

        long sent = sendFlatOut(limiter, 1, 10);

        // Ten seconds at 40/s, plus the half-second burst the bucket starts with.
        assertThat(sent).isBetween(400L, 420L);
        assertThat(limiter.limit()).isEqualTo(40.0);
        // Measured over the last second in 100 ms slices, the newest of which has only begun.
        assertThat(limiter.sendRate()).isBetween(35.0, 41.0);
    }

    @Test
    void aWaitSaysHowLongUntilTheCallCanGo() {
        SendRateLimiter limiter = new SendRateLimiter(10, clock::get);
        while (limiter.tryAcquire(1) == 0) {
            // drain the burst
        }
        long wait = limiter.tryAcquire(1);
        assertThat(wait).isPositive().isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        clock.addAndGet(wait);
        assertThat(limiter.tryAcquire(1)).isZero();
    }

    @Test
    void anItemLargerThanTheBucketGoesWhenTheBucketIsFullAndIsPaidForAfterwards() {
        SendRateLimiter limiter = new SendRateLimiter(10, clock::get);
        // 50 operations (a 50 KiB list) against a bucket of 5: it goes, then the bucket owes 45.
        assertThat(limiter.tryAcquire(50)).isZero();
        assertThat(limiter.tryAcquire(1)).isPositive();
        advanceMillis(4_500);
        assertThat(limiter.tryAcquire(1)).as("still paying the debt").isPositive();
        advanceMillis(600);
        assertThat(limiter.tryAcquire(1)).isZero();
    }

    @Test
    void aRefusalCutsTheRateOncePerEventAndWaitingDemandWinsItBack() {
        SendRateLimiter limiter = new SendRateLimiter(100, clock::get);
        long sentBefore = clock.get();
        advanceMillis(5);

        assertThat(limiter.throttled(sentBefore)).isTrue();
        assertThat(limiter.limit()).isEqualTo(70.0);
        // Calls sent before the cut were paced at the old rate: their refusals are the same event.
        assertThat(limiter.throttled(sentBefore)).isFalse();
        assertThat(limiter.throttled(clock.get() - 1)).isFalse();
        assertThat(limiter.limit()).isEqualTo(70.0);
        assertThat(limiter.wasThrottled()).isTrue();

        advanceMillis(1);
        assertThat(limiter.throttled(clock.get())).as("a call sent after the cut is a new event").isTrue();
        assertThat(limiter.limit()).isCloseTo(49.0, within(1e-9));

        // Demand waiting: +5 (5% of the budget) per full second since the cut, up to the budget and not past it.
        sendFlatOut(limiter, 1, 3);
        assertThat(limiter.limit()).isCloseTo(59.0, within(1e-9));
        sendFlatOut(limiter, 1, 20);
        assertThat(limiter.limit()).isEqualTo(100.0);
    }

    @Test
    void anIdleSinkDoesNotRaiseItsRate() {
        SendRateLimiter limiter = new SendRateLimiter(100, clock::get);
        limiter.throttled(clock.get());
        for (int i = 0; i < 10; i++) {
            advanceMillis(1_000);
            assertThat(limiter.tryAcquire(1)).isZero();
        }
        assertThat(limiter.limit()).as("no call waited, so nothing says the quota has room").isEqualTo(70.0);
    }

    @Test
    void withoutABudgetItSendsFreelyUntilTheFirstRefusalThenStartsFromWhatMomentoAccepted() {
        SendRateLimiter limiter = new SendRateLimiter(0, clock::get);
        assertThat(limiter.budget()).isZero();
        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.tryAcquire(1)).isZero();
        }
        assertThat(limiter.limit()).as("no limit yet").isZero();

        // Momento accepted 60 operations over the last second, then refused one.
        for (int i = 0; i < 10; i++) {
            advanceMillis(100);
            limiter.accepted(6);
        }
        assertThat(limiter.throttled(clock.get())).isTrue();
        assertThat(limiter.limit()).isCloseTo(42.0, within(1e-9));
        // The step is 5% of the rate found: 3 per full second of waiting demand, with no ceiling.
        sendFlatOut(limiter, 1, 3);
        assertThat(limiter.limit()).isCloseTo(48.0, within(1e-9));
    }
}
