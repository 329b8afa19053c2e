package dev.ordercachesync.metrics;

import org.apache.flink.metrics.MetricGroup;

/**
 * The one place the job's metric group is made. Managed Flink forwards to CloudWatch only the metrics
 * registered under a group named {@value #GROUP}; Flink's web UI and reporters show them as well. Key-value
 * groups below it ({@code addGroup("reason", "MISSING_IMAGE")}) become CloudWatch dimensions.
 */
public final class CloudWatchMetrics {
    /** The group name Managed Flink looks for. */
    public static final String GROUP = "kinesisanalytics";

    private CloudWatchMetrics() {}

    /** The group every job metric of an operator is registered in. */
    public static MetricGroup of(MetricGroup operatorGroup) {
        return operatorGroup.addGroup(GROUP);
    }
}
