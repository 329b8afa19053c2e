package dev.ordercachesync.bench;

import java.util.Arrays;

final class Stats {
    private Stats() {}

    /** Nearest-rank percentile; 100 gives the maximum. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
