package dev.ordercachesync.bench;

import java.util.ArrayList;
import java.util.List;

/** Samples this process's CPU time, so a run's busy cores can be read for exactly its measured interval. */
final class CpuSampler implements AutoCloseable {
    private static final long PERIOD_MILLIS = 50;

    private final List<long[]> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    CpuSampler() {
        thread = new Thread(() -> {
            while (running) {
                long cpu = Machine.processCpuNanos();
                synchronized (samples) {
                    samples.add(new long[] {System.nanoTime(), cpu});
                }
                try {
                    Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-cpu-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Cores busy on average between two {@link System#nanoTime()} instants; NaN if too short to tell. */
    double coresBetween(long startNanos, long endNanos) {
        long[] first = null;
        long[] last = null;
        synchronized (samples) {
            for (long[] s : samples) {
                if (first == null && s[0] >= startNanos) {
                    first = s;
                }
                if (s[0] <= endNanos) {
                    last = s;
                }
            }
        }
        if (first == null || last == null || last[0] <= first[0] || first[1] < 0) {
            return Double.NaN;
        }
        return (double) (last[1] - first[1]) / (last[0] - first[0]);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
