package dev.ordercachesync.source;

import dev.ordercachesync.deadletter.DeadLetter;
import dev.ordercachesync.deadletter.RejectReason;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.RawStreamRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.util.Map;

/**
 * Parses raw stream records into order changes. Items that are not orders are skipped and counted;
 * records that can never be applied go to {@link DeadLetter#OUTPUT} with their reason, never failing the job.
 */
public class ParseStreamRecords extends ProcessFunction<RawStreamRecord, OrderChange> {
    private static final long serialVersionUID = 1L;

    private final StreamRecordParser parser;

    private transient Counter recordsRead;
    private transient Counter nonOrdersSkipped;
    private transient Map<RejectReason, Counter> rejected;

    public ParseStreamRecords(StreamRecordParser parser) {
        this.parser = parser;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        recordsRead = metrics.counter("streamRecordsRead");
        nonOrdersSkipped = metrics.counter("nonOrderItemsSkipped");
        rejected = RejectCounters.register(metrics);
    }

    @Override
    public void processElement(RawStreamRecord raw, Context ctx, Collector<OrderChange> out) {
        recordsRead.inc();
        try {
            OrderChange change = parser.parse(raw);
            if (change == null) {
                nonOrdersSkipped.inc();
            } else {
                out.collect(change);
            }
        } catch (InvalidStreamRecordException e) {
            rejected.get(e.reason()).inc();
            ctx.output(DeadLetter.OUTPUT, DeadLetter.of(e.reason(), e.getMessage(), e.orderId(), raw.shardId,
                    raw.sequenceNumber, ctx.timerService().currentProcessingTime(), raw.json));
        }
    }
}
