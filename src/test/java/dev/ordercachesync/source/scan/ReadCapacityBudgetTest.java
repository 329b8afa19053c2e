package dev.ordercachesync.source.scan;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scan's token bucket, on a clock the test moves. */
class ReadCapacityBudgetTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aPageMayBeReadWhileTheBucketHoldsUnits() {
        ReadCapacityBudget budget = new ReadCapacityBudget(10, 0);
        assertThat(budget.nanosUntilAvailable(0)).isZero();
        budget.charge(4, 0);
        assertThat(budget.nanosUntilAvailable(0)).isZero();
    }

    @Test
    void aDebtIsWaitedOutAtTheRate() {
        ReadCapacityBudget budget = new ReadCapacityBudget(10, 0);
        budget.charge(30, 0);  // 10 held, 20 owed: two seconds at 10 units/s
        long wait = budget.nanosUntilAvailable(0);
        assertThat(wait).isBetween(2 * SECOND, 2 * SECOND + 1_000);
        assertThat(budget.nanosUntilAvailable(wait)).isZero();
    }

    @Test
    void anIdleBucketHoldsAtMostOneSecondOfUnits() {
        ReadCapacityBudget budget = new ReadCapacityBudget(10, 0);
        budget.charge(21, 60 * SECOND);  // a minute idle refills only 10
        assertThat(budget.nanosUntilAvailable(60 * SECOND)).isGreaterThan(SECOND);
    }

    @Test
    void aBudgetMustBePositive() {
        assertThatThrownBy(() -> new ReadCapacityBudget(0, 0)).hasMessageContaining("positive");
    }
}
