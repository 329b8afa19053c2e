package dev.ordercachesync.sink;

import dev.ordercachesync.model.CacheMutation;
import java.util.concurrent.CompletableFuture;

/** Applies one mutation to the cache asynchronously; fails the future with a {@link CacheWriteException}. */
public interface CacheWriteOperations extends AutoCloseable {
    CompletableFuture<Void> apply(CacheMutation mutation);

    @Override
    void close();
}
