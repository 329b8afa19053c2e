package dev.ordercachesync.source;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamGapRelayTest {
    private final String channel = "test-" + UUID.randomUUID();

    @Test
    void aGapReportedBeforeAnyReaderAttachedReachesTheFirstOneAndIsHandedOutOnce() {
        StreamGapRelay.Gap gap = new StreamGapRelay.Gap("shard gone", 1L);
        CompletableFuture<Void> answer = StreamGapRelay.report(channel, gap);
        AtomicInteger woken = new AtomicInteger();
        StreamGapRelay.attach(channel, woken::incrementAndGet);

        assertThat(woken).hasValue(1);
        assertThat(StreamGapRelay.take(channel)).extracting(g -> g.id).containsExactly(gap.id);
        assertThat(StreamGapRelay.take(channel)).as("taken once").isEmpty();
        assertThat(answer).isNotDone();
    }

    @Test
    void theEnumeratorsAnswerReleasesTheWaitingSubtaskOrFailsItWithTheRefusal() throws Exception {
        AtomicInteger woken = new AtomicInteger();
        StreamGapRelay.attach(channel, woken::incrementAndGet);
        StreamGapRelay.Gap covered = new StreamGapRelay.Gap("trimmed", 1L);
        StreamGapRelay.Gap refused = new StreamGapRelay.Gap("trimmed too", 2L);
        CompletableFuture<Void> coveredAnswer = StreamGapRelay.report(channel, covered);
        CompletableFuture<Void> refusedAnswer = StreamGapRelay.report(channel, refused);
        assertThat(woken).hasValue(2);
        List<StreamGapRelay.Gap> taken = StreamGapRelay.take(channel);
        assertThat(taken).hasSize(2);

        StreamGapRelay.answer(channel, covered.id, null);
        StreamGapRelay.answer(channel, refused.id, "Stream gap: trimmed too. Start it with gap-recovery=rebootstrap");

        assertThat(coveredAnswer.get()).isNull();
        assertThatThrownBy(refusedAnswer::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StreamGapException.class).hasMessageContaining("gap-recovery=rebootstrap");
    }

    @Test
    void aWithdrawnGapIsNotForwardedAndAnOtherChannelsReaderIsNotWoken() {
        AtomicInteger otherJob = new AtomicInteger();
        StreamGapRelay.attach("other-" + channel, otherJob::incrementAndGet);
        StreamGapRelay.Gap gap = new StreamGapRelay.Gap("trimmed", 1L);
        StreamGapRelay.report(channel, gap);
        StreamGapRelay.withdraw(channel, gap);

        assertThat(StreamGapRelay.take(channel)).isEmpty();
        assertThat(otherJob).hasValue(0);
    }
}
