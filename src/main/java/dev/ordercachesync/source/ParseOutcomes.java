package dev.ordercachesync.source;

import dev.ordercachesync.deadletter.DeadLetter;
import dev.ordercachesync.deadletter.DeadLetterCounters;
import dev.ordercachesync.deadletter.RejectReason;
import dev.ordercachesync.model.OrderChange;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * What one parse of a stream record or a scanned row gives, sent where it belongs: a change downstream, an item
 * that is not an order counted and skipped, a record that can never apply to the dead letters with its reason.
 * The stream and the scan share it, so both follow the same rules and counters.
 */
final class ParseOutcomes {
    interface Parse {
        /** The change, or null for an item that is not an order. */
        OrderChange parse() throws InvalidStreamRecordException;
    }

    interface Letter {
        DeadLetter of(InvalidStreamRecordException rejected);
    }

    private final Counter nonOrdersSkipped;
    private final DeadLetterCounters deadLetters;

    /** Registers the counters under {@code cloudWatch} (skips) and the operator's group (dead letters per reason). */
    ParseOutcomes(MetricGroup cloudWatch, MetricGroup operator) {
        this.nonOrdersSkipped = cloudWatch.counter("nonOrderItemsSkipped");
        this.deadLetters = DeadLetterCounters.register(operator, RejectReason.values());
    }

    void emit(Parse parse, Letter letter, ProcessFunction<?, OrderChange>.Context ctx, Collector<OrderChange> out) {
        try {
            OrderChange change = parse.parse();
            if (change == null) {
                nonOrdersSkipped.inc();
            } else {
                out.collect(change);
            }
        } catch (InvalidStreamRecordException e) {
            deadLetters.count(e.reason());
            ctx.output(DeadLetter.OUTPUT, letter.of(e));
        }
    }
}
