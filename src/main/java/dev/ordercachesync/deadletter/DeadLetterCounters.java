package dev.ordercachesync.deadletter;

import dev.ordercachesync.metrics.CloudWatchMetrics;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counts an operator's dead letters: {@code deadLetters} per reason (CloudWatch dimension {@code reason}), and
 * {@code deadLettersPerSecond} over every reason, the one rate an alarm needs to watch.
 */
public final class DeadLetterCounters {
    /** Name of the per-reason counter. */
    public static final String COUNTER = "deadLetters";
    /** Name of the rate over every reason. */
    public static final String RATE = "deadLettersPerSecond";
    /** Key of the per-reason group, a CloudWatch dimension on Managed Flink. */
    public static final String REASON = "reason";

    private final Map<RejectReason, Counter> perReason = new EnumMap<>(RejectReason.class);
    private final Counter all = new SimpleCounter();

    private DeadLetterCounters(MetricGroup operatorGroup, RejectReason... reasons) {
        MetricGroup group = CloudWatchMetrics.of(operatorGroup);
        for (RejectReason reason : reasons) {
            perReason.put(reason, group.addGroup(REASON, reason.name()).counter(COUNTER));
        }
        group.meter(RATE, new MeterView(all));
    }

    /** Registers the counters of the reasons this operator can reject for. */
    public static DeadLetterCounters register(MetricGroup operatorGroup, RejectReason... reasons) {
        return new DeadLetterCounters(operatorGroup, reasons);
    }

    public void count(RejectReason reason) {
        Counter counter = perReason.get(reason);
        if (counter == null) {
            throw new IllegalArgumentException("dead-letter reason " + reason + " was not registered for this operator");
        }
        counter.inc();
        all.inc();
    }
}
