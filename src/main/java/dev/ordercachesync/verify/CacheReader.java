package dev.ordercachesync.verify;

import java.util.Collection;
import java.util.Map;

/** Reads keys of the cache; never writes. */
interface CacheReader extends AutoCloseable {
    /** Every key's value (a miss is {@link CachedValue#absent()}), or the error that kept it unread. */
    Map<String, CachedValue> read(Collection<String> keys) throws InterruptedException;

    @Override
    void close();

    /** A key's value, its absence, or why it could not be read. */
    final class CachedValue {
        private static final CachedValue ABSENT = new CachedValue(null, null);

        /** Null when absent or unreadable. */
        final String value;
        /** Null unless the read failed. */
        final String error;

        private CachedValue(String value, String error) {
            this.value = value;
            this.error = error;
        }

        static CachedValue of(String value) {
            return new CachedValue(value, null);
        }

        static CachedValue absent() {
            return ABSENT;
        }

        static CachedValue failed(String error) {
            return new CachedValue(null, error);
        }

        boolean readable() {
            return error == null;
        }
    }
}
