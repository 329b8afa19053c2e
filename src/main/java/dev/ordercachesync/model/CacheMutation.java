package dev.ordercachesync.model;

import java.util.Objects;

/**
 * A full write of one cache key: put a value with a TTL, or delete the key. Every mutation stands on
 * its own (no read-modify-write), so replaying one after a failure is harmless. A Flink POJO.
 */
public class CacheMutation {
    public String key;
    /** The JSON value; null means delete the key. */
    public String value;
    public long ttlMillis;

    public CacheMutation() {}

    private CacheMutation(String key, String value, long ttlMillis) {
        this.key = key;
        this.value = value;
        this.ttlMillis = ttlMillis;
    }

    public static CacheMutation put(String key, String value, long ttlMillis) {
        return new CacheMutation(Objects.requireNonNull(key), Objects.requireNonNull(value), ttlMillis);
    }

    public static CacheMutation delete(String key) {
        return new CacheMutation(Objects.requireNonNull(key), null, 0L);
    }

    public boolean isDelete() {
        return value == null;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof CacheMutation)) return false;
        CacheMutation that = (CacheMutation) o;
        return ttlMillis == that.ttlMillis && key.equals(that.key) && Objects.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, value, ttlMillis);
    }

    @Override
    public String toString() {
        return isDelete() ? "Delete(" + key + ")" : "Put(" + key + ", " + value.length() + " chars, ttl " + ttlMillis + " ms)";
    }
}
