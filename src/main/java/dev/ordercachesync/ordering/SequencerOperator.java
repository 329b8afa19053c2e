package dev.ordercachesync.ordering;

import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.model.ChangeKind;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.views.ListDelta;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the {@link OrderSequencer}, and reconciles a key group when a table scan run has reached all of it: that
 * needs every order of the key group, which only the operator (not a keyed function) can walk.
 */
public class SequencerOperator extends KeyedProcessOperator<String, OrderChange, CacheMutation> {
    private static final long serialVersionUID = 1L;

    private final OrderSequencer sequencer;

    public SequencerOperator(OrderSequencer sequencer) {
        super(sequencer);
        this.sequencer = sequencer;
    }

    @Override
    public void processElement(StreamRecord<OrderChange> element) throws Exception {
        OrderChange change = element.getValue();
        if (change.kind != ChangeKind.SCAN_COMPLETE) {
            super.processElement(element);
            return;
        }
        if (!sequencer.recordScanComplete(change)) {
            return;
        }
        String markerKey = (String) getCurrentKey();
        int keyGroups = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
        int group = KeyGroupRangeAssignment.assignToKeyGroup(markerKey, keyGroups);
        List<String> orders;
        // Collected first: clearing state while its keys are streamed is not allowed.
        try (Stream<String> keys = this.<String>getKeyedStateBackend().getKeys(OrderSequencer.APPLIED_STATE, VoidNamespace.INSTANCE)) {
            orders = keys.filter(k -> KeyGroupRangeAssignment.assignToKeyGroup(k, keyGroups) == group)
                    .collect(Collectors.toList());
        }
        Collector<CacheMutation> mutations = new Collector<CacheMutation>() {
            @Override
            public void collect(CacheMutation m) {
                output.collect(new StreamRecord<>(m));
            }

            @Override
            public void close() {}
        };
        Collector<ListDelta> lists = new Collector<ListDelta>() {
            @Override
            public void collect(ListDelta d) {
                output.collect(OrderSequencer.LIST_DELTAS, new StreamRecord<>(d));
            }

            @Override
            public void close() {}
        };
        long now = getProcessingTimeService().getCurrentProcessingTime();
        try {
            for (String orderId : orders) {
                setCurrentKey(orderId);
                sequencer.reconcile(orderId, change.scanRun, change.scanStartedAt, mutations, lists, now);
            }
        } finally {
            setCurrentKey(markerKey);
        }
    }
}
