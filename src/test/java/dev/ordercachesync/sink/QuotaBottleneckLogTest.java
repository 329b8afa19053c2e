package dev.ordercachesync.sink;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The warning names what to raise, and which one depends on whether the budget or Momento holds the sink back. */
class QuotaBottleneckLogTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @Test
    void atItsBudgetTheSinkSaysToRaiseTheBudget() {
        SendRateLimiter limiter = new SendRateLimiter(50, 100, clock::get);
        String message = new QuotaBottleneckLog(limiter, 100, 1, 2).message(45, 120, 900);

        assertThat(message).startsWith("Momento's quota is the bottleneck: for 45 s, sink subtask 2 of 2")
                .contains("120 keys, 900 metered operations").contains("50.0 operations/s")
                .contains("share of sink-ops-per-second=100 over 2 subtasks").contains("Raise sink-ops-per-second");
    }

    @Test
    void refusedBelowItsBudgetTheSinkSaysTheQuotaIsLowerThanTheBudget() {
        SendRateLimiter limiter = new SendRateLimiter(50, 100, clock::get);
        limiter.throttled(clock.get());
        String message = new QuotaBottleneckLog(limiter, 100, 0, 2).message(45, 10, 10);

        assertThat(message).contains("35.0 operations/s").contains("Momento refuses calls below this subtask's share (50.0)")
                .contains("Raise the quota with Momento, or lower sink-ops-per-second");
    }

    @Test
    void withoutABudgetTheSinkSaysToRaiseTheQuotaAndSetOne() {
        SendRateLimiter limiter = new SendRateLimiter(0, 100, clock::get);
        limiter.accepted(40);
        limiter.throttled(clock.get());
        String message = new QuotaBottleneckLog(limiter, 0, 0, 1).message(31, 5, 5);

        assertThat(message).contains("28.0 operations/s").contains("No sink-ops-per-second is set")
                .contains("Raise the namespace's quota with Momento (100 operations/s on demand; 1,000 and 10,000")
                .contains("then set sink-ops-per-second");
    }
}
