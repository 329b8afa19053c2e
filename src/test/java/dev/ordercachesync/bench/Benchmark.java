package dev.ordercachesync.bench;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.localmomento.LoopbackMomentoServer;
import dev.ordercachesync.localmomento.RpcNames;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.sink.MomentoConnection;
import dev.ordercachesync.testsupport.OrderTable;
import dev.ordercachesync.views.CacheContract;
import momento.sdk.CacheClient;
import momento.sdk.responses.cache.SetResponse;
import org.apache.flink.util.TimeUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The benchmark (issue 8): the same recorded workload through the workshop Lambda's way of working and through the
 * job, both against the loopback Momento server with the same latency on every call, in one run. Not a test: run it
 * with {@code mvn -q test-compile exec:exec@benchmark}; it writes {@code bench/results/latest.md} and
 * {@code latest.png}, and exits non-zero if a sanity check fails.
 */
public final class Benchmark {
    private static final long CONVERGE_TIMEOUT_MILLIS = 180_000;
    /**
     * Lists written as soon as the flush interval allows, for the flat-out runs, which time until the cache equals the
     * contract: pacing defers a big list's last write on purpose, so it would time the pacing instead.
     */
    static final Map<String, String> UNPACED_LISTS = Map.of(JobParameters.LIST_WRITE_KIB_PER_SECOND, "1000000");

    private final BenchOptions options;
    private final LoopbackMomentoServer server;
    private final WriteLog log;
    private final CacheContract contract;
    private final int maxListEntries;
    private final Duration ttl;
    private final Figures figures = new Figures();
    private final CpuSampler cpu = new CpuSampler();

    private Benchmark(BenchOptions options, LoopbackMomentoServer server, WriteLog log) {
        this.options = options;
        this.server = server;
        this.log = log;
        Map<String, String> defaults = new HashMap<>();
        defaults.put(JobParameters.STREAM_ARN, "arn:aws:dynamodb:us-east-1:000000000000:table/OrderTable/stream/bench");
        JobParameters p = JobParameters.from(defaults);
        this.contract = p.cacheContract();
        this.maxListEntries = p.listMaxEntries;
        this.ttl = p.cacheTtl;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        int status = 1;
        WriteLog log = new WriteLog();
        try (LoopbackMomentoServer server = LoopbackMomentoServer.builder().writeListener(log).build().start()) {
            server.faults().latency(RpcNames.ALL, options.latencyMillis);
            new Benchmark(options, server, log).run();
            status = 0;
        } catch (Exception | AssertionError e) {
            System.err.println();
            System.err.println("BENCHMARK FAILED: " + e);
            e.printStackTrace();
        }
        System.exit(status);
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        figures.startedAt = Instant.now().toString();
        figures.loadBefore = Machine.loadAverage();
        Machine.describe(figures.machine);
        say("Benchmark: " + options + " (load average " + figures.loadBefore + ")");

        WorkloadGenerator generator = new WorkloadGenerator(options.seed, options.creators);
        Recording main = generator.lifecycles("main", options.orders);
        describeWorkload(main);
        say(String.format("Workload: %d changes of %d orders in %d waves (largest %d), all-orders up to %d entries",
                main.size(), options.orders, main.waves, figures.largestWave, figures.maxAllOrders));
        if (figures.maxAllOrders > maxListEntries) {
            throw new IllegalStateException("all-orders would exceed the list cap; lower --orders");
        }

        if (options.onlyQuota) {
            quotaOnly(main, started);
            return;
        }
        Recording baselinePart = main.prefix(options.baselineChanges);
        figures.sides.add(baselineMain(baselinePart));
        for (int p : options.parallelisms) {
            figures.sides.add(jobMain(main, p));
        }
        if (options.dynamoDbChanges > 0) {
            figures.viaDynamoDb = viaDynamoDb(main.prefix(options.dynamoDbChanges), options.scalingParallelism());
        }
        scaling();
        refreshTraffic();
        if (options.quotaChanges > 0) {
            underQuota(main);
        }

        Path out = finish(started);
        Path chart = out.resolve("latest.png");
        Chart.draw(figures, options, chart);
        Path report = out.resolve("latest.md");
        Files.writeString(report, Report.markdown(figures, options, chart.getFileName().toString()));
        say(String.format("Done in %.0f s (load average now %s). Results: %s, %s",
                figures.totalSeconds, figures.loadAfter, report, chart));
    }

