package dev.ordercachesync.sink;

import dev.ordercachesync.model.CacheMutation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Dispatcher behaviour that the real client cannot be made to show: a client that throws instead of failing its future. */
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
        KeyOrderedDispatcher dispatcher = new KeyOrderedDispatcher(throwing, timer,
                new RetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)), 4, 16, 2, NO_METRICS);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> {
            dispatcher.submit(CacheMutation.put("k", "v", 1000));
            dispatcher.flush();
        }).isInstanceOf(CacheWriteException.class).hasMessageContaining("Gave up writing key 'k' after 2 attempts"));
    }
}
