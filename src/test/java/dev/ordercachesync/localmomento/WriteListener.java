package dev.ordercachesync.localmomento;

import com.google.protobuf.ByteString;

/**
 * Told of every set and delete the moment it is applied, so a benchmark can time when a value became visible.
 * Called with the keyspace locked, so calls for one cache arrive in the order the writes were applied:
 * keep it quick (record and return).
 */
@FunctionalInterface
public interface WriteListener {
    WriteListener NONE = (cache, key, value, nanoTime) -> { };

    /**
     * @param value the value set, or null for a delete
     * @param nanoTime {@link System#nanoTime()} right after the write was applied
     */
    void applied(String cache, ByteString key, ByteString value, long nanoTime);
}
