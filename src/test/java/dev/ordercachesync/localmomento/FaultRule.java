package dev.ordercachesync.localmomento;

import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The faults configured for one RPC name (or for all of them). Not thread-safe on its own:
 * {@link FaultPlan} serialises every access so that the seeded random sequence stays reproducible.
 */
final class FaultRule {

    private static final long THROTTLE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String target;

    private Status.Code randomFailureCode;
    private double randomFailureProbability;

    private Status.Code failNextCode;
    private int failNextRemaining;

    private long minLatencyMillis;
    private long maxLatencyMillis;

    private int maxCallsPerSecond;
    // Admission times inside the current one-second window; rejected calls are not recorded, so a
    // client that keeps hammering still gets K calls through per second, like a real rate limiter.
    private final ArrayDeque<Long> admittedAtNanos = new ArrayDeque<>();

    private boolean blackHole;

    FaultRule(String target) {
        this.target = target;
    }

    void failRandomly(Status.Code code, double probability) {
        this.randomFailureCode = code;
        this.randomFailureProbability = probability;
    }

    void failNext(int count, Status.Code code) {
        this.failNextCode = code;
        this.failNextRemaining = count;
    }

    void latency(long minMillis, long maxMillis) {
        this.minLatencyMillis = minMillis;
        this.maxLatencyMillis = maxMillis;
    }

    void throttle(int maxCallsPerSecond) {
        this.maxCallsPerSecond = maxCallsPerSecond;
        admittedAtNanos.clear();
    }

    void blackHole(boolean on) {
        this.blackHole = on;
    }

    boolean isBlackHole() {
        return blackHole;
    }

    long drawLatencyMillis(Random random) {
        if (maxLatencyMillis == minLatencyMillis) {
            return minLatencyMillis;
        }
        long span = maxLatencyMillis - minLatencyMillis + 1;
        return minLatencyMillis + Math.min(span - 1, (long) (random.nextDouble() * span));
    }

    /**
     * The injected failure for this call, or null. Deterministic faults are checked before random ones so
     * that "fail the next N" always consumes exactly N calls whatever else is configured.
     */
    Status drawFailure(String rpc, long nowNanos, Random random) {
        if (failNextRemaining > 0) {
            failNextRemaining--;
            return Status.fromCode(failNextCode)
                    .withDescription("loopback fault: failing next calls to " + describe(rpc) + ", " + failNextRemaining + " left");
        }
        if (maxCallsPerSecond > 0 && !admit(nowNanos)) {
            return Status.RESOURCE_EXHAUSTED
                    .withDescription("loopback fault: more than " + maxCallsPerSecond + " calls per second to " + describe(rpc));
        }
        if (randomFailureCode != null && random.nextDouble() < randomFailureProbability) {
            return Status.fromCode(randomFailureCode)
                    .withDescription("loopback fault: random failure of " + describe(rpc));
        }
        return null;
    }

    private boolean admit(long nowNanos) {
        while (!admittedAtNanos.isEmpty() && nowNanos - admittedAtNanos.peekFirst() >= THROTTLE_WINDOW_NANOS) {
            admittedAtNanos.pollFirst();
        }
        if (admittedAtNanos.size() >= maxCallsPerSecond) {
            return false;
        }
        admittedAtNanos.addLast(nowNanos);
        return true;
    }

    private String describe(String rpc) {
        return RpcNames.ALL.equals(target) ? rpc + " (rule for all RPCs)" : rpc;
    }
}
