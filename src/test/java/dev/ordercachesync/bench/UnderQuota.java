package dev.ordercachesync.bench;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.localmomento.LoopbackMomentoServer;
import dev.ordercachesync.localmomento.QuotaStats;
import dev.ordercachesync.model.MomentoMetering;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.sink.MomentoConnection;
import dev.ordercachesync.views.CacheContract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The section "under a quota" (issue 14): a backlog of changes (a prefix of the main workload, released at once)
 * against a loopback server whose metered quota ({@code FaultPlan.quota}) is far below what catching up asks.
 * Each side's time until the cache equals the contract is set against the ideal, the metered operations the final
 * cache needs (every key written once) divided by the quota; and the calls the quota refused against those it served.
 * The job runs without a budget (it finds the rate from the refusals) and with one equal to the quota; the Lambda
 * baseline works as the workshop's does, logging and dropping a call that fails.
 */
final class UnderQuota {
    /** One side's run. */
    static final class Result {
        String label;
        int changes;
        int quota;
        long operationsNeeded;
        /** Until the cache equalled the contract; NaN if it never did. */
        double seconds;
        /** Until the side had handled every change (the baseline), or the same as {@link #seconds} (the job). */
        double handledSeconds;
        long served;
        long operationsServed;
        long refused;
        /** Keys that differ from the contract at the end; 0 when it converged. */
        int keysWrong;

        double idealSeconds() {
            return (double) operationsNeeded / quota;
        }

        double refusedPerServed() {
            return served == 0 ? 0 : (double) refused / served;
        }
    }

    private static final long CONVERGE_TIMEOUT_MILLIS = 300_000;

    private final BenchOptions options;
    private final LoopbackMomentoServer server;
    private final WriteLog log;
    private final CacheContract contract;
    private final int maxListEntries;
    private final Duration ttl;
    private final List<String> sanity;

    UnderQuota(BenchOptions options, LoopbackMomentoServer server, WriteLog log, CacheContract contract, int maxListEntries,
               Duration ttl, List<String> sanity) {
        this.options = options;
        this.server = server;
        this.log = log;
        this.contract = contract;
        this.maxListEntries = maxListEntries;
        this.ttl = ttl;
        this.sanity = sanity;
    }

    List<Result> run(Recording backlog) throws Exception {
        Map<String, String> expected = contract.expectedCache(backlog.finalOrders().values(), maxListEntries);
        long needed = 0;
        for (Map.Entry<String, String> e : expected.entrySet()) {
            needed += MomentoMetering.operations(MomentoMetering.utf8Length(e.getKey()), MomentoMetering.utf8Length(e.getValue()));
        }
        List<Result> results = new ArrayList<>();
        try {
            int parallelism = options.scalingParallelism();
            results.add(job(backlog, expected, needed, parallelism, JobParameters.ADAPTIVE));
            results.add(job(backlog, expected, needed, parallelism, Integer.toString(options.quota)));
            results.add(baseline(backlog, expected, needed));
        } finally {
            server.faults().quota(0);
        }
        return results;
    }

    private Result job(Recording backlog, Map<String, String> expected, long needed, int parallelism, String budget) throws Exception {
        String cache = "quota-job-" + budget;
        Result r = result("job, parallelism " + parallelism + ", sink-ops-per-second=" + budget, backlog, needed);
        say("Under a quota of " + options.quota + " ops/s: " + r.label + ", " + backlog.size() + " changes released at once ...");
        WriteLog.CacheWrites writes = log.watch(cache, false);
        try (JobRun job = JobRun.start("bench-quota-" + budget, parallelism, cache, server, writes, options,
                Map.of(JobParameters.SINK_OPS_PER_SECOND, budget))) {
            QuotaStats before = startQuota();
            ReplayFeed.Segment segment = job.release(backlog, 0);
            long last = job.awaitConverged(segment, () -> expected, () -> server.snapshot(cache), CONVERGE_TIMEOUT_MILLIS);
            r.seconds = (last - segment.startNanos) / 1e9;
            r.handledSeconds = r.seconds;
            served(r, before);
            sanity.add(job.checkEveryChangeApplied() + " under the quota, with no failure; cache equals the contract");
        }
        report(r);
        return r;
    }

    private Result baseline(Recording backlog, Map<String, String> expected, long needed) {
        String cache = "quota-baseline";
        server.createCache(cache);
        Result r = result("Lambda baseline (drops a call that fails, as the workshop's does)", backlog, needed);
        say("Under a quota of " + options.quota + " ops/s: " + r.label + ", " + backlog.size() + " changes one at a time ...");
        try (LambdaBaseline lambda = new LambdaBaseline(MomentoConnection.local(cache, LoopbackMomentoServer.HOST,
                server.port(), Duration.ofSeconds(30), ttl).openClient(), cache, contract, maxListEntries, ttl, true)) {
            QuotaStats before = startQuota();
            long start = System.nanoTime();
            for (Change c : backlog.changes) {
                lambda.handle(c.record);
            }
            r.handledSeconds = (System.nanoTime() - start) / 1e9;
            served(r, before);
            Map<String, String> actual = server.snapshot(cache);
            r.keysWrong = differing(expected, actual);
            r.seconds = r.keysWrong == 0 ? r.handledSeconds : Double.NaN;
            sanity.add("baseline under the quota: handled " + lambda.recordsHandled() + " of " + backlog.size()
                    + " changes; " + lambda.failedCalls() + " calls failed and were dropped");
        }
        report(r);
        return r;
    }

