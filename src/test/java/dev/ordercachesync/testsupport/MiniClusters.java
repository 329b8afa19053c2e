package dev.ordercachesync.testsupport;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;

/** The MiniCluster shape the end-to-end tests share: one TaskManager with a slot per subtask. */
public final class MiniClusters {
    public static final int PARALLELISM = 2;

    private MiniClusters() {}

    public static MiniClusterResourceConfiguration withParallelism(int parallelism) {
        return new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(parallelism)
                .build();
    }
}
