package dev.ordercachesync.bench;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.job.OrderCacheSyncPipeline;
import dev.ordercachesync.localmomento.LoopbackMomentoServer;
import dev.ordercachesync.localmomento.RpcNames;
import dev.ordercachesync.testsupport.EmbeddedDynamoDb;
import dev.ordercachesync.testsupport.OrderTable;
import dev.ordercachesync.testsupport.TableOrders;
import dev.ordercachesync.views.CacheContract;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Bootstrap throughput: a table of orders that its stream never saw, scanned by the job within a read-capacity
 * budget, until the cache equals the contract. Reports items per second against what the budget allows, the read
 * units the scan consumed, and the job's own cost per scanned item (Momento operations, metered KiB, CPU). Not a
 * test: {@code mvn -q test-compile exec:exec@bootstrap-benchmark [-Dbootstrap.args="--orders 3000 --read-capacity 200"]};
 * writes {@code bench/results/bootstrap.md}.
 */
public final class BootstrapBenchmark {
    private static final String TABLE = "OrderTable";
    private static final String CACHE = "bootstrap";
    private static final int WRITERS = 4;
    private static final int STRONGLY_CONSISTENT_BYTES_PER_UNIT = 4096;
    private static final long TIMEOUT_NANOS = 600_000_000_000L;

