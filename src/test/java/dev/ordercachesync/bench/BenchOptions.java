package dev.ordercachesync.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The benchmark's flags; every default is what the committed results used unless they say otherwise. */
final class BenchOptions {
    long latencyMillis = 2;
    List<Integer> parallelisms = Arrays.asList(1, 2);
    List<Integer> sizes = Arrays.asList(1_000, 50_000, 200_000);
    /** REJECTED orders loaded before the scaling sizes; they stay in all-orders throughout. */
    int rejected = 100_000;
    /** Live orders held, and the cache-ttl, of the steady-state refresh run. */
    /**
     * At cache-ttl 10s: each order's two details are refreshed about every half TTL, 4 × orders / TTL writes per
     * second, which must stay under the job's refresh cap (500 per second per subtask) or views expire.
     */
    int refreshOrders = 2_000;
    String refreshTtl = "10s";
    int orders = 4_000;
    int creators = 100;
    long waveIntervalMillis = 200;
    int baselineChanges = 1_000;
    int batchChanges = 5_000;
    int baselineBatchChanges = 150;
    int dynamoDbChanges = 2_000;
    /** The section under a quota: metered operations per second, and how many changes form its backlog (0 skips). */
    int quota = 100;
    int quotaChanges = 1_000;
    /** Runs only the section under a quota and writes it to its own file, {@code under-quota.md}. */
    boolean onlyQuota;
    String listFlushInterval = "250ms";
    long checkpointIntervalMillis = 10_000;
    long seed = 20261123L;
    String out = "bench/results";
    final List<String> args = new ArrayList<>();

    static final String USAGE = String.join("\n",
            "usage: Benchmark [flags]",
            "  --latency-ms N            latency injected into every Momento RPC (default 2)",
            "  --parallelism 1,2         job parallelisms to measure (default 1,2)",
            "  --sizes 1000,50000,200000 live orders for the scaling runs (default 1000,50000,200000)",
            "  --rejected N              REJECTED orders loaded first for the scaling runs, kept in all-orders (default 100000)",
            "  --refresh-orders N        live orders of the steady-state refresh run (default 2000)",
            "  --orders N                orders in the main recorded workload (default 4000, ~5 changes each)",
            "  --creators N              distinct creators (default 100)",
            "  --wave-interval-ms N      time between waves when the workload is replayed at its pace (default 200)",
            "  --baseline-changes N      changes of the main workload the baseline replays (default 1000)",
            "  --batch-changes N         changes measured at each size in the scaling runs (default 5000)",
            "  --baseline-batch-changes N  of those, how many the baseline replays (default 150)",
            "  --dynamodb-changes N      of the main workload, how many to write through DynamoDB (moto) to the job's",
            "                            real source, timing freshness from the DynamoDB write (default 2000; 0 skips)",
            "  --quota N                 metered operations per second of the loopback quota for the section under a",
            "                            quota (default 100, Momento's on-demand default)",
            "  --quota-changes N         of the main workload, how many changes form that section's backlog (default 1000; 0 skips)",
            "  --only-quota              run only the section under a quota, into DIR/under-quota.md (quota-bound,",
            "                            so its figures depend little on the machine's load)",
            "  --list-flush-interval D   the job's list-flush-interval (default 250ms)",
            "  --checkpoint-interval-ms N  the job's checkpoint interval (default 10000)",
            "  --seed N                  workload seed (default 20261123)",
            "  --out DIR                 where latest.md and latest.png go (default bench/results)",
            "  --smoke                   a quick small run for development (writes under target/bench-smoke)");

    static BenchOptions parse(String[] argv) {
        BenchOptions o = new BenchOptions();
        o.args.addAll(Arrays.asList(argv));
        for (int i = 0; i < argv.length; i++) {
            String flag = argv[i];
            if (flag.equals("--smoke")) {
                o.orders = 300;
                o.baselineChanges = 150;
                o.sizes = Arrays.asList(500, 2_000);
                o.rejected = 1_000;
                o.refreshOrders = 1_000;
                o.batchChanges = 1_000;
                o.baselineBatchChanges = 40;
                o.dynamoDbChanges = 400;
                o.quotaChanges = 300;
                o.out = "target/bench-smoke";
                continue;
            }
            if (flag.equals("--only-quota")) {
                o.onlyQuota = true;
                continue;
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = argv[++i];
            switch (flag) {
                case "--latency-ms":
                    o.latencyMillis = nonNegative(flag, v);
                    break;
                case "--parallelism":
                    o.parallelisms = positiveList(flag, v);
                    break;
                case "--sizes":
                    o.sizes = positiveList(flag, v);
                    break;
                case "--rejected":
                    o.rejected = (int) nonNegative(flag, v);
                    break;
                case "--refresh-orders":
                    o.refreshOrders = (int) positive(flag, v);
                    break;
                case "--orders":
                    o.orders = (int) positive(flag, v);
                    break;
                case "--creators":
                    o.creators = (int) positive(flag, v);
                    break;
                case "--wave-interval-ms":
                    o.waveIntervalMillis = positive(flag, v);
                    break;
                case "--baseline-changes":
                    o.baselineChanges = (int) positive(flag, v);
                    break;
                case "--batch-changes":
                    o.batchChanges = (int) positive(flag, v);
                    break;
                case "--baseline-batch-changes":
                    o.baselineBatchChanges = (int) positive(flag, v);
                    break;
                case "--dynamodb-changes":
                    o.dynamoDbChanges = (int) nonNegative(flag, v);
                    break;
                case "--quota":
                    o.quota = (int) positive(flag, v);
                    break;
                case "--quota-changes":
                    o.quotaChanges = (int) nonNegative(flag, v);
                    break;
                case "--list-flush-interval":
                    o.listFlushInterval = v;
                    break;
                case "--checkpoint-interval-ms":
                    o.checkpointIntervalMillis = positive(flag, v);
                    break;
                case "--seed":
                    o.seed = Long.parseLong(v);
                    break;
                case "--out":
                    o.out = v;
                    break;
                default:
                    throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (o.creators < 2) {
            throw new IllegalArgumentException("--creators must be at least 2");
        }
        for (int i = 1; i < o.sizes.size(); i++) {
            if (o.sizes.get(i) <= o.sizes.get(i - 1)) {
                throw new IllegalArgumentException("--sizes must grow: " + o.sizes);
            }
        }
        return o;
    }

    int scalingParallelism() {
        return parallelisms.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    String commandLine() {
        String flags = args.isEmpty() ? "" : " -Dbench.args=\"" + String.join(" ", args) + "\"";
        return "mvn -q test-compile exec:exec@benchmark" + flags;
    }

    private static long nonNegative(String flag, String v) {
        long n = parse(flag, v);
        if (n < 0) {
            throw new IllegalArgumentException(flag + " must not be negative");
        }
        return n;
    }

    private static long positive(String flag, String v) {
        long n = parse(flag, v);
        if (n <= 0) {
            throw new IllegalArgumentException(flag + " must be positive");
        }
        return n;
    }

    private static long parse(String flag, String v) {
        try {
            return Long.parseLong(v.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": '" + v + "' is not a whole number");
        }
    }

    private static List<Integer> positiveList(String flag, String v) {
        List<Integer> list = new ArrayList<>();
        for (String part : v.split(",")) {
            list.add((int) positive(flag, part));
        }
        return list;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "latency=%dms parallelism=%s sizes=%s orders=%d creators=%d wave=%dms",
                latencyMillis, parallelisms, sizes, orders, creators, waveIntervalMillis);
    }
}
