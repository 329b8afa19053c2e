package dev.ordercachesync.local;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.job.OrderCacheSyncJob;
import dev.ordercachesync.job.OrderCacheSyncPipeline;
import dev.ordercachesync.testsupport.LocalStack;
import dev.ordercachesync.verify.VerifyCommand;
import dev.ordercachesync.verify.VerifyOptions;
import dev.ordercachesync.verify.VerifyReport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo on embedded defaults, no AWS account: moto (a DynamoDB emulator) with the workshop table, the loopback
 * Momento server, and the job on a local Flink mini cluster with its web UI. Drives workshop-shaped
 * traffic for a while with a live progress line, waits for the job to catch up, then runs the verify
 * check and exits with its status (0: the cache equals the contract computed from the table).
 *
 * <p>Options: {@code --rate N} table writes per second (default 20), {@code --duration D} (default
 * 60s), {@code --web-port P} first port tried for the web UI (default 8081), {@code --seed N}.
 */
public final class LocalRun {
    private static final PrintStream OUT = System.out;
    private static final Logger LOG = LoggerFactory.getLogger(LocalRun.class);
    private static final int PARALLELISM = 2;
    private static final int WRITER_THREADS = 4;
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(90);

    private final double rate;
    private final Duration duration;
    private final int webPort;
    private final long seed;
    private final boolean terminal = System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));

    private LocalStack stack;
    private MiniCluster cluster;
    private JobID jobId;
    private DemoTraffic traffic;
    private boolean stopped;

    private LocalRun(double rate, Duration duration, int webPort, long seed) {
        this.rate = rate;
        this.duration = duration;
        this.webPort = webPort;
        this.seed = seed;
    }

    public static void main(String[] args) throws Exception {
        LocalRun demo;
        try {
            demo = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: LocalRun [--rate WRITES_PER_SECOND] [--duration 60s|2min] [--web-port 8081] [--seed N]");
            System.exit(2);
            return;
        }
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (demo.stop()) {
                LOG.info("Interrupted: traffic stopped, job cancelled, servers closed");
                OUT.println();
                OUT.println("Interrupted: job cancelled, servers closed.");
            }
            main.interrupt();
        }, "demo-shutdown"));
        int status;
        try {
            status = demo.run();
        } catch (InterruptedException e) {
            return;
        } finally {
            demo.stop();
        }
        System.exit(status);
    }

    private static LocalRun parse(String[] args) {
        double rate = 20;
        Duration duration = Duration.ofSeconds(60);
        int webPort = 8081;
        long seed = System.currentTimeMillis();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--rate":
                    rate = Double.parseDouble(value);
                    if (!(rate > 0 && rate <= 2000)) {
                        throw new IllegalArgumentException("--rate must be between 0 and 2000 writes per second: " + value);
                    }
                    break;
                case "--duration":
                    duration = parseDuration(value);
                    break;
                case "--web-port":
                    webPort = Integer.parseInt(value);
                    break;
                case "--seed":
                    seed = Long.parseLong(value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new LocalRun(rate, duration, webPort, seed);
    }

    private int run() throws Exception {
        OUT.println("Starting moto (DynamoDB), the loopback Momento server and a Flink mini cluster ...");
        stack = LocalStack.start();
        Map<String, String> values = stack.jobParameters();
        values.put(JobParameters.PARALLELISM, Integer.toString(PARALLELISM));
        JobParameters params = JobParameters.from(values);
        OUT.println("DynamoDB (moto): " + stack.dynamoDb.endpoint() + "  table " + LocalStack.TABLE);
        OUT.println("Loopback Momento: 127.0.0.1:" + stack.momento.port() + "  cache " + LocalStack.CACHE);

        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        // A range, so a second demo (or another developer's) on this machine still starts.
        conf.set(RestOptions.BIND_PORT, webPort + "-" + (webPort + 20));
        DemoMetrics.register(conf);
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(PARALLELISM)
                .build());
        cluster.start();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.enableCheckpointing(2_000);
        OrderCacheSyncPipeline.configure(env, params);
        OrderCacheSyncPipeline.build(env, params);
        StreamGraph graph = env.getStreamGraph(false);
        graph.setJobName(OrderCacheSyncJob.JOB_NAME);
        JobGraph job = graph.getJobGraph();
        cluster.submitJob(job).get();
        jobId = job.getJobID();
        OUT.println("Flink job " + jobId + " running at parallelism " + PARALLELISM + " (full log: target/local-run.log)");
        OUT.println("Flink web UI:     " + cluster.getRestAddress().get() + "  (open it while the demo runs)");
        OUT.printf(Locale.ROOT, "Traffic: %.0f table writes per second for %ds from simulated customers (Ctrl-C stops).%n",
                rate, duration.getSeconds());
        OUT.println("Progress: table writes | stream records read | changes applied | stale dropped | cache writes | lag");

        traffic = new DemoTraffic(stack.dynamoDb.client(), LocalStack.TABLE, rate, seed);
        traffic.start(WRITER_THREADS);
        long end = System.nanoTime() + duration.toNanos();
        long lastLine = 0;
        while (System.nanoTime() < end) {
            TimeUnit.MILLISECONDS.sleep(500);
            lastLine = progress(lastLine, false);
        }
        traffic.close();
        endProgress();
        OUT.println("Traffic stopped: " + traffic.summary() + ".");

        awaitCatchUp(lastLine);
        endProgress();

        // The demo knows which orders it deleted and which creators it used; verify cannot list keys, so it is told.
        Path deletedIds = Paths.get("target", "demo-deleted-order-ids.txt");
        Files.write(deletedIds, traffic.deletedIds());
        Path creators = Paths.get("target", "demo-creators.txt");
        Files.write(creators, traffic.creators());
        OUT.println();
        OUT.println("Verifying the cache against the table (the `verify` command's check) ...");
        VerifyOptions options = VerifyOptions.parse(
                "--table", LocalStack.TABLE,
                "--aws-endpoint", stack.dynamoDb.endpoint().toString(),
                "--aws-credentials", "local-dummy",
                "--momento-local-endpoint", "127.0.0.1:" + stack.momento.port(),
                "--momento-cache-name", LocalStack.CACHE,
                "--list-max-entries", Integer.toString(params.listMaxEntries),
                "--scan-read-units-per-second", "5000",
                "--cache-reads-per-second", "2000",
                "--recheck-delay", "2s",
                "--ids", deletedIds.toString(),
                "--creators", creators.toString());
        VerifyReport report = VerifyCommand.verify(options);
        report.print(OUT, LocalStack.TABLE, options.cacheDescription());
        return report.exitStatus();
    }

    /** Until every write was read and applied, and the sink has stopped writing (lists flush late). */
    private void awaitCatchUp(long lastLine) throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        long lastCacheWrites = -1;
        int quietPolls = 0;
        while (System.nanoTime() < deadline && quietPolls < 3) {
            TimeUnit.MILLISECONDS.sleep(500);
            lastLine = progress(lastLine, false);
            long read = DemoMetrics.sum("streamRecordsRead");
            long handled = DemoMetrics.sum("changesApplied") + DemoMetrics.sum("staleChangesDropped");
            long cacheWrites = DemoMetrics.sum("cacheWrites");
            boolean caughtUp = read >= traffic.writes() && handled >= read;
            quietPolls = caughtUp && cacheWrites == lastCacheWrites ? quietPolls + 1 : 0;
            lastCacheWrites = cacheWrites;
        }
        progress(0, true);
    }

    /** Prints the progress line: in place on a terminal, else a new line every 5 s. */
    private long progress(long lastLineNanos, boolean force) {
        long now = System.nanoTime();
        if (!terminal && !force && now - lastLineNanos < TimeUnit.SECONDS.toNanos(5)) {
            return lastLineNanos;
        }
        long read = DemoMetrics.sum("streamRecordsRead");
        long writes = traffic.writes();
        String line = String.format(Locale.ROOT,
                "writes %6d | read %6d | applied %6d | stale dropped %4d | cache writes %6d | lag %4d records, %5.1fs",
                writes, read, DemoMetrics.sum("changesApplied"), DemoMetrics.sum("staleChangesDropped"),
                DemoMetrics.sum("cacheWrites"), Math.max(0, writes - read), traffic.lagSeconds(read));
        if (terminal) {
            OUT.print("\r" + line);
        } else {
            OUT.println(line);
        }
        OUT.flush();
        return now;
    }

    private void endProgress() {
        if (terminal) {
            OUT.println();
        }
    }

    /** Idempotent: stops traffic, cancels the job, closes the cluster and servers. True if it did something. */
    private synchronized boolean stop() {
        if (stopped) {
            return false;
        }
        stopped = true;
        LOG.info("Stopping: traffic, then the job, the mini cluster and the servers");
        try {
            if (traffic != null) {
                traffic.close();
            }
            if (cluster != null && jobId != null) {
                cluster.cancelJob(jobId).get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // Closing the cluster below ends the job anyway.
        }
        try {
            if (cluster != null) {
                cluster.close();
            }
        } catch (Exception e) {
            OUT.println("closing the mini cluster failed: " + e);
        }
        if (stack != null) {
            stack.close();
        }
        return true;
    }

    private static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("min")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 3)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--duration: '" + text + "' is not like 90s or 2min");
        }
    }
}