    private BootstrapBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of("orders", "3000", "read-capacity", "200", "page-size", "100",
                "segments", "8", "parallelism", "2", "out", "bench/results"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !o.containsKey(args[i].substring(2))) {
                System.err.println("unknown option " + args[i] + "; options: --" + String.join(" --", o.keySet()));
                System.exit(2);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        int orders = Integer.parseInt(o.get("orders"));
        int readCapacity = Integer.parseInt(o.get("read-capacity"));
        int parallelism = Integer.parseInt(o.get("parallelism"));
        try (EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start();
             LoopbackMomentoServer momento = LoopbackMomentoServer.builder().cache(CACHE).build().start();
             CpuSampler cpu = new CpuSampler()) {
            ddb.createOrderTable(TABLE, false);
            say("Writing " + orders + " orders before the stream is enabled ...");
            long itemBytes = writeOrders(ddb, orders);
            ddb.enableStream(TABLE);
            List<Map<String, AttributeValue>> items = ddb.scanAll(TABLE);
            CacheContract contract = CacheContract.defaults();
            Map<String, String> expected = contract.expectedCache(TableOrders.fromScan(items), 5000);

            Map<String, String> values = new HashMap<>();
            values.put(JobParameters.TABLE_NAME_PARAM, TABLE);
            values.put(JobParameters.AWS_REGION, "us-east-1");
            values.put(JobParameters.AWS_ENDPOINT, ddb.endpoint().toString());
            values.put(JobParameters.AWS_CREDENTIALS, "local-dummy");
            values.put(JobParameters.MOMENTO_LOCAL_ENDPOINT, LoopbackMomentoServer.HOST + ":" + momento.port());
            values.put(JobParameters.MOMENTO_CACHE_NAME, CACHE);
            values.put(JobParameters.PARALLELISM, Integer.toString(parallelism));
            values.put(JobParameters.BOOTSTRAP_READ_CAPACITY, Integer.toString(readCapacity));
            values.put(JobParameters.BOOTSTRAP_PAGE_SIZE, o.get("page-size"));
            values.put(JobParameters.BOOTSTRAP_SEGMENTS, o.get("segments"));
            JobParameters params = JobParameters.from(values);
            String jobName = "bench-bootstrap";
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism,
                    JobRun.clusterConfiguration(jobName, false));
            env.enableCheckpointing(2000);
            OrderCacheSyncPipeline.configure(env, params);
            OrderCacheSyncPipeline.build(env, params);
            JobClient job = env.executeAsync(jobName);
            try {
                long deadline = System.nanoTime() + TIMEOUT_NANOS;
                while (momento.writeCount() == 0) {
                    check(deadline, "no cache write");
                    Thread.sleep(20);
                }
                long first = System.nanoTime();
                Map<String, String> details = new HashMap<>();
                for (Map.Entry<String, String> e : expected.entrySet()) {
                    if (e.getValue().startsWith("{")) {
                        details.put(e.getKey(), e.getValue());
                    }
                }
                // Detail views are written as rows are applied; lists follow at their metered pace.
                while (!momento.snapshot(CACHE).entrySet().containsAll(details.entrySet())) {
                    check(deadline, "the detail views did not arrive");
                    Thread.sleep(50);
                }
                long scanned = System.nanoTime();
                while (!momento.snapshot(CACHE).equals(expected)) {
                    check(deadline, "the cache did not converge");
                    Thread.sleep(100);
                }
                long done = System.nanoTime();
                report(o, items.size(), itemBytes, readCapacity, (scanned - first) / 1e9, (done - first) / 1e9,
                        cpu.coresBetween(first, scanned), momento, expected, jobName);
            } finally {
                job.cancel().get();
            }
        }
        System.exit(0);
    }

    private static void check(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(what + " within 10 minutes");
        }
    }

    /** Writes the orders with a few writers (moto takes one write at a time per connection); returns their bytes. */
    private static long writeOrders(EmbeddedDynamoDb ddb, int orders) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<Long>> parts = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                parts.add(pool.submit(() -> {
                    long bytes = 0;
                    for (int i = writer; i < orders; i += WRITERS) {
                        Map<String, AttributeValue> item = OrderTable.order(String.format(Locale.ROOT, "order-%06d", i),
                                "customer-" + (i % 50), OrderTable.timestamp(java.time.Instant.ofEpochSecond(1_795_000_000L + i)),
                                OrderTable.STATUSES.get(i % OrderTable.STATUSES.size()),
                                List.of(OrderTable.pizza("large", "thin", "tomato", List.of("cheese", "ham"))), null);
                        ddb.client().putItem(r -> r.tableName(TABLE).item(item));
                        bytes += item.toString().getBytes(StandardCharsets.UTF_8).length;
                    }
                    return bytes;
                }));
            }
            long bytes = 0;
            for (Future<Long> f : parts) {
                bytes += f.get();
            }
            return bytes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void report(Map<String, String> o, int items, long itemBytes, int readCapacity, double seconds,
                               double convergedSeconds, double cores, LoopbackMomentoServer momento, Map<String, String> views, String jobName)
            throws Exception {
        double itemsPerSecond = items / seconds;
        long unitsConsumed = BenchMetrics.sum(jobName, "readUnitsConsumed");
        long throttled = BenchMetrics.sum(jobName, "pagesThrottled");
        double unitsPerSecond = unitsConsumed / seconds;
        // What the budget allows if every page cost exactly its bytes in 4 KB units.
        double allowedItemsPerSecond = readCapacity * (double) STRONGLY_CONSISTENT_BYTES_PER_UNIT / ((double) itemBytes / items);
        Map<String, Long> calls = momento.operationCounts();
        long sets = calls.getOrDefault(RpcNames.SET, 0L);
        long deletes = calls.getOrDefault(RpcNames.DELETE, 0L);
        long meteredKib = 0;
        for (Map.Entry<String, String> e : views.entrySet()) {
            int bytes = e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
            meteredKib += (bytes + 1023) / 1024;
        }
        boolean withinBudget = unitsPerSecond <= readCapacity * 1.1;
        boolean usesBudget = itemsPerSecond >= 0.5 * Math.min(allowedItemsPerSecond, 1e9);
        StringBuilder md = new StringBuilder();
        md.append("# Bootstrap benchmark\n\n")
                .append(String.format(Locale.ROOT, "Settings: %s. moto on loopback (its Scan is the ceiling here), the loopback "
                        + "Momento server in this JVM.%n%n", o))
                .append("| figure | value |\n|---|---|\n")
                .append(row("items scanned", String.format(Locale.ROOT, "%,d (avg %,d bytes)", items, itemBytes / items)))
                .append(row("scan time (first cache write to the last detail view)", String.format(Locale.ROOT, "%.1f s", seconds)))
                .append(row("until the cache equals the contract (lists at their metered pace)", String.format(Locale.ROOT, "%.1f s", convergedSeconds)))
                .append(row("bootstrap throughput", String.format(Locale.ROOT, "%,.0f items/s at a budget of %d RCU/s", itemsPerSecond, readCapacity)))
                .append(row("what the budget allows", String.format(Locale.ROOT, "%,.0f items/s (4 KB per unit, strongly consistent)", allowedItemsPerSecond)))
                .append(row("read units consumed", String.format(Locale.ROOT, "%,d (%.1f RCU/s over the scan); throttled pages %d", unitsConsumed, unitsPerSecond, throttled)))
                .append(row("Momento calls per scanned item", String.format(Locale.ROOT, "%.2f (%,d sets, %,d deletes)", (double) (sets + deletes) / items, sets, deletes)))
                .append(row("metered KiB of the final views per item", String.format(Locale.ROOT, "%.2f", (double) meteredKib / items)))
                .append(row("job CPU per scanned item", String.format(Locale.ROOT, "%.3f ms (%.2f cores busy; includes the loopback server)", cores * seconds * 1000 / items, cores)))
                .append("\n## Goals\n\n| goal | measured | |\n|---|---|---|\n")
                .append(goalRow("reads stay within the budget (≤ 110 %)", String.format(Locale.ROOT, "%.0f %%", 100 * unitsPerSecond / readCapacity), withinBudget))
                .append(goalRow("the scan uses at least half of what the budget allows, or moto is the limit", String.format(Locale.ROOT, "%.0f %%", 100 * itemsPerSecond / allowedItemsPerSecond), usesBudget))
                .append(goalRow("about 2 detail writes per order plus coalesced lists (≤ 2.5 calls per item)", String.format(Locale.ROOT, "%.2f", (double) (sets + deletes) / items), (double) (sets + deletes) / items <= 2.5));
        Path out = Paths.get(o.get("out"));
        Files.createDirectories(out);
        Path file = out.resolve("bootstrap.md");
        Files.writeString(file, md);
        System.out.println(md);
        say("Results: " + file);
    }

    private static String row(String what, String value) {
        return "| " + what + " | " + value + " |\n";
    }

    private static String goalRow(String what, String measured, boolean met) {
        return "| " + what + " | " + measured + " | " + (met ? "met" : "MISSED") + " |\n";
    }

    private static void say(String line) {
        System.out.println("[bootstrap-bench] " + line);
    }
}
