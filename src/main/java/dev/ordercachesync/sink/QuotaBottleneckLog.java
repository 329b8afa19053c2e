package dev.ordercachesync.sink;

import dev.ordercachesync.config.JobParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Tells the operator, once the sink has sent at its limit for {@link #SUSTAINED_NANOS}, that Momento's quota is
 * what the cache waits for, and what to raise; again every {@link #REPEAT_NANOS} while it lasts.
 */
final class QuotaBottleneckLog {
    private static final Logger LOG = LoggerFactory.getLogger(QuotaBottleneckLog.class);
    static final long SUSTAINED_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final long REPEAT_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final SendRateLimiter limiter;
    private final int budgetOpsPerSecond;
    private final int subtask;
    private final int parallelism;
    private long lastLoggedAt;
    private boolean logged;

    /** @param budgetOpsPerSecond the whole job's budget, 0 for none */
    QuotaBottleneckLog(SendRateLimiter limiter, int budgetOpsPerSecond, int subtask, int parallelism) {
        this.limiter = limiter;
        this.budgetOpsPerSecond = budgetOpsPerSecond;
        this.subtask = subtask;
        this.parallelism = parallelism;
    }

    /** Writes have waited for the limiter for {@code limitedForNanos} without a break. */
    void limited(long limitedForNanos, int keysWaiting, long operationsWaiting) {
        long now = System.nanoTime();
        if (limitedForNanos < SUSTAINED_NANOS || (logged && now - lastLoggedAt < REPEAT_NANOS)) {
            return;
        }
        logged = true;
        lastLoggedAt = now;
        LOG.warn(message(TimeUnit.NANOSECONDS.toSeconds(limitedForNanos), keysWaiting, operationsWaiting));
    }

    String message(long seconds, int keysWaiting, long operationsWaiting) {
        String head = String.format(Locale.ROOT,
                "Momento's quota is the bottleneck: for %d s, sink subtask %d of %d has had writes waiting to be sent "
                        + "(%d keys, %d metered operations) while it sends at %.1f operations/s; the cache lags the table by that backlog. ",
                seconds, subtask + 1, parallelism, keysWaiting, operationsWaiting, limiter.limit());
        if (budgetOpsPerSecond == 0) {
            return head + "No " + JobParameters.SINK_OPS_PER_SECOND + " is set, so that is the rate Momento accepts. "
                    + "Raise the namespace's quota with Momento (100 operations/s on demand; 1,000 and 10,000 on paid "
                    + "support plans), then set " + JobParameters.SINK_OPS_PER_SECOND + " to the part of it this job may use.";
        }
        if (limiter.wasThrottled() && limiter.limit() < limiter.budget()) {
            return head + String.format(Locale.ROOT, "Momento refuses calls below this subtask's share (%.1f) of %s=%d: "
                            + "the namespace's quota, which its readers share, is lower than that. Raise the quota with Momento, "
                            + "or lower %s to what the quota leaves for this job.",
                    limiter.budget(), JobParameters.SINK_OPS_PER_SECOND, budgetOpsPerSecond, JobParameters.SINK_OPS_PER_SECOND);
        }
        return head + String.format(Locale.ROOT, "That is this subtask's share of %s=%d over %d subtasks. "
                        + "Raise %s, after raising the namespace's quota with Momento if it is not already higher "
                        + "(100 operations/s on demand; 1,000 and 10,000 on paid support plans).",
                JobParameters.SINK_OPS_PER_SECOND, budgetOpsPerSecond, parallelism, JobParameters.SINK_OPS_PER_SECOND);
    }
}