    private void underQuota(Recording main) throws Exception {
        figures.underQuota.addAll(new UnderQuota(options, server, log, contract, maxListEntries, ttl, figures.sanity)
                .run(main.prefix(options.quotaChanges)));
    }

    /** Stops the CPU sampler, records the run's load and length, and returns the results folder. */
    private Path finish(long started) throws Exception {
        cpu.close();
        figures.loadAfter = Machine.loadAverage();
        figures.totalSeconds = (System.nanoTime() - started) / 1e9;
        Path out = Paths.get(options.out);
        Files.createDirectories(out);
        return out;
    }

    /** The section under a quota alone, in its own file beside latest.md. */
    private void quotaOnly(Recording main, long started) throws Exception {
        underQuota(main);
        Path out = finish(started);
        Path report = out.resolve("under-quota.md");
        Files.writeString(report, UnderQuota.standalone(figures, options));
        say(String.format("Done in %.0f s (load average now %s). Results: %s", figures.totalSeconds, figures.loadAfter, report));
    }

    private void describeWorkload(Recording main) {
        figures.mainChanges = main.size();
        figures.mainOrders = options.orders;
        figures.mainWaves = main.waves;
        int[] perWave = new int[main.waves];
        int open = 0;
        for (Change c : main.changes) {
            perWave[c.wave]++;
            boolean wasOpen = c.before != null && CacheContract.listedInAllOrders(c.before.status);
            boolean isOpen = c.after != null && CacheContract.listedInAllOrders(c.after.status);
            open += (isOpen ? 1 : 0) - (wasOpen ? 1 : 0);
            figures.maxAllOrders = Math.max(figures.maxAllOrders, open);
        }
        figures.largestWave = Arrays.stream(perWave).max().orElse(0);
    }

    // ------------------------------------------------------------------ the main workload

    private Figures.Side baselineMain(Recording recording) throws Exception {
        String cache = "baseline-main";
        say("Baseline (Lambda): " + recording.size() + " changes, one at a time, at the recorded pace ...");
        server.createCache(cache);
        WriteLog.CacheWrites writes = log.watch(cache, true);
        long wave = TimeUnit.MILLISECONDS.toNanos(options.waveIntervalMillis);
        int n = recording.size();
        long[] arrival = new long[n];
        long[] began = new long[n];
        long busy = 0;
        Map<String, Long> before = server.operationCounts();
        long meteredReads;
        try (LambdaBaseline lambda = baseline(cache)) {
            long start = System.nanoTime();
            for (Change c : recording.changes) {
                arrival[c.index] = start + c.wave * wave;
                long wait = arrival[c.index] - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                began[c.index] = System.nanoTime();
                lambda.handle(c.record);
                busy += System.nanoTime() - began[c.index];
            }
            check(lambda.recordsHandled() == n, "baseline handled " + lambda.recordsHandled() + " of " + n + " changes");
            meteredReads = lambda.meteredReads();
            figures.sanity.add("baseline: handled " + n + " of " + n + " changes of the main workload");
        }
        Figures.Side side = new Figures.Side();
        side.label = "Lambda baseline";
        side.changes = n;
        side.pacedOps = Figures.Ops.between(before, server.operationCounts());
        side.flatOutOps = side.pacedOps;
        side.pacedBytes = writes.bytes.sum();
        side.pacedMetered = writes.metered.sum() + meteredReads;
        side.seconds = busy / 1e9;
        side.changesPerSecond = n / side.seconds;
        checkCache(cache, recording.finalOrders(), "baseline");

        Visibility v = visibility(recording, arrival, writes, "baseline", Visibility.ListPacing.NONE);
        double[] fresh = new double[n];
        double[] detail = new double[n];
        double[] service = new double[n];
        for (int i = 0; i < n; i++) {
            fresh[i] = millis(v.allViewsNanos[i] - arrival[i]);
            detail[i] = millis(v.detailNanos[i] - arrival[i]);
            service[i] = millis(v.allViewsNanos[i] - began[i]);
        }
        side.freshP50 = Stats.percentile(fresh, 50);
        side.freshP99 = Stats.percentile(fresh, 99);
        side.freshMax = Stats.percentile(fresh, 100);
        side.detailP50 = Stats.percentile(detail, 50);
        side.detailP99 = Stats.percentile(detail, 99);
        side.serviceP50 = Stats.percentile(service, 50);
        side.serviceP99 = Stats.percentile(service, 99);
        say(String.format("  %.1f changes/s, %.2f Momento ops/change, service time p50 %.1f ms p99 %.1f ms, "
                        + "freshness at the recorded pace p50 %.0f ms p99 %.0f ms",
                side.changesPerSecond, side.opsPerChange(), side.serviceP50, side.serviceP99, side.freshP50, side.freshP99));
        return side;
    }

