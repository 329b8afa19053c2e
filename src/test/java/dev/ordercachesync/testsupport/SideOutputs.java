package dev.ordercachesync.testsupport;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Takes what an operator test harness emitted on a side output so far, leaving it empty. */
public final class SideOutputs {
    private SideOutputs() {}

    public static <T> List<T> drain(AbstractStreamOperatorTestHarness<?> harness, OutputTag<T> tag) {
        ConcurrentLinkedQueue<StreamRecord<T>> side = harness.getSideOutput(tag);
        List<T> out = new ArrayList<>();
        if (side != null) {
            side.forEach(r -> out.add(r.getValue()));
            side.clear();
        }
        return out;
    }
}
