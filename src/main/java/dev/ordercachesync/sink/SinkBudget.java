package dev.ordercachesync.sink;

/** The job's budget of Momento operations per second and the part of it one sink subtask spends. */
final class SinkBudget {
    /** Whole-job budget in metered operations per second; 0 for none. */
    final int opsPerSecond;
    final int subtask;
    final int parallelism;

    SinkBudget(int opsPerSecond, int subtask, int parallelism) {
        this.opsPerSecond = opsPerSecond;
        this.subtask = subtask;
        this.parallelism = Math.max(1, parallelism);
    }

    /** No budget: the sink finds the rate from Momento's throttling alone. */
    static SinkBudget adaptive() {
        return new SinkBudget(0, 0, 1);
    }

    /** This subtask's even share; 0 for none. */
    double share() {
        return (double) opsPerSecond / parallelism;
    }
}
