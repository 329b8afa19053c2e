package dev.ordercachesync.source;

import dev.ordercachesync.deadletter.DeadLetter;
import dev.ordercachesync.metrics.CloudWatchMetrics;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.TableRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses the rows of a table scan with the stream's rules: items that are not orders are skipped and counted, bad
 * ones go to {@link DeadLetter#OUTPUT} with the stream's reason codes (and no shard or sequence number). A reader's
 * end-of-run marker is fanned out to every key group of the sequencer.
 */
public class ParseTableRows extends ProcessFunction<TableRow, OrderChange> {
    private static final long serialVersionUID = 1L;

    private final StreamRecordParser parser;

    private transient String[] markerKeys;
    private transient Counter rowsRead;
    private transient ParseOutcomes outcomes;

    public ParseTableRows(StreamRecordParser parser) {
        this.parser = parser;
    }

    @Override
    public void open(OpenContext openContext) {
        markerKeys = ScanMarkerKeys.forKeyGroups(getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks());
        MetricGroup metrics = CloudWatchMetrics.of(getRuntimeContext().getMetricGroup());
        rowsRead = metrics.counter("tableRowsRead");
        outcomes = new ParseOutcomes(metrics, getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(TableRow row, Context ctx, Collector<OrderChange> out) {
        if (row.isEndOfRun()) {
            for (String key : markerKeys) {
                out.collect(OrderChange.scanComplete(key, row.run, row.runStartedAt, row.reader, row.readers));
            }
            return;
        }
        rowsRead.inc();
        outcomes.emit(() -> parser.parseScanned(row), e -> {
            DeadLetter letter = DeadLetter.of(e.reason(), e.getMessage(), e.orderId(), null, null,
                    ctx.timerService().currentProcessingTime(), row.json);
            // No stream position to name it: one item per run and row, so a resumed scan overwrites it.
            letter.id = "scan#" + row.run + "#" + (e.orderId() != null ? e.orderId() : Integer.toHexString(row.json.hashCode()));
            return letter;
        }, ctx, out);
    }
}
