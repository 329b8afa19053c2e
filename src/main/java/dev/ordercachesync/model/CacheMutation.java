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
    /**
     * True when this re-writes an unchanged value only to keep it from expiring; the sink may send it after
     * changed values when its budget is short.
     */
    public boolean refresh;

    public CacheMutation() {}

    private CacheMutation(String key, String value, long ttlMillis, boolean refresh) {
        this.key = key;
        this.value = value;
        this.ttlMillis = ttlMillis;
        this.refresh = refresh;
    }

    public static CacheMutation put(String key, String value, long ttlMillis) {
        return new CacheMutation(Objects.requireNonNull(key), Objects.requireNonNull(value), ttlMillis, false);
    }

    /** A put of a value that has not changed since it was last written, sent to renew its TTL. */
    public static CacheMutation refresh(String key, String value, long ttlMillis) {
        return new CacheMutation(Objects.requireNonNull(key), Objects.requireNonNull(value), ttlMillis, true);
    }

    public static CacheMutation delete(String key) {
        return new CacheMutation(Objects.requireNonNull(key), null, 0L, false);
    }

    public boolean isDelete() {
        return value == null;
    }

    /** What Momento charges for this write ({@link MomentoMetering}). */
    public long meteredOperations() {
        return MomentoMetering.operations(MomentoMetering.utf8Length(key), value == null ? 0 : MomentoMetering.utf8Length(value));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof CacheMutation)) return false;
        CacheMutation that = (CacheMutation) o;
        return ttlMillis == that.ttlMillis && refresh == that.refresh && key.equals(that.key) && Objects.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, value, ttlMillis, refresh);
    }

    @Override
    public String toString() {
        return isDelete() ? "Delete(" + key + ")" : (refresh ? "Refresh(" : "Put(") + key + ", " + value.length() + " chars, ttl " + ttlMillis + " ms)";
    }
}
