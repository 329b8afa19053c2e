package dev.ordercachesync.source;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * One key per key group, for the end-of-run markers of a table scan: a marker keyed by each of them reaches every
 * key group of the sequencer, behind the rows the same reader sent before it (one channel keeps its order).
 */
public final class ScanMarkerKeys {
    /** Starts with a character no order id in the workshop's table has; the sequencer keeps markers apart anyway. */
    static final String PREFIX = "\u0000scan-complete-";

    private ScanMarkerKeys() {}

    /** Index g holds a key that Flink assigns to key group g, for {@code maxParallelism} key groups. */
    public static String[] forKeyGroups(int maxParallelism) {
        String[] keys = new String[maxParallelism];
        int found = 0;
        for (long i = 0; found < maxParallelism; i++) {
            String key = PREFIX + i;
            int group = KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism);
            if (keys[group] == null) {
                keys[group] = key;
                found++;
            }
        }
        return keys;
    }
}
