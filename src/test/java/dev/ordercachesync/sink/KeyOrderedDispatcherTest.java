package dev.ordercachesync.sink;

import dev.ordercachesync.model.CacheMutation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.ordercachesync.localmomento.LoopbackMomentoServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Dispatcher behaviour best shown from below the writer: a client that throws instead of failing its future (which
 * the real client cannot be made to do), and the order of sends when the budget is short, on a limiter clock the
 * test moves so that every wait is the limiter's and none is the machine's.
 */
class KeyOrderedDispatcherTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static final KeyOrderedDispatcher.Observer NO_METRICS = new KeyOrderedDispatcher.Observer() {
        @Override
        public void written(long latencyNanos) {}

        @Override
        public void retried() {}

        @Override
        public void throttled() {}

        @Override
        public void coalesced() {}

        @Override
        public void failed() {}
    };

    @Test
    void aClientThatThrowsFailsTheFlushInsteadOfHangingIt() {
        CacheWriteOperations throwing = new CacheWriteOperations() {
            @Override
            public CompletableFuture<Void> apply(CacheMutation mutation) {
                throw new IllegalStateException("client bug");
            }

            @Override
            public void close() {}
        };
        SendRateLimiter limiter = new SendRateLimiter(0, System::nanoTime);
        KeyOrderedDispatcher dispatcher = new KeyOrderedDispatcher(throwing, timer,
                new RetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)), 4, 16, 2, limiter, new QuotaBottleneckLog(limiter, 0, 0, 1), NO_METRICS);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> {
            dispatcher.submit(CacheMutation.put("k", "v", 1000));
            dispatcher.flush();
        }).isInstanceOf(CacheWriteException.class).hasMessageContaining("Gave up writing key 'k' after 2 attempts"));
    }

    @Test
    void whenTheBudgetIsShortChangesGoBeforeRefreshes() throws Exception {
        List<String> applied = Collections.synchronizedList(new ArrayList<>());
        AtomicLong clock = new AtomicLong();
        try (LoopbackMomentoServer server = LoopbackMomentoServer.builder().cache("pizza")
                .writeListener((cache, key, value, nanos) -> applied.add(key.toStringUtf8())).build().start()) {
            MomentoConnection connection = MomentoConnection.local("pizza", "127.0.0.1", server.port(),
                    Duration.ofSeconds(2), Duration.ofMinutes(5));
            // 4 operations per second, a bucket of 2; the clock only moves when the test says so.
            SendRateLimiter limiter = new SendRateLimiter(4, clock::get);
            KeyOrderedDispatcher dispatcher = new KeyOrderedDispatcher(
                    new MomentoCacheOperations(connection.openClient(), "pizza"), timer,
                    new RetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)), 2, 100, 3, limiter,
                    new QuotaBottleneckLog(limiter, 4, 0, 1), NO_METRICS);

            dispatcher.submit(CacheMutation.put("first-0", "v", 60_000));
            dispatcher.submit(CacheMutation.put("first-1", "v", 60_000));
            for (int i = 0; i < 10; i++) {
                dispatcher.submit(CacheMutation.refresh("refresh-" + i, "v", 60_000));
            }
            // Eight changes in all, so that they fill whole refills: two calls sent together may land in either order.
            for (int i = 0; i < 6; i++) {
                dispatcher.submit(CacheMutation.put("change-" + i, "v", 60_000));
            }
            // A refresh that a change of the same key overtakes while it waits is sent as a change.
            dispatcher.submit(CacheMutation.put("refresh-9", "changed", 60_000));
            // A change that a refresh of the same value overtakes is still a change.
            dispatcher.submit(CacheMutation.put("change-late", "v2", 60_000));
            dispatcher.submit(CacheMutation.refresh("change-late", "v2", 60_000));

            Thread mover = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            mover.start();
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(60), dispatcher::flush);
            } finally {
                mover.interrupt();
            }
            dispatcher.close(Duration.ofSeconds(1));
        }

        assertThat(applied).hasSize(19);
        assertThat(applied.subList(0, 2)).containsExactlyInAnyOrder("first-0", "first-1");
        // Two calls go per refill, so the eight changes are the next eight, and the refreshes come after.
        assertThat(applied.subList(2, 10)).containsExactlyInAnyOrder(
                "change-0", "change-1", "change-2", "change-3", "change-4", "change-5", "refresh-9", "change-late");
        assertThat(applied.subList(10, 19)).allMatch(key -> key.startsWith("refresh-"));
    }
}
