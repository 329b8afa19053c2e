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

    void recordCall(String rpc) {
        callsByRpc.computeIfAbsent(rpc, name -> new LongAdder()).increment();
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
