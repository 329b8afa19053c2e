package dev.ordercachesync.bench;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A metric reporter that keeps the job's counters in this JVM, so the benchmark can check from the job's own
 * metrics that every change was applied and none was dropped or dead-lettered.
 */
public final class BenchMetrics implements MetricReporter {
    /** Metric key → counters of all subtasks, per job name. */
    private static final Map<String, Map<String, List<Counter>>> COUNTERS = new ConcurrentHashMap<>();

    static final String JOB_NAME_VARIABLE = "<job_name>";

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        if (!(metric instanceof Counter)) {
            return;
        }
        String job = group.getAllVariables().get(JOB_NAME_VARIABLE);
        if (job == null) {
            return;
        }
        // Per-reason dead-letter counters share one name, so they sum as one.
        COUNTERS.computeIfAbsent(job, j -> new ConcurrentHashMap<>())
                .computeIfAbsent(metricName, k -> new CopyOnWriteArrayList<>()).add((Counter) metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {}

    /** The sum over subtasks of a counter of a running job; 0 if no subtask registered it. */
    static long sum(String jobName, String metricName) {
        List<Counter> counters = COUNTERS.getOrDefault(jobName, Map.of()).get(metricName);
        if (counters == null) {
            return 0;
        }
        long total = 0;
        for (Counter c : counters) {
            total += c.getCount();
        }
        return total;
    }

    /** Found by Flink through META-INF/services when the configuration names it. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new BenchMetrics();
        }
    }
}