    private Figures.Side jobMain(Recording main, int parallelism) throws Exception {
        Figures.Side side = new Figures.Side();
        side.label = "job, parallelism " + parallelism;
        side.parallelism = parallelism;
        side.changes = main.size();
        long wave = TimeUnit.MILLISECONDS.toNanos(options.waveIntervalMillis);
        Map<String, Order> finalOrders = main.finalOrders();

        String cache = "job-p" + parallelism + "-paced";
        say("Job at parallelism " + parallelism + ": " + main.size() + " changes at the recorded pace ...");
        WriteLog.CacheWrites writes = log.watch(cache, true);
        try (JobRun job = JobRun.start("bench-p" + parallelism + "-paced", parallelism, cache, server, writes, options)) {
            Map<String, Long> before = server.operationCounts();
            ReplayFeed.Segment segment = job.release(main, wave);
            long last = job.awaitConverged(segment, expected(finalOrders), () -> server.snapshot(cache), CONVERGE_TIMEOUT_MILLIS);
            side.pacedCores = cpu.coresBetween(segment.startNanos, last);
            side.pacedOps = Figures.Ops.between(before, server.operationCounts());
            side.pacedBytes = writes.bytes.sum();
            side.pacedMetered = writes.metered.sum();
            figures.sanity.add(job.checkEveryChangeApplied() + "; cache equals the contract");
            side.listWritesPerChange = (double) job.metric("listsRendered") / main.size();

            long[] arrival = new long[main.size()];
            double[] lag = new double[main.size()];
            for (int i = 0; i < arrival.length; i++) {
                arrival[i] = segment.arrivalNanos(i);
                lag[i] = millis(segment.emittedAt.get(i) - arrival[i]);
            }
            side.sourceLagP99 = Stats.percentile(lag, 99);
            Visibility v = visibility(main, arrival, writes, "job p=" + parallelism, pacing(job.params));
            double[] fresh = new double[arrival.length];
            double[] detail = new double[arrival.length];
            for (int i = 0; i < arrival.length; i++) {
                fresh[i] = millis(v.allViewsNanos[i] - arrival[i]);
                detail[i] = millis(v.detailNanos[i] - arrival[i]);
            }
            beyondPacing(side, v);
            side.freshP50 = Stats.percentile(fresh, 50);
            side.freshP99 = Stats.percentile(fresh, 99);
            side.freshMax = Stats.percentile(fresh, 100);
            side.detailP50 = Stats.percentile(detail, 50);
            side.detailP99 = Stats.percentile(detail, 99);
        }
        say(String.format("  %.2f Momento ops/change (%.3f list writes/change), freshness p50 %.0f ms p99 %.0f ms "
                        + "(detail view p50 %.0f ms p99 %.0f ms, source lag p99 %.0f ms), %.1f cores busy",
                side.opsPerChange(), side.listWritesPerChange, side.freshP50, side.freshP99, side.detailP50, side.detailP99,
                side.sourceLagP99, side.pacedCores));

        String flatCache = "job-p" + parallelism + "-flat-out";
        say("Job at parallelism " + parallelism + ": the same " + main.size() + " changes flat out ...");
        WriteLog.CacheWrites flatWrites = log.watch(flatCache, false);
        try (JobRun job = JobRun.start("bench-p" + parallelism + "-flat-out", parallelism, flatCache, server, flatWrites, options,
                UNPACED_LISTS)) {
            Map<String, Long> before = server.operationCounts();
            ReplayFeed.Segment segment = job.release(main, 0);
            long last = job.awaitConverged(segment, expected(finalOrders), () -> server.snapshot(flatCache),
                    CONVERGE_TIMEOUT_MILLIS);
            side.flatOutCores = cpu.coresBetween(segment.startNanos, last);
            side.flatOutOps = Figures.Ops.between(before, server.operationCounts());
            side.seconds = (last - segment.startNanos) / 1e9;
            side.changesPerSecond = main.size() / side.seconds;
            figures.sanity.add(job.checkEveryChangeApplied() + "; cache equals the contract");
        }
        say(String.format("  %.0f changes/s flat out (%.2f s until the cache equalled the contract), %.2f ops/change, "
                        + "%.1f cores busy",
                side.changesPerSecond, side.seconds, (double) side.flatOutOps.total() / main.size(), side.flatOutCores));
        return side;
    }

