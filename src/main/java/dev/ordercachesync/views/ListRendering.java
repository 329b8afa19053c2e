package dev.ordercachesync.views;

/**
 * What a list's materializer remembers of the list beyond its members: whether its ranked index is built, and the
 * last value it wrote. A Flink POJO, held in savepoints: a field may be added (state restored from before has it
 * null, 0 or false) or removed, never renamed or given another type, and the class never renamed or moved.
 */
public class ListRendering {
    /** Whether every member is in the ranked index; false for a list restored from a version without it. */
    public boolean ranked;
    /** Digest of the last value written (or found over the size bound); null when none is in the cache. */
    public String digest;
    /** UTF-8 bytes of that value and its key: what Momento meters for one write of it. */
    public int bytes;
    /** When it was written, in processing time. */
    public long writtenAt;
    /** Whether that value was over max-value-bytes, so the key was deleted rather than written. */
    public boolean oversized;

    public ListRendering() {}
}
