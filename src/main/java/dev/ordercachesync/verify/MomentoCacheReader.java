package dev.ordercachesync.verify;

import dev.ordercachesync.sink.MomentoCacheOperations;
import momento.sdk.CacheClient;
import momento.sdk.exceptions.MomentoErrorCode;
import momento.sdk.responses.cache.GetResponse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Reads keys with Momento's get, a bounded number at a time (one worker each) and at a bounded rate: the check shares
 * the account's request limit with the job. Retryable errors are tried again; a key that still fails
 * is reported as unread, never as absent.
 */
final class MomentoCacheReader implements CacheReader {
    private final CacheClient client;
    private final String cacheName;
    private final int concurrency;
    private final RateLimiter rate;
    private final int maxAttempts;

    MomentoCacheReader(CacheClient client, String cacheName, int maxConcurrent, double readsPerSecond, int maxAttempts) {
        this.client = client;
        this.cacheName = cacheName;
        this.concurrency = maxConcurrent;
        this.rate = new RateLimiter(readsPerSecond);
        this.maxAttempts = maxAttempts;
    }

    @Override
    public Map<String, CachedValue> read(Collection<String> keys) throws InterruptedException {
        Map<String, CachedValue> results = new ConcurrentHashMap<>();
        Queue<String> queue = new ConcurrentLinkedQueue<>(keys);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(concurrency, keys.size()); i++) {
            Thread worker = new Thread(() -> {
                String key;
                while ((key = queue.poll()) != null) {
                    try {
                        results.put(key, readWithRetries(key));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "verify-cache-read-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
        try {
            for (Thread worker : workers) {
                worker.join();
            }
        } finally {
            for (Thread worker : workers) {
                worker.interrupt();
            }
        }
        if (results.size() < keys.size()) {
            throw new InterruptedException("interrupted while reading the cache");
        }
        return new TreeMap<>(results);
    }

    private CachedValue readWithRetries(String key) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            rate.acquire(1);
            CachedValue value;
            try {
                value = get(key).get(1, TimeUnit.MINUTES);
            } catch (ExecutionException | TimeoutException e) {
                value = RETRY;
            }
            if (value != RETRY) {
                return value;
            }
            if (attempt >= maxAttempts) {
                return CachedValue.failed("still failing after " + attempt + " attempts");
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(2_000, 100L << Math.min(attempt, 5)));
        }
    }

    private static final CachedValue RETRY = CachedValue.failed("retry");

    private CompletableFuture<CachedValue> get(String key) {
        return client.get(cacheName, key).thenApply(r -> {
            if (r instanceof GetResponse.Hit) {
                return CachedValue.of(((GetResponse.Hit) r).valueString());
            }
            if (r instanceof GetResponse.Miss) {
                return CachedValue.absent();
            }
            GetResponse.Error error = (GetResponse.Error) r;
            MomentoErrorCode code = error.getErrorCode();
            if (MomentoCacheOperations.isRetryable(code)) {
                return RETRY;
            }
            return CachedValue.failed(code + ": " + error.getMessage());
        });
    }

    @Override
    public void close() {
        client.close();
    }
}
