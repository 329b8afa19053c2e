package dev.ordercachesync.sink;

import dev.ordercachesync.model.CacheMutation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends cache mutations so that writes to one key never overtake each other.
 *
 * <p>At most one write per key is in flight; a newer mutation for a key that waits replaces the older
 * one (latest wins, since every mutation is a full set or delete). Writes to different keys run
 * concurrently up to {@code maxInFlight}. Retryable failures are retried with backoff up to
 * {@code maxAttempts}; then, or on a permanent error, the dispatcher fails and every later call
 * throws, so the job restarts from its last checkpoint instead of dropping the write.
 *
 * <p>Every call spends metered operations from a {@link SendRateLimiter}. A call Momento refuses for the quota
 * is not a failure: it cuts the limiter's rate and waits again for tokens, without using up an attempt, and a
 * newer write to its key replaces it meanwhile. When the budget is short, changes go out before refreshes
 * (re-writes of unchanged values that only renew a TTL). Backpressure: {@link #submit} blocks for a new key
 * while too many keys, or more than {@link #PENDING_SECONDS} of budget, wait.
 */
public final class KeyOrderedDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(KeyOrderedDispatcher.class);
    /** Writes waiting may cost at most this long at the current limit, so a checkpoint's flush stays short. */
    static final double PENDING_SECONDS = 10;

    /** Receives metric events; called under the dispatcher's lock, so it must be cheap and must not block. */
    public interface Observer {
        void written(long latencyNanos);

        void retried();

        /** Momento refused a call for the quota; it will be sent again. */
        void throttled();

        void coalesced();

        void failed();
    }

    private static final class KeySlot {
        CacheMutation waiting;
        /** Metered cost of {@link #waiting}, counted in {@link #pendingOperations}. */
        long waitingCost;
        boolean inFlight;
        boolean queued;
        /** The waiting mutation is a failed one, held back until its backoff ends. */
        boolean retryPending;
        /** Identifies the one retry timer that may release this slot; older timers are stale. */
        long retryGeneration;
        int attempts;
    }

    private final CacheWriteOperations operations;
    private final ScheduledExecutorService retryTimer;
    private final RetryBackoff backoff;
    private final int maxInFlight;
    private final int maxBufferedKeys;
    private final int maxAttempts;
    private final SendRateLimiter limiter;
    private final QuotaBottleneckLog bottleneck;
    private final Observer observer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, KeySlot> slots = new HashMap<>();
    // Keys ready to send, oldest first; changes before refreshes.
    private final LinkedHashSet<String> readyChanges = new LinkedHashSet<>();
    private final LinkedHashSet<String> readyRefreshes = new LinkedHashSet<>();
    private long pendingOperations;
    private int inFlight;
    private boolean wakeScheduled;
    /** When ready keys started waiting for the limiter without a break; -1 while they do not. */
    private long limitedSince = -1;
    private boolean closing;
    private CacheWriteException failure;

    public KeyOrderedDispatcher(CacheWriteOperations operations, ScheduledExecutorService retryTimer,
                                RetryBackoff backoff, int maxInFlight, int maxBufferedKeys, int maxAttempts,
                                SendRateLimiter limiter, QuotaBottleneckLog bottleneck, Observer observer) {
        this.operations = operations;
        this.retryTimer = retryTimer;
        this.backoff = backoff;
        this.maxInFlight = maxInFlight;
        this.maxBufferedKeys = Math.max(maxBufferedKeys, maxInFlight);
        this.maxAttempts = maxAttempts;
        this.limiter = limiter;
        this.bottleneck = bottleneck;
        this.observer = observer;
    }

    /** Queues a mutation; blocks while too many keys are buffered (backpressure). */
    public void submit(CacheMutation mutation) throws InterruptedException {
        List<Send> toStart;
        lock.lock();
        try {
            throwIfFailed();
            KeySlot slot = slots.get(mutation.key);
            while (slot == null && full()) {
                changed.await();
                throwIfFailed();
                slot = slots.get(mutation.key);
            }
            if (slot == null) {
                slot = new KeySlot();
                slots.put(mutation.key, slot);
            }
            if (slot.waiting != null) {
                observer.coalesced();
            }
            setWaiting(slot, supersede(slot.waiting, mutation));
            // A key in backoff keeps its schedule and its count of failed attempts: new data does not
            // make a failing cache healthy, and the budget must still run out if the failures go on.
            if (!slot.inFlight && !slot.queued && !slot.retryPending) {
                enqueue(mutation.key, slot);
            } else if (slot.queued && !slot.waiting.refresh && readyRefreshes.remove(mutation.key)) {
                readyChanges.add(mutation.key);
            }
            toStart = takeStartable();
        } finally {
            lock.unlock();
        }
        start(toStart);
    }

    /** Waits until every mutation submitted so far is written; throws if one cannot be. */
    public void flush() throws InterruptedException {
        lock.lock();
        try {
            while (!slots.isEmpty()) {
                throwIfFailed();
                changed.await();
            }
            throwIfFailed();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops starting calls and waits up to {@code timeout} for those in flight, so that none of them lands after
     * a restarted job's newer write to the same key. Returns how many were still in flight.
     */
    public int close(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            closing = true;
            long remaining = timeout.toNanos();
            while (inFlight > 0 && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    public int bufferedKeys() {
        lock.lock();
        try {
            return slots.size();
        } finally {
            lock.unlock();
        }
    }

    /** Metered operations of the writes waiting to be sent. */
    public long pendingOperations() {
        lock.lock();
        try {
            return pendingOperations;
        } finally {
            lock.unlock();
        }
    }

    private static final class Send {
        final CacheMutation mutation;
        final int attempt;
        final long cost;
        final long sentAtNanos;

        Send(CacheMutation mutation, int attempt, long cost, long sentAtNanos) {
            this.mutation = mutation;
            this.attempt = attempt;
            this.cost = cost;
            this.sentAtNanos = sentAtNanos;
        }
    }

    /** Under the lock: whether a new key must wait. */
    private boolean full() {
        if (slots.size() >= maxBufferedKeys) {
            return true;
        }
        double limit = limiter.limit();
        return limit > 0 && !slots.isEmpty() && pendingOperations >= limit * PENDING_SECONDS;
    }

    /**
     * The write that replaces a waiting one. It carries the newer value; it is a refresh only if both are, since a
     * change that was never written is still a change when a refresh of the same value comes after it.
     */
    private static CacheMutation supersede(CacheMutation older, CacheMutation newer) {
        if (older == null || older.refresh || !newer.refresh) {
            return newer;
        }
        return CacheMutation.put(newer.key, newer.value, newer.ttlMillis);
    }

    private void setWaiting(KeySlot slot, CacheMutation m) {
        pendingOperations -= slot.waitingCost;
        slot.waiting = m;
        slot.waitingCost = m == null ? 0 : m.meteredOperations();
        pendingOperations += slot.waitingCost;
    }

    private void enqueue(String key, KeySlot slot) {
        slot.queued = true;
        (slot.waiting.refresh ? readyRefreshes : readyChanges).add(key);
    }

    private static String first(LinkedHashSet<String> keys) {
        Iterator<String> it = keys.iterator();
        return it.hasNext() ? it.next() : null;
    }

    /** Under the lock: moves ready keys into flight while there is room and budget. */
    private List<Send> takeStartable() {
        List<Send> sends = new ArrayList<>();
        while (inFlight < maxInFlight && failure == null && !closing) {
            String key = first(readyChanges);
            LinkedHashSet<String> queue = readyChanges;
            if (key == null) {
                key = first(readyRefreshes);
                queue = readyRefreshes;
            }
            if (key == null) {
                limitedSince = -1;
                break;
            }
            KeySlot slot = slots.get(key);
            long cost = slot.waitingCost;
            long waitNanos = limiter.tryAcquire(cost);
            if (waitNanos > 0) {
                long now = System.nanoTime();
                if (limitedSince < 0) {
                    limitedSince = now;
                }
                bottleneck.limited(now - limitedSince, readyChanges.size() + readyRefreshes.size(), pendingOperations);
                scheduleWake(waitNanos);
                break;
            }
            queue.remove(key);
            slot.queued = false;
            CacheMutation m = slot.waiting;
            setWaiting(slot, null);
            slot.inFlight = true;
            slot.attempts++;
            inFlight++;
            sends.add(new Send(m, slot.attempts, cost, System.nanoTime()));
        }
        if (!sends.isEmpty()) {
            changed.signalAll();
        }
        return sends;
    }

    private void scheduleWake(long delayNanos) {
        if (wakeScheduled) {
            return;
        }
        wakeScheduled = true;
        retryTimer.schedule(this::wake, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void wake() {
        List<Send> toStart;
        lock.lock();
        try {
            wakeScheduled = false;
            toStart = takeStartable();
        } finally {
            lock.unlock();
        }
        start(toStart);
    }

    private void start(List<Send> sends) {
        for (Send send : sends) {
            long started = send.sentAtNanos;
            CompletableFuture<Void> result;
            try {
                result = operations.apply(send.mutation);
            } catch (RuntimeException e) {
                // A throw instead of a failed future must still release the key, or flush would wait forever.
                result = CompletableFuture.failedFuture(e);
            }
            result.whenComplete((ok, error) -> completed(send, started, error));
        }
    }

    private void completed(Send send, long startedNanos, Throwable error) {
        List<Send> toStart;
        lock.lock();
        try {
            inFlight--;
            String key = send.mutation.key;
            KeySlot slot = slots.get(key);
            slot.inFlight = false;
            if (error == null) {
                observer.written(System.nanoTime() - startedNanos);
                limiter.accepted(send.cost);
                slot.attempts = 0;
            } else {
                CacheWriteException cause = unwrap(error);
                if (cause.isThrottled()) {
                    handleThrottled(send, slot);
                } else {
                    handleFailure(send, slot, cause);
                }
            }
            if (slot.waiting != null) {
                if (!slot.queued && !slot.retryPending && failure == null) {
                    enqueue(key, slot);
                }
            } else if (!slot.queued && !slot.retryPending) {
                slots.remove(key);
            }
            toStart = takeStartable();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        start(toStart);
    }

    /** The quota speaking: slow down and send the key's latest write again, without spending an attempt. */
    private void handleThrottled(Send send, KeySlot slot) {
        observer.throttled();
        if (limiter.throttled(send.sentAtNanos)) {
            LOG.debug("Momento refused a call for the quota; send limit now {} ops/s", limiter.limit());
        }
        slot.attempts = send.attempt - 1;
        keepUnlessSuperseded(send, slot);
    }

    /** A failed write waits again, unless a newer write to its key already waits and replaces it. */
    private void keepUnlessSuperseded(Send send, KeySlot slot) {
        if (slot.waiting == null) {
            setWaiting(slot, send.mutation);
        } else {
            observer.coalesced();
            setWaiting(slot, supersede(send.mutation, slot.waiting));
        }
    }

    private void handleFailure(Send send, KeySlot slot, CacheWriteException error) {
        String key = send.mutation.key;
        if (!error.isRetryable()) {
            fail(new CacheWriteException(error.errorCode(), false,
                    "Momento rejected the write of key '" + key + "' with " + error.errorCode() + ": "
                            + error.getMessage() + ". This error is not retried: fix the cause and restart the job.",
                    error));
            return;
        }
        if (send.attempt >= maxAttempts) {
            fail(new CacheWriteException(error.errorCode(), true,
                    "Gave up writing key '" + key + "' after " + send.attempt + " attempts; last error "
                            + error.errorCode() + ": " + error.getMessage()
                            + ". The job fails so that it restarts from its last checkpoint and nothing is lost.",
                    error));
            return;
        }
        observer.retried();
        long delay = backoff.delayMillis(send.attempt);
        LOG.debug("Retrying key '{}' in {} ms after {} (attempt {} of {})", key, delay, error.errorCode(), send.attempt, maxAttempts);
        // A newer full write for this key may already wait; it supersedes the failed one and is what the retry sends.
        keepUnlessSuperseded(send, slot);
        slot.attempts = send.attempt;
        slot.retryPending = true;
        long generation = ++slot.retryGeneration;
        retryTimer.schedule(() -> retryDue(key, slot, generation), delay, TimeUnit.MILLISECONDS);
    }

    private void retryDue(String key, KeySlot expected, long generation) {
        List<Send> toStart;
        lock.lock();
        try {
            KeySlot slot = slots.get(key);
            if (failure != null) {
                changed.signalAll();
                return;
            }
            // A newer write for the key may have replaced the failed one since this timer was set; it
            // runs on its own schedule, and releasing it here would skip its backoff.
            if (slot != expected || !slot.retryPending || slot.retryGeneration != generation) {
                return;
            }
            slot.retryPending = false;
            if (slot.waiting != null && !slot.inFlight && !slot.queued) {
                enqueue(key, slot);
            }
            toStart = takeStartable();
        } finally {
            lock.unlock();
        }
        start(toStart);
    }

    private void fail(CacheWriteException e) {
        if (failure == null) {
            failure = e;
            observer.failed();
            LOG.error(e.getMessage());
        }
        changed.signalAll();
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw failure;
        }
    }

    private static CacheWriteException unwrap(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && !(t instanceof CacheWriteException)) {
            t = t.getCause();
        }
        if (t instanceof CacheWriteException) {
            return (CacheWriteException) t;
        }
        return new CacheWriteException("UNKNOWN", true, String.valueOf(error), error);
    }
}
