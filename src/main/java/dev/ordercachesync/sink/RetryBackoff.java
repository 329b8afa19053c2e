package dev.ordercachesync.sink;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter, so retrying subtasks do not hit a recovering cache in step. */
public final class RetryBackoff implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long baseMillis;
    private final long capMillis;

    public RetryBackoff(Duration base, Duration cap) {
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
    }

    /** Delay before the given retry (1 = first retry). */
    public long delayMillis(int retry) {
        long ceiling = Math.min(capMillis, baseMillis << Math.min(retry - 1, 20));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }
}
