package dev.ordercachesync.local;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Flink metric reporter for the local demo: the job's own counters, summed over subtasks, read
 * straight from the registry of the mini cluster in this JVM (no polling interval, no HTTP).
 */
public final class DemoMetrics implements MetricReporter {
    /** Name under {@code metrics.reporter.} in the cluster's configuration. */
    static final String REPORTER_NAME = "demo";

    private static final Map<String, Set<Counter>> COUNTERS = new ConcurrentHashMap<>();

    static void register(Configuration conf) {
        conf.setString("metrics.reporter." + REPORTER_NAME + ".factory.class", Factory.class.getName());
    }

    /** Sum of every subtask's counter of that name (e.g. {@code changesApplied}); 0 before the job registers it. */
    static long sum(String counterName) {
        long total = 0;
        for (Counter c : COUNTERS.getOrDefault(counterName, Set.of())) {
            total += c.getCount();
        }
        return total;
    }

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        if (metric instanceof Counter) {
            COUNTERS.computeIfAbsent(metricName, n -> ConcurrentHashMap.newKeySet()).add((Counter) metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        Set<Counter> counters = COUNTERS.get(metricName);
        if (counters != null) {
            counters.remove(metric);
        }
    }

    /** Found through META-INF/services, as Flink loads reporter factories. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new DemoMetrics();
        }
    }
}
