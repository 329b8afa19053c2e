package dev.ordercachesync.testsupport;

import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.ordering.OrderSequencer;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

import java.util.List;
import java.util.stream.Collectors;

/** What a sequencer test harness emitted so far, as readable lines, leaving it empty. */
public final class SequencerOutputs {
    private SequencerOutputs() {}

    /** "put KEY VALUE" or "delete KEY" per detail write. */
    public static List<String> detailWrites(OneInputStreamOperatorTestHarness<?, CacheMutation> harness) {
        List<String> out = harness.extractOutputValues().stream()
                .map(m -> m.isDelete() ? "delete " + m.key : "put " + m.key + " " + m.value)
                .collect(Collectors.toList());
        harness.getOutput().clear();
        return out;
    }

    /** "upsert ID STATUS into LIST" or "remove ID from LIST" per list delta. */
    public static List<String> listDeltas(AbstractStreamOperatorTestHarness<?> harness) {
        return SideOutputs.drain(harness, OrderSequencer.LIST_DELTAS).stream()
                .map(d -> d.isRemoval() ? "remove " + d.orderId + " from " + d.listKey
                        : "upsert " + d.orderId + " " + d.summary.status + " into " + d.listKey)
                .collect(Collectors.toList());
    }
}
