package dev.ordercachesync.source;

import dev.ordercachesync.deadletter.RejectReason;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.EnumMap;
import java.util.Map;

/** One counter per reject reason under {@code deadLetters}, so stream records and scanned rows count alike. */
final class RejectCounters {
    private RejectCounters() {}

    static Map<RejectReason, Counter> register(MetricGroup metrics) {
        Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
        MetricGroup deadLetters = metrics.addGroup("deadLetters");
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, deadLetters.counter(reason.name()));
        }
        return rejected;
    }
}
