package dev.ordercachesync.sink;

import dev.ordercachesync.model.CacheMutation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
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
 */
public final class KeyOrderedDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(KeyOrderedDispatcher.class);

    /** Receives metric events; called under the dispatcher's lock, so it must be cheap and must not block. */
    public interface Observer {
        void written(long latencyNanos);

        void retried();

        void coalesced();

        void failed();
    }

    private static final class KeySlot {
        CacheMutation waiting;
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
    private final Observer observer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, KeySlot> slots = new HashMap<>();
    private final ArrayDeque<String> ready = new ArrayDeque<>();
    private int inFlight;
    private CacheWriteException failure;

    public KeyOrderedDispatcher(CacheWriteOperations operations, ScheduledExecutorService retryTimer,
                                RetryBackoff backoff, int maxInFlight, int maxBufferedKeys, int maxAttempts,
                                Observer observer) {
        this.operations = operations;
        this.retryTimer = retryTimer;
        this.backoff = backoff;
        this.maxInFlight = maxInFlight;
        this.maxBufferedKeys = Math.max(maxBufferedKeys, maxInFlight);
        this.maxAttempts = maxAttempts;
        this.observer = observer;
    }

    /** Queues a mutation; blocks while too many keys are buffered (backpressure). */
    public void submit(CacheMutation mutation) throws InterruptedException {
        List<Send> toStart;
        lock.lock();
        try {
            throwIfFailed();
            KeySlot slot = slots.get(mutation.key);
            while (slot == null && slots.size() >= maxBufferedKeys) {
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
            slot.waiting = mutation;
            // A key in backoff keeps its schedule and its count of failed attempts: new data does not
            // make a failing cache healthy, and the budget must still run out if the failures go on.
            if (!slot.inFlight && !slot.queued && !slot.retryPending) {
                slot.queued = true;
                ready.add(mutation.key);
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

    private static final class Send {
        final CacheMutation mutation;
        final int attempt;

        Send(CacheMutation mutation, int attempt) {
            this.mutation = mutation;
            this.attempt = attempt;
        }
    }

    /** Under the lock: moves ready keys into flight while there is room. */
    private List<Send> takeStartable() {
        List<Send> sends = new ArrayList<>();
        while (inFlight < maxInFlight && !ready.isEmpty() && failure == null) {
            String key = ready.poll();
            KeySlot slot = slots.get(key);
            slot.queued = false;
            CacheMutation m = slot.waiting;
            slot.waiting = null;
            slot.inFlight = true;
            slot.attempts++;
            inFlight++;
            sends.add(new Send(m, slot.attempts));
        }
        return sends;
    }

    private void start(List<Send> sends) {
        for (Send send : sends) {
            long started = System.nanoTime();
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
                slot.attempts = 0;
            } else {
                handleFailure(send, slot, unwrap(error));
            }
            if (slot.waiting != null) {
                if (!slot.queued && !slot.retryPending && failure == null) {
                    slot.queued = true;
                    ready.add(key);
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
        if (slot.waiting == null) {
            slot.waiting = send.mutation;
        } else {
            // A newer full write for this key is already waiting; it supersedes the failed one and is
            // what the retry sends.
            observer.coalesced();
        }
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
                slot.queued = true;
                ready.add(key);
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