    private Figures.Side viaDynamoDb(Recording recording, int parallelism) throws Exception {
        String cache = "job-dynamodb-p" + parallelism;
        say("Job at parallelism " + parallelism + " with its DynamoDB Streams source: the first " + recording.size()
                + " changes written to DynamoDB (moto) at the recorded pace ...");
        Figures.Side side = new Figures.Side();
        side.label = "job, parallelism " + parallelism + ", via DynamoDB (moto)";
        side.parallelism = parallelism;
        side.changes = recording.size();
        WriteLog.CacheWrites writes = log.watch(cache, true);
        try (DynamoDbRoute route = DynamoDbRoute.start(recording, parallelism, cache, server, options)) {
            Map<String, Long> before = server.operationCounts();
            route.writeAtPace(recording, TimeUnit.MILLISECONDS.toNanos(options.waveIntervalMillis));
            route.awaitConverged(writes, expected(recording.finalOrders()), () -> server.snapshot(cache),
                    CONVERGE_TIMEOUT_MILLIS);
            side.pacedOps = Figures.Ops.between(before, server.operationCounts());
            side.pacedBytes = writes.bytes.sum();
            side.pacedMetered = writes.metered.sum();
            figures.sanity.add(route.checkEveryChangeApplied(recording.size()) + "; cache equals the contract");
            Visibility v = visibility(recording, route.acknowledged, writes, "job via DynamoDB (moto)", pacing(route.params));
            beyondPacing(side, v);
            double[] fresh = new double[recording.size()];
            double[] detail = new double[recording.size()];
            for (int i = 0; i < fresh.length; i++) {
                fresh[i] = millis(v.allViewsNanos[i] - route.acknowledged[i]);
                detail[i] = millis(v.detailNanos[i] - route.acknowledged[i]);
            }
            side.freshP50 = Stats.percentile(fresh, 50);
            side.freshP99 = Stats.percentile(fresh, 99);
            side.freshMax = Stats.percentile(fresh, 100);
            side.detailP50 = Stats.percentile(detail, 50);
            side.detailP99 = Stats.percentile(detail, 99);
        }
        say(String.format("  freshness from the DynamoDB write p50 %.0f ms p99 %.0f ms (detail view p50 %.0f ms p99 %.0f ms), "
                        + "%.2f Momento ops/change",
                side.freshP50, side.freshP99, side.detailP50, side.detailP99, side.opsPerChange()));
        return side;
    }

    // ------------------------------------------------------------------ scaling

