package dev.ordercachesync.source;

import dev.ordercachesync.deadletter.DeadLetter;
import dev.ordercachesync.metrics.CloudWatchMetrics;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.RawStreamRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses raw stream records into order changes. Items that are not orders are skipped and counted;
 * records that can never be applied go to {@link DeadLetter#OUTPUT} with their reason, never failing the job.
 *
 * <p>Chained to the source, it also reports how far behind the stream this source subtask reads
 * ({@value #READ_LAG}): DynamoDB streams give Managed Flink no lag metric of their own.
 */
public class ParseStreamRecords extends ProcessFunction<RawStreamRecord, OrderChange> {
    private static final long serialVersionUID = 1L;
    /** Gauge: how old the newest record read was, by its ApproximateCreationDateTime, when it was read. */
    public static final String READ_LAG = "streamReadLagMillis";

    private final StreamRecordParser parser;

    private transient Counter recordsRead;
    private transient ParseOutcomes outcomes;
    private transient long newestCreationMillis;
    private transient long readLagMillis;

    public ParseStreamRecords(StreamRecordParser parser) {
        this.parser = parser;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = CloudWatchMetrics.of(getRuntimeContext().getMetricGroup());
        recordsRead = metrics.counter("streamRecordsRead");
        metrics.gauge(READ_LAG, (Gauge<Long>) () -> readLagMillis);
        outcomes = new ParseOutcomes(metrics, getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(RawStreamRecord raw, Context ctx, Collector<OrderChange> out) {
        recordsRead.inc();
        long now = ctx.timerService().currentProcessingTime();
        // Only the newest record moves the lag: a child shard read late must not make a caught-up reader look behind.
        if (raw.approximateCreationMillis > 0 && raw.approximateCreationMillis >= newestCreationMillis) {
            newestCreationMillis = raw.approximateCreationMillis;
            readLagMillis = Math.max(0, now - raw.approximateCreationMillis);
        }
        outcomes.emit(() -> parser.parse(raw), e -> DeadLetter.of(e.reason(), e.getMessage(), e.orderId(),
                raw.shardId, raw.sequenceNumber, now, raw.json), ctx, out);
    }
}
