package dev.ordercachesync.testsupport;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** Waits for a cache to equal what the contract computes, then checks that it stays so. */
public final class CacheConvergence {
    private CacheConvergence() {}

    /**
     * Polls until {@code actual} equals {@code expected}, then holds for {@code settle} and returns the
     * final contents. On timeout returns the last contents, so the caller's assertion shows the difference.
     */
    public static Map<String, String> awaitEqual(Supplier<Map<String, String>> expected,
                                                 Supplier<Map<String, String>> actual,
                                                 Duration timeout, Duration settle) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> last = actual.get();
        while (System.nanoTime() < deadline) {
            if (Objects.equals(expected.get(), last)) {
                Thread.sleep(settle.toMillis());
                return actual.get();
            }
            Thread.sleep(200);
            last = actual.get();
        }
        return last;
    }
}