    private Result result(String label, Recording backlog, long needed) {
        Result r = new Result();
        r.label = label;
        r.changes = backlog.size();
        r.quota = options.quota;
        r.operationsNeeded = needed;
        return r;
    }

    /** A fresh, full bucket for each run, so no run pays for the one before. */
    private QuotaStats startQuota() {
        server.faults().quota(options.quota);
        return server.quotaStats();
    }

    private void served(Result r, QuotaStats before) {
        QuotaStats after = server.quotaStats();
        r.served = after.callsAdmitted - before.callsAdmitted;
        r.operationsServed = after.operationsAdmitted - before.operationsAdmitted;
        r.refused = after.callsRefused - before.callsRefused;
    }

    private static int differing(Map<String, String> expected, Map<String, String> actual) {
        TreeSet<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        int n = 0;
        for (String key : keys) {
            if (!Objects.equals(expected.get(key), actual.get(key))) {
                n++;
            }
        }
        return n;
    }

    private static void report(Result r) {
        say(String.format(Locale.ROOT, "  %s; ideal %.1f s (%,d metered operations needed / %d per second); %,d calls "
                        + "served (%,d operations), %,d refused (%.1f%% of those served)",
                Double.isNaN(r.seconds) ? String.format(Locale.ROOT, "never converged: %d keys wrong after %.1f s", r.keysWrong, r.handledSeconds)
                        : String.format(Locale.ROOT, "converged in %.1f s", r.seconds),
                r.idealSeconds(), r.operationsNeeded, r.quota, r.served, r.operationsServed, r.refused, 100 * r.refusedPerServed()));
    }

    /** The section as a file of its own ({@code --only-quota}), with the run's settings, machine and checks. */
    static String standalone(Figures f, BenchOptions o) {
        StringBuilder md = new StringBuilder("# Benchmark: under a quota\n\n");
        md.append("Generated by `dev.ordercachesync.bench.Benchmark --only-quota` on ").append(f.startedAt)
                .append(String.format(Locale.ROOT, " in %.0f s. Method: [../README.md](../README.md).\n\n", f.totalSeconds));
        md.append("```\n").append(o.commandLine()).append("\n```\n\n| | |\n|---|---|\n");
        for (Map.Entry<String, String> e : f.machine.entrySet()) {
            md.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" |\n");
        }
        md.append("| load average (1, 5, 15 min) before | ").append(f.loadBefore).append(" |\n");
        md.append("| load average (1, 5, 15 min) after | ").append(f.loadAfter).append(" |\n");
        md.append("| injected latency | ").append(o.latencyMillis).append(" ms on every Momento RPC |\n");
        md.append(markdown(f.underQuota));
        md.append("\n## Sanity checks (all passed, or there would be no report)\n\n");
        for (String s : f.sanity) {
            md.append("- ").append(s).append("\n");
        }
        return md.toString();
    }

    /** The report's section. */
    static String markdown(List<Result> results) {
        if (results.isEmpty()) {
            return "";
        }
        Result first = results.get(0);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "\n## Under a quota\n\nA backlog of the main workload's first %,d changes, released "
                        + "at once, against a loopback Momento that meters every call (one operation per started KiB of key and "
                        + "value) and refuses calls above **%d operations per second** (Momento's on-demand default) with "
                        + "`RESOURCE_EXHAUSTED`. The final cache needs %,d metered operations (every key written once), so the ideal "
                        + "is %.1f s. Time is from the release to the last write once the cache equals the contract.\n\n",
                first.changes, first.quota, first.operationsNeeded, first.idealSeconds()));
        md.append("| side | converged | × ideal | operations served | calls served | refused | refused / served |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            String converged = Double.isNaN(r.seconds)
                    ? String.format(Locale.ROOT, "never (%d keys wrong after %.1f s)", r.keysWrong, r.handledSeconds)
                    : String.format(Locale.ROOT, "%.1f s", r.seconds);
            String ratio = Double.isNaN(r.seconds) ? "—" : String.format(Locale.ROOT, "%.1f×", r.seconds / r.idealSeconds());
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,d | %,d | %.1f%% |\n", r.label, converged, ratio,
                    r.operationsServed, r.served, r.refused, 100 * r.refusedPerServed()));
        }
        md.append("\nThe job writes intermediate values as well as final ones (the backlog reaches the sink through "
                + "backpressure, not all at once), so it spends more than the ideal. A budget is shared evenly by the sink's "
                + "subtasks, so the one that writes all-orders waits while another may have budget to spare; without a budget "
                + "each subtask finds its own rate, at the price of a few refusals. The baseline sends each call when the previous one is answered, "
                + "far faster than the quota, and drops every call that is refused, so its cache keeps wrong values.\n");
        return md.toString();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