    private void scaling() throws Exception {
        int parallelism = options.scalingParallelism();
        WorkloadGenerator generator = new WorkloadGenerator(options.seed + 1, options.creators);
        Map<String, Order> live = new LinkedHashMap<>();
        Map<Integer, Map<String, Order>> liveBeforeBatch = new HashMap<>();
        Map<Integer, Recording> batches = new HashMap<>();
        String cache = "job-scaling";
        Path savepoints = Paths.get("target", "bench-savepoints", Long.toString(System.currentTimeMillis()));
        WriteLog.CacheWrites writes = log.watch(cache, false);
        say("Scaling at parallelism " + parallelism + " on RocksDB: " + options.rejected + " REJECTED orders, then live orders "
                + options.sizes + ", " + options.batchChanges + " changes measured at each ...");
        figures.rejectedOrders = options.rejected;
        // Production defaults, lists paced, but refreshes would start 15 min after the first pre-load and mix into the
        // figures: the steady-state section measures them.
        Map<String, String> noRefreshes = Map.of(JobParameters.CACHE_TTL, "24h");
        try (JobRun job = JobRun.start("bench-scaling", parallelism, cache, server, writes, options, noRefreshes, true)) {
            if (options.rejected > 0) {
                Recording rejected = generator.preload("rejected", options.rejected, OrderTable.STATUS_REJECTED);
                rejected.applyTo(live);
                job.awaitConverged(job.release(rejected, 0), expected(live), () -> server.snapshot(cache),
                        preloadTimeoutMillis(rejected.size()));
            }
            int liveBefore = 0;
            for (int size : options.sizes) {
                Figures.Scale scale = new Figures.Scale();
                scale.liveOrders = size;
                Recording preload = generator.preload("preload-" + size, size - liveBefore);
                liveBefore = size;
                preload.applyTo(live);
                ReplayFeed.Segment loading = job.release(preload, 0);
                job.awaitConverged(loading, expected(live), () -> server.snapshot(cache), preloadTimeoutMillis(preload.size()));
                scale.savepointLiveOrders = live.size();
                scale.savepointBytes = job.savepointBytes(savepoints.resolve(Integer.toString(size)));
                liveBeforeBatch.put(size, new LinkedHashMap<>(live));

                Recording batch = generator.cohort("batch-" + size, options.batchChanges);
                batches.put(size, batch);
                batch.applyTo(live);
                Map<String, Long> before = server.operationCounts();
                long bytesBefore = writes.bytes.sum();
                long meteredBefore = writes.metered.sum();
                long nanosBefore = job.metric("allOrdersRenderNanos");
                long rendersBefore = job.metric("allOrdersRenders");
                long readBefore = job.metric("listEntriesRead");
                long allRendersBefore = renders(job);
                scale.allOrdersMembers = (int) live.values().stream().filter(o -> CacheContract.listedInAllOrders(o.status)).count();
                ReplayFeed.Segment segment = job.release(batch, 0);
                // The batch's orders join all-orders, so its flush is pending even when the newest entries it shows
                // did not change (the cache then already equals the contract). Wait for that paced render before
                // comparing the cache, which takes a core for seconds at this size and would be timed in the render.
                awaitRender(job, rendersBefore);
                long last = job.awaitConverged(segment, expected(live), () -> server.snapshot(cache), CONVERGE_TIMEOUT_MILLIS);
                scale.jobChanges = batch.size();
                // Until every change is applied and its details written; paced lists follow, their cost in the columns.
                scale.jobMicrosPerChange = (writes.lastDetailNanos.get() - segment.startNanos) / 1e3 / batch.size();
                scale.jobOps = Figures.Ops.between(before, server.operationCounts());
                scale.jobBytes = writes.bytes.sum() - bytesBefore;
                scale.jobMetered = writes.metered.sum() - meteredBefore;
                scale.allOrdersRenders = job.metric("allOrdersRenders") - rendersBefore;
                long flushes = Math.max(1, scale.allOrdersRenders);
                scale.jobMicrosPerFlush = (job.metric("allOrdersRenderNanos") - nanosBefore) / 1e3 / flushes;
                scale.entriesReadPerFlush = (double) (job.metric("listEntriesRead") - readBefore)
                        / Math.max(1, renders(job) - allRendersBefore);
                figures.scales.add(scale);
                say(String.format("  %,d live orders (all-orders holds %,d): job %.0f µs/change, %.2f ops/change, %.1f metered "
                                + "ops/change, %.1f KB written/change; list flush %.0f µs, %.0f entries read; savepoint %,d bytes",
                        size, scale.allOrdersMembers, scale.jobMicrosPerChange, (double) scale.jobOps.total() / batch.size(),
                        (double) scale.jobMetered / batch.size(), scale.jobBytes / 1024.0 / batch.size(),
                        scale.jobMicrosPerFlush, scale.entriesReadPerFlush, scale.savepointBytes));
            }
            figures.sanity.add(job.checkEveryChangeApplied() + "; cache equals the contract after every step");
        }
        for (Figures.Scale scale : figures.scales) {
            baselineScale(scale, liveBeforeBatch.get(scale.liveOrders), batches.get(scale.liveOrders));
        }
    }

