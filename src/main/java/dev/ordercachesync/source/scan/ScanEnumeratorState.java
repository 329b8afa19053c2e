package dev.ordercachesync.source.scan;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the scan's enumerator keeps in checkpoints: the current run, the stream the job ran on, the segments not
 * yet handed to a reader, the ones done, and when the last checkpoint was taken (to notice a stop longer than the
 * stream's retention). Assigned segments and their positions live in the readers' state.
 */
final class ScanEnumeratorState {
    /** 0 until the first run starts. */
    int run;
    String runId = "";
    /** The table's stream when the run started; the stream the job has been reading since. */
    String streamArn = "";
    long runStartedAt;
    int totalSegments;
    final Deque<Integer> unassigned = new ArrayDeque<>();
    final Set<Integer> finished = new TreeSet<>();
    final Map<Integer, Long> itemsPerSegment = new TreeMap<>();
    boolean complete;
    /**
     * Readers that told the enumerator they emitted the run's end marker. Taken in the enumerator's checkpoint,
     * before the readers' barriers: a reader in this set emitted its marker before the checkpoint, so a restore
     * never sends it again; one not in it is asked again, and the sequencer ignores a marker it already counted.
     */
    final Set<Integer> markersEmitted = new TreeSet<>();
    long lastCheckpointAt;
    long approximateItemCount;
    long gapsDetected;

    long itemsScanned() {
        long sum = 0;
        for (long n : itemsPerSegment.values()) {
            sum += n;
        }
        return sum;
    }

    ScanEnumeratorState copy() {
        ScanEnumeratorState c = new ScanEnumeratorState();
        c.run = run;
        c.runId = runId;
        c.streamArn = streamArn;
        c.runStartedAt = runStartedAt;
        c.totalSegments = totalSegments;
        c.unassigned.addAll(unassigned);
        c.finished.addAll(finished);
        c.itemsPerSegment.putAll(itemsPerSegment);
        c.complete = complete;
        c.markersEmitted.addAll(markersEmitted);
        c.lastCheckpointAt = lastCheckpointAt;
        c.approximateItemCount = approximateItemCount;
        c.gapsDetected = gapsDetected;
        return c;
    }
}
