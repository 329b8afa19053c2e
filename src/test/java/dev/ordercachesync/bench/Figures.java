package dev.ordercachesync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Everything one benchmark run measured, for the report and the chart. */
final class Figures {

    /** Momento data-plane calls the server received during one run. */
    static final class Ops {
        long gets;
        long sets;
        long deletes;

        static Ops between(Map<String, Long> before, Map<String, Long> after) {
            Ops o = new Ops();
            o.gets = delta(before, after, "get");
            o.sets = delta(before, after, "set");
            o.deletes = delta(before, after, "delete");
            return o;
        }

        long total() {
            return gets + sets + deletes;
        }

        private static long delta(Map<String, Long> before, Map<String, Long> after, String rpc) {
            return after.getOrDefault(rpc, 0L) - before.getOrDefault(rpc, 0L);
        }
    }

    /** One side replaying the main workload at its pace (freshness, ops) and flat out (throughput). */
    static final class Side {
        String label;
        int parallelism;
        int changes;
        /** Changes per second flat out; for the baseline, over the time it spent handling records. */
        double changesPerSecond;
        Ops pacedOps;
        long pacedBytes;
        /** Momento's metered operations at the recorded pace (per started KiB of each item read or written). */
        long pacedMetered;
        Ops flatOutOps;
        /** Freshness percentiles in ms at the recorded pace: all views, detail view. */
        double freshP50;
        double freshP99;
        double freshMax;
        double detailP50;
        double detailP99;
        /** Job only: p99 ms of how much later than list pacing allows a change's last view showed it. */
        double beyondPacingP99;
        /** Job only: the longest wait list pacing allowed a view in the paced run, ms. */
        double longestAllowedWait;
        /** Baseline only: time from starting a record to all its views written, p50/p99 ms. */
        double serviceP50;
        double serviceP99;
        /** Job only: list writes per change at the recorded pace (the job's metric listsRendered). */
        double listWritesPerChange;
        double sourceLagP99;
        /** Cores this process kept busy (CPU time / wall time) during the paced and the flat-out run. */
        double pacedCores;
        double flatOutCores;
        double seconds;

        double opsPerChange() {
            return (double) pacedOps.total() / changes;
        }
    }

    /** One size of the scaling runs. */
    static final class Scale {
        int liveOrders;
        int jobChanges;
        double jobMicrosPerChange;
        Ops jobOps;
        long jobBytes;
        long jobMetered;
        /** All-orders members (live and REJECTED) when the batch ran. */
        int allOrdersMembers;
        /** The list materializer's time per render during the batch (listRenderNanos / renders), µs. */
        double jobMicrosPerFlush;
        /** all-orders renders in the batch: none when its changes stay below the shown newest list-max-entries. */
        long allOrdersRenders;
        /** Entries read from state per render during the batch. */
        double entriesReadPerFlush;
        long baselineMetered;
        int baselineChanges;
        double baselineMillisPerChange;
        Ops baselineOps;
        long baselineBytes;
        long savepointBytes;
        int savepointLiveOrders;
    }

    final List<Side> sides = new ArrayList<>();
    /** The job with its real source reading moto's DynamoDB stream; null when skipped. */
    Side viaDynamoDb;
    final List<Scale> scales = new ArrayList<>();
    /** Steady-state refreshes: live orders held, the run's cache-ttl, and the writes per second measured while idle. */
    int refreshLiveOrders;
    long refreshTtlSeconds;
    double refreshWritesPerSecond;
    double refreshMeteredPerSecond;
    double refreshWindowSeconds;
    /** The state backend of the scaling runs. */
    String scalingBackend = "rocksdb";
    int rejectedOrders;
    /** The section under a quota; empty when skipped. */
    final List<UnderQuota.Result> underQuota = new ArrayList<>();
    final List<String> sanity = new ArrayList<>();
    final Map<String, String> machine = new TreeMap<>();
    String loadBefore;
    String loadAfter;
    String startedAt;
    double totalSeconds;
    int mainChanges;
    int mainOrders;
    int mainWaves;
    int largestWave;
    int maxAllOrders;

    Side baseline() {
        return sides.get(0);
    }
}
