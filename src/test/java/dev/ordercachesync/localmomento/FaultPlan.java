package dev.ordercachesync.localmomento;

import io.grpc.Status;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Faults the loopback server injects, per RPC name ({@link RpcNames}) or for all RPCs ({@link RpcNames#ALL}).
 *
 * <p>A call is matched against the rule for its own name and the rule for {@code "*"}: it is black-holed if
 * either says so, the latencies of both are added, and the first injected failure wins (own-name rule first;
 * within a rule: fail-next, then throttle, then random). An injected failure is answered after the latency,
 * like a slow error from a real server. An outage overrides everything and answers UNAVAILABLE at once.
 * A {@link #quota metered quota} is checked last, for data-plane calls the other faults let through.
 *
 * <p>All decisions are made when a call arrives, under one lock, from one seeded {@link Random}, so a test
 * that sends calls one at a time sees the same sequence on every run.
 */
public final class FaultPlan {

    private final long seed;
    private Random random;
    private final Map<String, FaultRule> rules = new HashMap<>();
    private boolean outage;
    private MeteredQuota quota;

    FaultPlan(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** Each call to {@code rpc} fails with {@code code} with the given probability. */
    public synchronized FaultPlan failWithProbability(String rpc, Status.Code code, double probability) {
        requireFailureCode(code);
        if (!(probability >= 0.0 && probability <= 1.0)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
        }
        rule(rpc).failRandomly(code, probability);
        return this;
    }

    /** The next {@code count} calls to {@code rpc} fail with {@code code}; later calls are served again. */
    public synchronized FaultPlan failNext(String rpc, int count, Status.Code code) {
        requireFailureCode(code);
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        rule(rpc).failNext(count, code);
        return this;
    }

    /** Every call to {@code rpc} is answered {@code millis} late. */
    public FaultPlan latency(String rpc, long millis) {
        return latency(rpc, millis, millis);
    }

    /** Every call to {@code rpc} is answered late by a uniformly drawn delay in [min, max] milliseconds. */
    public synchronized FaultPlan latency(String rpc, long minMillis, long maxMillis) {
        if (minMillis < 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("need 0 <= min <= max, got [" + minMillis + ", " + maxMillis + "]");
        }
        rule(rpc).latency(minMillis, maxMillis);
        return this;
    }

    /** Calls to {@code rpc} beyond {@code maxCallsPerSecond} in any one-second window answer RESOURCE_EXHAUSTED. */
    public synchronized FaultPlan throttle(String rpc, int maxCallsPerSecond) {
        if (maxCallsPerSecond <= 0) {
            throw new IllegalArgumentException("maxCallsPerSecond must be positive, got " + maxCallsPerSecond);
        }
        rule(rpc).throttle(maxCallsPerSecond);
        return this;
    }

    /**
     * Models the namespace's quota: get, set and delete together may spend {@code opsPerSecond} metered operations
     * per second (one per started KiB of key and value); a call beyond it answers RESOURCE_EXHAUSTED, which the SDK
     * reports as LIMIT_EXCEEDED. 0 switches the quota off.
     */
    public synchronized FaultPlan quota(int opsPerSecond) {
        if (opsPerSecond < 0) {
            throw new IllegalArgumentException("opsPerSecond must not be negative, got " + opsPerSecond);
        }
        this.quota = opsPerSecond == 0 ? null : new MeteredQuota(opsPerSecond, System.nanoTime());
        return this;
    }

    /** Calls to {@code rpc} are never answered; the client sees its own deadline expire. */
    public synchronized FaultPlan blackHole(String rpc, boolean on) {
        rule(rpc).blackHole(on);
        return this;
    }

    /** While on, every RPC answers UNAVAILABLE, as during a regional outage. */
    public synchronized FaultPlan outage(boolean on) {
        this.outage = on;
        return this;
    }

    public synchronized boolean isOutage() {
        return outage;
    }

    /** Removes every fault, ends an outage and restarts the random sequence from the seed. */
    public synchronized void clear() {
        rules.clear();
        outage = false;
        quota = null;
        random = new Random(seed);
    }

    /** @param meteredOperations what the call costs against the quota; 0 for calls the quota does not meter */
    synchronized Verdict decide(String rpc, long meteredOperations) {
        if (outage) {
            return Verdict.fail(Status.UNAVAILABLE.withDescription("loopback outage: server is down"), 0);
        }
        FaultRule own = rules.get(rpc);
        FaultRule all = rules.get(RpcNames.ALL);
        if ((own != null && own.isBlackHole()) || (all != null && all.isBlackHole())) {
            return Verdict.blackHole();
        }
        long delay = (own == null ? 0 : own.drawLatencyMillis(random)) + (all == null ? 0 : all.drawLatencyMillis(random));
        long now = System.nanoTime();
        Status failure = own == null ? null : own.drawFailure(rpc, now, random);
        if (failure == null && all != null) {
            failure = all.drawFailure(rpc, now, random);
        }
        if (failure == null && quota != null && meteredOperations > 0 && !quota.admit(meteredOperations, now)) {
            return Verdict.throttled(Status.RESOURCE_EXHAUSTED.withDescription(
                    "loopback quota: more than " + quota.opsPerSecond() + " metered operations per second"), delay);
        }
        return failure == null ? Verdict.proceed(delay) : Verdict.fail(failure, delay);
    }

    private FaultRule rule(String rpc) {
        return rules.computeIfAbsent(RpcNames.requireKnown(rpc), FaultRule::new);
    }

    private static void requireFailureCode(Status.Code code) {
        if (code == null || code == Status.Code.OK) {
            throw new IllegalArgumentException("an injected failure needs a non-OK status code, got " + code);
        }
    }
}