    /**
     * Waits for all-orders to render after the count {@code before}: at most its paced interval (a 5,000-entry list
     * at the default list-write-kib-per-second waits about 37 s) twice over.
     */
    private static void awaitRender(JobRun job, long before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (job.metric("allOrdersRenders") == before && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    /** Renders of every kind: changed values written, refreshes, and renders that found the value unchanged. */
    private static long renders(JobRun job) {
        return job.metric("listsRendered") + job.metric("listsRefreshed") + job.metric("listRendersUnchanged");
    }

    /**
     * Steady state: a job holding live orders that no longer change, with a short cache-ttl, writes only refreshes.
     * Counted over several TTLs, as writes per second per 10k live orders.
     */
    private void refreshTraffic() throws Exception {
        int parallelism = options.scalingParallelism();
        String cache = "job-refresh";
        WriteLog.CacheWrites writes = log.watch(cache, false);
        Map<String, Order> live = new LinkedHashMap<>();
        Duration refreshTtl = TimeUtils.parseDuration(options.refreshTtl);
        say("Refresh traffic at parallelism " + parallelism + ": " + options.refreshOrders + " live orders, cache-ttl "
                + options.refreshTtl + ", no changes ...");
        try (JobRun job = JobRun.start("bench-refresh", parallelism, cache, server, writes, options,
                Map.of(JobParameters.CACHE_TTL, options.refreshTtl), true)) {
            Recording preload = new WorkloadGenerator(options.seed + 2, options.creators).preload("refresh", options.refreshOrders);
            preload.applyTo(live);
            // Not awaitConverged: refreshes keep the cache busy, so it is never quiet for long.
            ReplayFeed.Segment loading = job.release(preload, 0);
            Map<String, String> loaded = contract.expectedCache(live.values(), maxListEntries);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONVERGE_TIMEOUT_MILLIS);
            while (!loading.fullyEmitted() || !loaded.equals(server.snapshot(cache))) {
                check(System.nanoTime() < deadline, "refresh run: the cache did not reach the contract after the pre-load");
                JobRun.requireRunning(job.client(), job.name);
                Thread.sleep(200);
            }
            // Past the first refreshes of the pre-load's burst, then over three TTLs.
            Thread.sleep(refreshTtl.toMillis());
            long writesBefore = writes.writes.sum();
            long meteredBefore = writes.metered.sum();
            long start = System.nanoTime();
            Thread.sleep(3 * refreshTtl.toMillis());
            double seconds = (System.nanoTime() - start) / 1e9;
            figures.refreshLiveOrders = options.refreshOrders;
            figures.refreshTtlSeconds = refreshTtl.getSeconds();
            figures.refreshWindowSeconds = seconds;
            figures.refreshWritesPerSecond = (writes.writes.sum() - writesBefore) / seconds;
            figures.refreshMeteredPerSecond = (writes.metered.sum() - meteredBefore) / seconds;
            Map<String, String> want = contract.expectedCache(live.values(), maxListEntries);
            check(want.equals(server.snapshot(cache)), "refresh run: the cache lost keys while idle: "
                    + JobRun.difference(want, server.snapshot(cache)));
            figures.sanity.add("refresh run: the cache still equals the contract after " + Math.round(4 * refreshTtl.getSeconds())
                    + " s without a change, with cache-ttl " + options.refreshTtl);
        }
        say(String.format("  %.1f writes/s (%.1f metered ops/s) for %,d live orders at cache-ttl %s: %.1f writes/s per 10k "
                        + "live orders, %.2f at cache-ttl 1h",
                figures.refreshWritesPerSecond, figures.refreshMeteredPerSecond, figures.refreshLiveOrders, options.refreshTtl,
                figures.refreshWritesPerSecond * 10_000 / figures.refreshLiveOrders,
                figures.refreshWritesPerSecond * 10_000 / figures.refreshLiveOrders * figures.refreshTtlSeconds / 3600.0));
    }

    private void baselineScale(Figures.Scale scale, Map<String, Order> liveBefore, Recording batch) throws Exception {
        String cache = "baseline-scaling-" + scale.liveOrders;
        server.createCache(cache);
        WriteLog.CacheWrites writes = log.watch(cache, false);
        Recording part = batch.prefix(options.baselineBatchChanges);
        try (LambdaBaseline lambda = baseline(cache)) {
            // The baseline keeps no state but the cache, so its pre-load is the lists as the contract renders them.
            Set<String> listKeys = new HashSet<>();
            listKeys.add(contract.allOrdersKey());
            for (Order o : liveBefore.values()) {
                listKeys.add(contract.creatorListKey(o.creator));
            }
            try (CacheClient seeding = connection(cache).openClient()) {
                for (Map.Entry<String, String> e : contract.expectedCache(liveBefore.values(), maxListEntries).entrySet()) {
                    if (listKeys.contains(e.getKey())) {
                        check(seeding.set(cache, e.getKey(), e.getValue(), ttl).join()
                                instanceof SetResponse.Success, "seeding " + e.getKey());
                    }
                }
            }
            Map<String, Long> before = server.operationCounts();
            long bytesBefore = writes.bytes.sum();
            long meteredBefore = writes.metered.sum();
            long start = System.nanoTime();
            for (Change c : part.changes) {
                lambda.handle(c.record);
            }
            long elapsed = System.nanoTime() - start;
            check(lambda.recordsHandled() == part.size(), "baseline handled " + lambda.recordsHandled() + " of " + part.size());
            scale.baselineChanges = part.size();
            scale.baselineMillisPerChange = elapsed / 1e6 / part.size();
            scale.baselineOps = Figures.Ops.between(before, server.operationCounts());
            scale.baselineBytes = writes.bytes.sum() - bytesBefore + lambda.bytesRead();
            scale.baselineMetered = writes.metered.sum() - meteredBefore + lambda.meteredReads();
        }
        figures.sanity.add("baseline at " + scale.liveOrders + " live orders: handled " + part.size() + " of "
                + part.size() + " changes");
        say(String.format("  %,d live orders: baseline %.1f ms/change, %.2f ops/change, %.1f KB moved/change",
                scale.liveOrders, scale.baselineMillisPerChange, (double) scale.baselineOps.total() / part.size(),
                scale.baselineBytes / 1024.0 / part.size()));
    }

    // ------------------------------------------------------------------ helpers

    private LambdaBaseline baseline(String cache) {
        return new LambdaBaseline(connection(cache).openClient(), cache, contract, maxListEntries, ttl);
    }

    private MomentoConnection connection(String cache) {
        return MomentoConnection.local(cache, LoopbackMomentoServer.HOST, server.port(), Duration.ofSeconds(30), ttl);
    }

    private Supplier<Map<String, String>> expected(Map<String, Order> orders) {
        return () -> contract.expectedCache(orders.values(), maxListEntries);
    }

    private void checkCache(String cache, Map<String, Order> orders, String who) {
        Map<String, String> expected = contract.expectedCache(orders.values(), maxListEntries);
        Map<String, String> actual = server.snapshot(cache);
        check(expected.equals(actual), who + "'s cache differs from the contract: " + JobRun.difference(expected, actual));
        figures.sanity.add(who + ": cache equals the contract (" + expected.size() + " keys)");
    }

    /** A pre-load of a hundred thousand orders takes minutes on 2 cores; the limit only catches a stuck job. */
    private static long preloadTimeoutMillis(int changes) {
        return CONVERGE_TIMEOUT_MILLIS + 20L * changes;
    }

    private static Visibility.ListPacing pacing(JobParameters params) {
        return new Visibility.ListPacing(params.listFlushInterval.toNanos(), params.listWriteKibPerSecond);
    }

    private static void beyondPacing(Figures.Side side, Visibility v) {
        double[] beyond = new double[v.beyondPacingNanos.length];
        for (int i = 0; i < beyond.length; i++) {
            beyond[i] = millis(v.beyondPacingNanos[i]);
        }
        side.beyondPacingP99 = Stats.percentile(beyond, 99);
        side.longestAllowedWait = millis(v.longestAllowedNanos);
    }

    private Visibility visibility(Recording recording, long[] arrival, WriteLog.CacheWrites writes, String who,
                                  Visibility.ListPacing pacing) {
        Visibility v = Visibility.analyse(recording, arrival, writes.keptWrites(), contract, pacing);
        // The writes served their purpose; the scaling runs need the heap.
        writes.keep = false;
        writes.kept.clear();
        check(v.problems.isEmpty(), who + ": " + String.join("; ", v.problems));
        figures.sanity.add(who + ": every change became visible in every view it touches; no view went backwards");
        return v;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException("sanity check failed: " + message);
        }
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
