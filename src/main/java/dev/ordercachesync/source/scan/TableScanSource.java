package dev.ordercachesync.source.scan;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.model.TableRow;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Reads the whole orders table with a parallel Scan when the job needs it (no state yet, a stream gap, or a new
 * bootstrap-run-id), and stays idle in between. Splits are Scan segments; their last evaluated keys and the runs'
 * progress are in checkpoints, so a failure or a savepoint mid-scan resumes where it was.
 *
 * <p>Unbounded on purpose: a finished source could never scan again, and a gap can appear in any later run of the
 * job.
 */
public final class TableScanSource implements Source<TableRow, ScanSplit, ScanEnumeratorState> {
    private static final long serialVersionUID = 1L;

    private final JobParameters p;
    private final String gapChannel;

    /** @param gapChannel where the job's stream source reports gaps ({@link dev.ordercachesync.source.StreamGapRelay}) */
    public TableScanSource(JobParameters p, String gapChannel) {
        this.p = p;
        this.gapChannel = gapChannel;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<TableRow, ScanSplit> createReader(SourceReaderContext readerContext) {
        return new TableScanReader(readerContext, p, gapChannel);
    }

    @Override
    public SplitEnumerator<ScanSplit, ScanEnumeratorState> createEnumerator(SplitEnumeratorContext<ScanSplit> context) {
        return new TableScanEnumerator(context, p, null);
    }

    @Override
    public SplitEnumerator<ScanSplit, ScanEnumeratorState> restoreEnumerator(SplitEnumeratorContext<ScanSplit> context,
                                                                             ScanEnumeratorState checkpoint) {
        return new TableScanEnumerator(context, p, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<ScanSplit> getSplitSerializer() {
        return ScanSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<ScanEnumeratorState> getEnumeratorCheckpointSerializer() {
        return ScanEnumeratorStateSerializer.INSTANCE;
    }
}
