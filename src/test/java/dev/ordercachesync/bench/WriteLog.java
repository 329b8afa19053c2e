package dev.ordercachesync.bench;

import com.google.protobuf.ByteString;
import dev.ordercachesync.localmomento.WriteListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Listens to the loopback server's applied writes: per cache it counts them and their bytes and remembers the
 * last one's time; for caches under study it also keeps every write, to time when each change became visible.
 */
final class WriteLog implements WriteListener {

    /** One applied write; the value stays a ByteString so the server's lock is held no longer than needed. */
    static final class Write {
        final ByteString key;
        final ByteString value;
        final long nanos;

        Write(ByteString key, ByteString value, long nanos) {
            this.key = key;
            this.value = value;
            this.nanos = nanos;
        }
    }

    static final class CacheWrites {
        final LongAdder writes = new LongAdder();
        final LongAdder bytes = new LongAdder();
        /** Momento's metered operations for these writes: one per started KiB of key and value, at least one. */
        final LongAdder metered = new LongAdder();
        final AtomicLong lastNanos = new AtomicLong();
        /** The last write of a detail key (a set of an object, or a delete; lists are arrays). */
        final AtomicLong lastDetailNanos = new AtomicLong();
        final ConcurrentLinkedQueue<Write> kept = new ConcurrentLinkedQueue<>();
        volatile boolean keep;

        List<Write> keptWrites() {
            return new ArrayList<>(kept);
        }
    }

    private final Map<String, CacheWrites> caches = new ConcurrentHashMap<>();

    /** Starts counting a cache's writes; with {@code keep}, every write is kept too. */
    CacheWrites watch(String cache, boolean keep) {
        CacheWrites w = new CacheWrites();
        w.keep = keep;
        if (caches.putIfAbsent(cache, w) != null) {
            throw new IllegalStateException("cache " + cache + " is watched already");
        }
        return w;
    }

    /** Momento meters one operation per started KiB of an item (its key and value). */
    static long meteredOperations(long bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }

    @Override
    public void applied(String cache, ByteString key, ByteString value, long nanoTime) {
        CacheWrites w = caches.get(cache);
        if (w == null) {
            return;
        }
        w.writes.increment();
        int size = key.size() + (value == null ? 0 : value.size());
        w.bytes.add(size);
        w.metered.add(meteredOperations(size));
        w.lastNanos.accumulateAndGet(nanoTime, Math::max);
        if (value == null || value.isEmpty() || value.byteAt(0) != '[') {
            w.lastDetailNanos.accumulateAndGet(nanoTime, Math::max);
        }
        if (w.keep) {
            w.kept.add(new Write(key, value, nanoTime));
        }
    }
}
