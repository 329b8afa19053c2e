package dev.ordercachesync.source.scan;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.testsupport.LocalStack;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The enumerator's side of a gap the stream source found: which gaps start a run, and when the waiting stream
 * subtask is answered. Against moto, which the enumerator asks for the table's stream at start.
 */
class TableScanEnumeratorGapTest {

    private static JobParameters parameters(LocalStack stack, String gapRecovery) {
        Map<String, String> values = stack.jobParameters();
        values.put(JobParameters.GAP_RECOVERY, gapRecovery);
        return JobParameters.from(values);
    }

    private static List<ScanEvents.GapAnswered> answers(MockSplitEnumeratorContext<ScanSplit> context, int reader)
            throws Exception {
        List<SourceEvent> sent = context.getSentSourceEvent().getOrDefault(reader, List.of());
        return sent.stream().filter(e -> e instanceof ScanEvents.GapAnswered).map(e -> (ScanEvents.GapAnswered) e)
                .collect(Collectors.toList());
    }

    @Test
    void aGapFoundAfterTheLastRunStartsAnotherAndIsAnsweredOnlyOnceACheckpointHoldingItCompletes() throws Exception {
        try (LocalStack stack = LocalStack.start();
             MockSplitEnumeratorContext<ScanSplit> context = new MockSplitEnumeratorContext<>(2)) {
            context.registerReader(new ReaderInfo(0, "localhost"));
            context.registerReader(new ReaderInfo(1, "localhost"));
            TableScanEnumerator enumerator = new TableScanEnumerator(context, parameters(stack, "rebootstrap"), null);
            enumerator.start();
            ScanEnumeratorState started = enumerator.snapshotState(1);
            assertThat(started.run).as("a job without state scans").isEqualTo(1);

            enumerator.handleSourceEvent(1, new ScanEvents.GapFound("g1", "trimmed", started.runStartedAt + 1));
            ScanEnumeratorState afterGap = enumerator.snapshotState(2);
            assertThat(afterGap.run).as("a gap found after run 1 began").isEqualTo(2);
            assertThat(afterGap.gapsDetected).isEqualTo(1);
            // The second shard of the same gap, found before run 2 began: covered by it.
            enumerator.handleSourceEvent(0, new ScanEvents.GapFound("g2", "trimmed", afterGap.runStartedAt - 1));
            assertThat(enumerator.snapshotState(3).run).isEqualTo(2);

            enumerator.notifyCheckpointComplete(1);
            assertThat(answers(context, 1)).as("checkpoint 1 was taken before run 2").isEmpty();
            enumerator.notifyCheckpointComplete(2);
            assertThat(answers(context, 1)).extracting(a -> a.gapId, a -> a.refusal).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("g1", null));
            assertThat(answers(context, 0)).as("g2 arrived after checkpoint 2").isEmpty();
            enumerator.notifyCheckpointComplete(3);
            assertThat(answers(context, 0)).extracting(a -> a.gapId).containsExactly("g2");
            enumerator.close();
        }
    }

    @Test
    void withGapRecoveryFailAGapIsRefusedAtOnceWithWhatToDo() throws Exception {
        try (LocalStack stack = LocalStack.start();
             MockSplitEnumeratorContext<ScanSplit> context = new MockSplitEnumeratorContext<>(1)) {
            context.registerReader(new ReaderInfo(0, "localhost"));
            TableScanEnumerator enumerator = new TableScanEnumerator(context, parameters(stack, "fail"), null);
            enumerator.start();

            enumerator.handleSourceEvent(0, new ScanEvents.GapFound("g", "shard X is gone", System.currentTimeMillis()));

            assertThat(enumerator.snapshotState(1).run).as("no new run").isEqualTo(1);
            assertThat(answers(context, 0)).singleElement().satisfies(a -> assertThat(a.refusal)
                    .contains("shard X is gone", JobParameters.GAP_RECOVERY + "=rebootstrap"));
            enumerator.close();
        }
    }
}
