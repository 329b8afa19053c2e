package dev.ordercachesync.sink;

import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.localmomento.LoopbackMomentoServer;
import dev.ordercachesync.localmomento.RpcNames;
import io.grpc.Status;
import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sink writer with the real Momento SDK against the loopback server. */
class MomentoSinkWriterTest {
    private static final long TTL = Duration.ofMinutes(5).toMillis();
    private LoopbackMomentoServer server;

    @BeforeEach
    void start() {
        server = LoopbackMomentoServer.builder().cache("pizza").faultSeed(7).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MomentoSinkWriter writer(String cache, int maxInFlight, int maxAttempts) {
        return writer(cache, maxInFlight, maxAttempts, SinkBudget.adaptive());
    }

    private MomentoSinkWriter writer(String cache, int maxInFlight, int maxAttempts, SinkBudget budget) {
        MomentoConnection connection = MomentoConnection.local(cache, "127.0.0.1", server.port(),
                Duration.ofSeconds(2), Duration.ofMinutes(5));
        return new MomentoSinkWriter(new MomentoCacheOperations(connection.openClient(), cache),
                new RetryBackoff(Duration.ofMillis(5), Duration.ofMillis(50)), maxInFlight, maxAttempts, budget,
                Duration.ofSeconds(2), InternalSinkWriterMetricGroup.wrap(UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup()));
    }

    private static int indexOf(String value) {
        return Integer.parseInt(value.substring(value.indexOf('-') + 1));
    }

    @Test
    void writesToOneKeyNeverOvertakeEachOtherAndTheLastOneWins() throws Exception {
        // Random answer times would reorder writes to one key if two were ever in flight together.
        server.faults().latency(RpcNames.SET, 5, 80);
        try (MomentoSinkWriter w = writer("pizza", 16, 3)) {
            for (int i = 0; i < 300; i++) {
                w.write(CacheMutation.put("hot", "hot-" + i, TTL), null);
                w.write(CacheMutation.put("cold" + (i % 20), "cold-" + i, TTL), null);
            }
            w.flush(false);
        }

        assertThat(server.snapshot("pizza")).containsEntry("hot", "hot-299");
        for (int k = 0; k < 20; k++) {
            assertThat(server.snapshot("pizza")).containsEntry("cold" + k, "cold-" + (280 + k));
        }
        List<String> history = server.writeHistory("pizza", "hot");
        List<Integer> applied = new ArrayList<>();
        history.forEach(v -> applied.add(indexOf(v)));
        assertThat(applied).as("applied in submission order").isSorted().doesNotHaveDuplicates();
        assertThat(applied.size()).as("waiting writes were coalesced").isLessThan(300);
    }

    @Test
    void aDeleteAfterAPutLeavesTheKeyAbsent() throws Exception {
        server.faults().latency(RpcNames.ALL, 1, 30);
        try (MomentoSinkWriter w = writer("pizza", 4, 3)) {
            for (int i = 0; i < 50; i++) {
                w.write(CacheMutation.put("k" + i, "v", TTL), null);
                w.write(CacheMutation.delete("k" + i), null);
            }
            w.write(CacheMutation.put("kept", "yes", TTL), null);
            w.flush(false);
        }
        assertThat(server.snapshot("pizza")).containsExactly(java.util.Map.entry("kept", "yes"));
    }

    @Test
    void retryableErrorsAreRetriedUntilTheWriteLands() throws Exception {
        // More failures than the SDK's own retries absorb, so the sink's retry layer must act.
        server.faults().failNext(RpcNames.SET, 9, Status.Code.UNAVAILABLE);
        server.faults().failNext(RpcNames.DELETE, 2, Status.Code.RESOURCE_EXHAUSTED);
        try (MomentoSinkWriter w = writer("pizza", 2, 10)) {
            w.write(CacheMutation.put("a", "1", TTL), null);
            w.write(CacheMutation.delete("b"), null);
            w.flush(false);
        }
        assertThat(server.snapshot("pizza")).containsExactly(java.util.Map.entry("a", "1"));
    }

    @Test
    void aPermanentErrorFailsTheFlushNamingTheKeyAndTheFix() {
        MomentoSinkWriter w = writer("no-such-cache", 2, 10);
        assertThatThrownBy(() -> {
            w.write(CacheMutation.put("o-1", "{}", TTL), null);
            w.flush(false);
        }).isInstanceOf(CacheWriteException.class)
                .hasMessageContaining("'o-1'")
                .hasMessageContaining("NOT_FOUND_ERROR")
                .hasMessageContaining("does the cache exist");
        assertThatThrownBy(() -> w.write(CacheMutation.put("o-2", "{}", TTL), null))
                .as("a failed writer refuses further writes").isInstanceOf(CacheWriteException.class);
        w.close();
    }

    @Test
    void exhaustingTheRetryBudgetFailsInsteadOfDropping() {
        server.faults().outage(true);
        MomentoSinkWriter w = writer("pizza", 2, 3);
        assertThatThrownBy(() -> {
            w.write(CacheMutation.put("o-1", "{}", TTL), null);
            w.flush(false);
        }).isInstanceOf(CacheWriteException.class)
                .hasMessageContaining("Gave up writing key 'o-1' after 3 attempts")
                .hasMessageContaining("SERVER_UNAVAILABLE");
        w.close();
    }

    @Test
    void newWritesToAFailingKeyKeepItsBackoffAndItsBudget() throws Exception {
        server.faults().outage(true);
        MomentoSinkWriter w = writer("pizza", 2, 3);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 20; i++) {
                w.write(CacheMutation.put("all-orders", "[" + i + "]", TTL), null);
                Thread.sleep(10);
            }
            w.flush(false);
        }).isInstanceOf(CacheWriteException.class)
                .hasMessageContaining("Gave up writing key 'all-orders' after 3 attempts");
        // Three attempts of the SDK's four calls each: new data did not restart the count or skip a backoff.
        assertThat(server.operationCounts().get(RpcNames.SET)).isLessThanOrEqualTo(12L);
        w.close();
    }

    private static String valueOfBytes(int bytes, int i) {
        String tag = "v-" + i;
        return tag + "x".repeat(bytes - tag.length());
    }

    @Test
    void throttledCallsWaitAndGoAgainWithoutUsingUpAttempts() throws Exception {
        // Far less than the writes need, and a single attempt: one throttled call counted as a failure would fail.
        server.faults().quota(200);
        try (MomentoSinkWriter w = writer("pizza", 16, 1)) {
            for (int i = 0; i < 300; i++) {
                w.write(CacheMutation.put("order-" + i, valueOfBytes(1500, i), TTL), null);
                w.write(CacheMutation.put("all-orders", "[" + i + "]", TTL), null);
            }
            w.flush(false);
        }
        assertThat(server.quotaStats().callsRefused).as("the quota did refuse calls").isPositive();
        for (int i = 0; i < 300; i++) {
            assertThat(server.snapshot("pizza")).containsEntry("order-" + i, valueOfBytes(1500, i));
        }
        assertThat(server.snapshot("pizza")).containsEntry("all-orders", "[299]");
        assertThat(server.writeHistory("pizza", "all-orders").size())
                .as("while throttled, newer writes replaced waiting ones").isLessThan(300);
    }

    @Test
    void aBudgetWithinTheQuotaKeepsRefusalsRare() throws Exception {
        server.faults().quota(100);
        try (MomentoSinkWriter w = writer("pizza", 16, 1, new SinkBudget(200, 0, 2))) {
            for (int i = 0; i < 300; i++) {
                w.write(CacheMutation.put("order-" + i, "v-" + i, TTL), null);
            }
            w.flush(false);
        }
        assertThat(server.quotaStats().callsAdmitted).isGreaterThanOrEqualTo(300);
        assertThat(server.quotaStats().refusedPerAdmitted()).as(server.quotaStats().toString()).isLessThanOrEqualTo(0.02);
    }

    @Test
    void closeWaitsForCallsInFlight() {
        server.faults().latency(RpcNames.SET, 500);
        MomentoSinkWriter w = writer("pizza", 4, 3);
        try {
            w.write(CacheMutation.put("late", "landed", TTL), null);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        w.close();
        assertThat(server.snapshot("pizza")).as("the write in flight landed before close returned").containsEntry("late", "landed");
    }
}
