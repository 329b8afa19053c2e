package dev.ordercachesync.source.scan;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** When a starting job scans the table, and when it calls what it finds a gap. */
class RunDecisionTest {
    private static final String STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/2026-01-01T00:00:00.000";
    private static final String NEW_STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/2026-02-01T00:00:00.000";
    private static final long NOW = 1_800_000_000_000L;

    private static ScanEnumeratorState ranOn(String stream, String runId, long lastCheckpointAt, boolean complete) {
        ScanEnumeratorState s = new ScanEnumeratorState();
        s.run = 1;
        s.streamArn = stream;
        s.runId = runId;
        s.lastCheckpointAt = lastCheckpointAt;
        s.complete = complete;
        return s;
    }

    @Test
    void aJobWithoutStateScans() {
        assertThat(RunDecision.at(null, STREAM, "", NOW).action).isEqualTo(RunDecision.Action.NEW_RUN);
    }

    @Test
    void aJobThatLastRanOnAnotherStreamHasAGap() {
        RunDecision d = RunDecision.at(ranOn(STREAM, "", NOW - 60_000, true), NEW_STREAM, "", NOW);
        assertThat(d.action).isEqualTo(RunDecision.Action.GAP);
        assertThat(d.reason).contains(STREAM).contains(NEW_STREAM);
    }

    @Test
    void aJobStoppedLongerThanTheStreamsRetentionHasAGap() {
        long tooLongAgo = NOW - Duration.ofHours(25).toMillis();
        RunDecision d = RunDecision.at(ranOn(STREAM, "", tooLongAgo, true), STREAM, "", NOW);
        assertThat(d.action).isEqualTo(RunDecision.Action.GAP);
        assertThat(d.reason).contains("25h old");
        assertThat(RunDecision.at(ranOn(STREAM, "", NOW - Duration.ofHours(23).toMillis(), true), STREAM, "", NOW).action)
                .isEqualTo(RunDecision.Action.RESUME);
    }

    @Test
    void aNewRunIdScansAgainAndTheSameOneDoesNot() {
        assertThat(RunDecision.at(ranOn(STREAM, "a", NOW, true), STREAM, "b", NOW).action).isEqualTo(RunDecision.Action.NEW_RUN);
        assertThat(RunDecision.at(ranOn(STREAM, "a", NOW, true), STREAM, "a", NOW).action).isEqualTo(RunDecision.Action.RESUME);
    }

    /** A stack parameter emptied after a rescan (or a property dropped) must not start another full scan. */
    @Test
    void anEmptiedRunIdAsksForNothing() {
        RunDecision d = RunDecision.at(ranOn(STREAM, "a", NOW, true), STREAM, "", NOW);
        assertThat(d.action).isEqualTo(RunDecision.Action.RESUME);
        assertThat(d.reason).isEqualTo("run 1 is complete");
        assertThat(RunDecision.at(ranOn(STREAM, "", NOW, true), STREAM, "", NOW).action).isEqualTo(RunDecision.Action.RESUME);
        assertThat(RunDecision.at(ranOn(STREAM, "", NOW, true), STREAM, "first", NOW).action)
                .as("a value where there was none is a request").isEqualTo(RunDecision.Action.NEW_RUN);
    }

    @Test
    void anUnfinishedRunResumes() {
        RunDecision d = RunDecision.at(ranOn(STREAM, "", NOW - 5_000, false), STREAM, "", NOW);
        assertThat(d.action).isEqualTo(RunDecision.Action.RESUME);
        assertThat(d.reason).isEqualTo("run 1 resumes");
    }

    @Test
    void theEnumeratorStateSurvivesItsSerializer() throws Exception {
        ScanEnumeratorState s = ranOn(STREAM, "r", NOW, false);
        s.totalSegments = 4;
        s.unassigned.add(3);
        s.finished.add(0);
        s.itemsPerSegment.put(0, 10L);
        s.itemsPerSegment.put(1, 7L);
        s.markersEmitted.add(1);
        ScanEnumeratorState back = ScanEnumeratorStateSerializer.INSTANCE.deserialize(1,
                ScanEnumeratorStateSerializer.INSTANCE.serialize(s));
        assertThat(back).usingRecursiveComparison().isEqualTo(s);
        assertThat(back.itemsScanned()).isEqualTo(17);
    }

    @Test
    void aSplitKeepsItsLastEvaluatedKeyThroughItsSerializer() throws Exception {
        ScanSplit split = ScanSplit.fresh(2, 1, 4, NOW, STREAM).after("{\"pk\":{\"S\":\"o1\"},\"sk\":{\"S\":\"metadata\"}}", 10);
        ScanSplit back = ScanSplitSerializer.INSTANCE.deserialize(1, ScanSplitSerializer.INSTANCE.serialize(split));
        assertThat(back).usingRecursiveComparison().isEqualTo(split);
        assertThat(back.finished).isFalse();
        assertThat(ScanSplit.fresh(2, 1, 4, NOW, STREAM).after(null, 3).finished).isTrue();
    }
}
