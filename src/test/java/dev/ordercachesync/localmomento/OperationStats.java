package dev.ordercachesync.localmomento;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters tests assert on. Calls are counted on arrival, before any fault, so a test sees every attempt the
 * client made (including the SDK's own retries); writes are counted only once they have been applied.
 */
final class OperationStats {

    private final ConcurrentHashMap<String, LongAdder> callsByRpc = new ConcurrentHashMap<>();
    private final AtomicLong appliedWrites = new AtomicLong();
    private final LongAdder meteredCallsAdmitted = new LongAdder();
    private final LongAdder meteredOperationsAdmitted = new LongAdder();
    private final LongAdder callsOverQuota = new LongAdder();

    void recordCall(String rpc) {
        callsByRpc.computeIfAbsent(rpc, name -> new LongAdder()).increment();
    }

    /** A data-plane call passed every fault and the quota (if any) and is served. */
    void recordAdmitted(long operations) {
        meteredCallsAdmitted.increment();
        meteredOperationsAdmitted.add(operations);
    }

    void recordOverQuota() {
        callsOverQuota.increment();
    }

    QuotaStats quotaStats() {
        return new QuotaStats(meteredCallsAdmitted.sum(), meteredOperationsAdmitted.sum(), callsOverQuota.sum());
    }

    void recordAppliedWrite() {
        appliedWrites.incrementAndGet();
    }

    long appliedWrites() {
        return appliedWrites.get();
    }

    Map<String, Long> callsByRpc() {
        Map<String, Long> copy = new TreeMap<>();
        callsByRpc.forEach((rpc, count) -> copy.put(rpc, count.sum()));
        return copy;
    }
}
