package dev.ordercachesync.bench;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.job.OperatorIds;
import dev.ordercachesync.job.OrderCacheSyncPipeline;
import dev.ordercachesync.localmomento.LoopbackMomentoServer;
import dev.ordercachesync.model.RawStreamRecord;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The real job on a local mini cluster, fed by a {@link ReplaySource} and writing the loopback server. */
final class JobRun implements AutoCloseable {
    /** How long without a write, once everything is emitted, before the cache is compared with the contract. */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);

    final String name;
    /**
     * The loopback server has no quota unless a run sets one, so the sink gets a budget it never reaches instead of
     * the adaptive default, whose slow start from 100 operations per second would time the first seconds of a fresh
     * job rather than the job. The section under a quota runs the adaptive default.
     */
    static final String NO_QUOTA_BUDGET = "1000000";

    final JobParameters params;
    private final ReplayFeed feed;
    private final JobClient client;
    private final WriteLog.CacheWrites writes;
    private long changesReleased;

    private JobRun(String name, JobParameters params, ReplayFeed feed, JobClient client, WriteLog.CacheWrites writes) {
        this.name = name;
        this.params = params;
        this.feed = feed;
        this.client = client;
        this.writes = writes;
    }

    static JobRun start(String name, int parallelism, String cache, LoopbackMomentoServer server,
                        WriteLog.CacheWrites writes, BenchOptions options) throws Exception {
        return start(name, parallelism, cache, server, writes, options, Map.of(), false);
    }

    /** @param parameters job parameters beyond the benchmark's own */
    static JobRun start(String name, int parallelism, String cache, LoopbackMomentoServer server,
                        WriteLog.CacheWrites writes, BenchOptions options, Map<String, String> parameters) throws Exception {
        return start(name, parallelism, cache, server, writes, options, parameters, false);
    }

    /** With job parameters on top of the benchmark's, and optionally on RocksDB as Managed Flink runs it. */
    static JobRun start(String name, int parallelism, String cache, LoopbackMomentoServer server,
                        WriteLog.CacheWrites writes, BenchOptions options, Map<String, String> extraParameters,
                        boolean rocksDb) throws Exception {
        server.createCache(cache);
        Map<String, String> values = new HashMap<>();
        // Required by the parameters, unused: the replay source stands in for the stream.
        values.put(JobParameters.STREAM_ARN, "arn:aws:dynamodb:us-east-1:000000000000:table/OrderTable/stream/bench");
        values.put(JobParameters.MOMENTO_LOCAL_ENDPOINT, LoopbackMomentoServer.HOST + ":" + server.port());
        values.put(JobParameters.MOMENTO_CACHE_NAME, cache);
        values.put(JobParameters.PARALLELISM, Integer.toString(parallelism));
        values.put(JobParameters.LIST_FLUSH_INTERVAL, options.listFlushInterval);
        values.put(JobParameters.SINK_OPS_PER_SECOND, NO_QUOTA_BUDGET);
        values.putAll(extraParameters);
        JobParameters params = JobParameters.from(values);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism,
                clusterConfiguration(name, rocksDb));
        env.enableCheckpointing(options.checkpointIntervalMillis);
        OrderCacheSyncPipeline.configure(env, params);
        ReplayFeed feed = ReplayFeed.open(name, parallelism);
        DataStream<RawStreamRecord> records = env
                .addSource(new ReplaySource(name), "Replayed DynamoDB stream", TypeInformation.of(RawStreamRecord.class))
                .uid(OperatorIds.SOURCE);
        OrderCacheSyncPipeline.build(records, params, OrderCacheSyncPipeline.momentoSink(params));
        JobClient client = env.executeAsync(name);
        JobRun run = new JobRun(name, params, feed, client, writes);
        try {
            feed.awaitReaders(120_000);
            // The sink opens its client and checks the cache after the source runs; let start-up settle.
            Thread.sleep(1000);
        } catch (RuntimeException | InterruptedException e) {
            run.close();
            throw e;
        }
        return run;
    }

    /**
     * No restarts (a failure must fail the benchmark), the benchmark's metric reporter, and checkpoints on disk as on a
     * real cluster: the local default keeps them in JobManager memory, capped at 5 MB, which 50k live orders pass.
     */
    static Configuration clusterConfiguration(String jobName, boolean rocksDb) {
        Configuration conf = new Configuration();
        if (rocksDb) {
            conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
            // As on Managed Flink and the local cluster (flink-conf/): a full RocksDB snapshot every interval would
            // copy all state each time, a cost that grows with the state rather than with the changes.
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
            // The local cluster's TaskManager gets about this much managed memory (flink-conf/: 1728m process, the
            // default fraction); a mini cluster's default of 128m starves RocksDB's write buffers and block cache.
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("512m"));
        }
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.setString("metrics.reporter.bench.factory.class", BenchMetrics.Factory.class.getName());
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                Paths.get("target", "bench-checkpoints", jobName).toAbsolutePath().toUri().toString());
        return conf;
    }

    JobClient client() {
        return client;
    }

    ReplayFeed.Segment release(Recording recording, long waveIntervalNanos) {
        changesReleased += recording.size();
        return feed.release(recording, waveIntervalNanos);
    }

    /**
     * Waits until the segment is emitted and the cache has been quiet for a while and equals {@code expected};
     * returns the time of the last write. Fails loudly if the job fails or the cache never gets there.
     */
    long awaitConverged(ReplayFeed.Segment segment, Supplier<Map<String, String>> expected,
                        Supplier<Map<String, String>> actual, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Map<String, String> lastActual = null;
        Map<String, String> lastExpected = null;
        long nextCompare = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            requireRunning(client, name);
            long last = writes.lastNanos.get();
            // Building both sides takes seconds of a core at the largest sizes: not while the job still applies
            // changes (it would be timed competing with its own judge), and never more than half the time.
            if (!segment.fullyEmitted() || changesHandled() < changesReleased
                    || System.nanoTime() - last < QUIET_NANOS || System.nanoTime() < nextCompare) {
                continue;
            }
            long comparing = System.nanoTime();
            // Hundreds of thousands of keys each at the largest scaling size: never hold two pairs at once.
            lastExpected = null;
            lastActual = null;
            lastExpected = expected.get();
            lastActual = actual.get();
            if (lastExpected.equals(lastActual) && writes.lastNanos.get() == last) {
                return last;
            }
            nextCompare = System.nanoTime() + (System.nanoTime() - comparing);
        }
        throw new IllegalStateException("job " + name + ": the cache did not reach the contract within " + timeoutMillis
                + " ms (emitted " + segment.emitted.get() + " of " + segment.recording.size() + "). "
                + difference(lastExpected, lastActual));
    }

    /** Fails with the job's own failure, if it has one, when the job is no longer running. */
    static void requireRunning(JobClient client, String name) {
        JobStatus status;
        try {
            status = client.getJobStatus().get();
        } catch (Exception e) {
            throw new IllegalStateException("job " + name + " is gone (its cluster stopped); see target/benchmark.log", e);
        }
        if (status.isGloballyTerminalState()) {
            throw new IllegalStateException("job " + name + " ended " + status + "; see target/benchmark.log");
        }
    }

    /** Changes the job has finished with: applied, dropped as stale or dead-lettered. */
    private long changesHandled() {
        return BenchMetrics.sum(name, "changesApplied") + BenchMetrics.sum(name, "staleChangesDropped")
                + BenchMetrics.sum(name, "deadLetters");
    }

    /** Checks from the job's own metrics that it applied every change released, dropping or dead-lettering none. */
    String checkEveryChangeApplied() {
        long applied = BenchMetrics.sum(name, "changesApplied");
        long stale = BenchMetrics.sum(name, "staleChangesDropped");
        long dead = BenchMetrics.sum(name, "deadLetters");
        if (applied != changesReleased || stale != 0 || dead != 0) {
            throw new IllegalStateException("job " + name + " applied " + applied + " of " + changesReleased
                    + " changes (" + stale + " dropped as stale, " + dead + " dead letters)");
        }
        return "job " + name + ": applied " + applied + " of " + changesReleased + " changes, 0 stale, 0 dead letters";
    }

    long metric(String metricName) {
        return BenchMetrics.sum(name, metricName);
    }

    /** Takes a canonical savepoint (the format every state backend reads) and returns its size in bytes. */
    long savepointBytes(Path directory) throws Exception {
        Files.createDirectories(directory);
        String location = client.triggerSavepoint(directory.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(5, TimeUnit.MINUTES);
        Path path = location.startsWith("file:") ? Paths.get(URI.create(location)) : Paths.get(location);
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            cancelIfRunning(client);
        } finally {
            feed.close();
        }
    }

    /** Cancels a job still running; one that failed has already taken its mini cluster, and its failure is thrown. */
    static void cancelIfRunning(JobClient client) {
        try {
            if (!client.getJobStatus().get().isGloballyTerminalState()) {
                client.cancel().get(1, TimeUnit.MINUTES);
            }
        } catch (Exception alreadyGone) {
            // Nothing left to stop.
        }
    }

    static String difference(Map<String, String> expected, Map<String, String> actual) {
        if (expected == null || actual == null) {
            return "";
        }
        TreeSet<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        StringBuilder sb = new StringBuilder();
        int differing = 0;
        for (String key : keys) {
            if (!Objects.equals(expected.get(key), actual.get(key))) {
                if (differing++ < 5) {
                    sb.append("\n  ").append(key).append(": expected ").append(abbreviate(expected.get(key)))
                            .append(", cache has ").append(abbreviate(actual.get(key)));
                }
            }
        }
        return differing + " of " + keys.size() + " keys differ:" + sb;
    }

    private static String abbreviate(String s) {
        return s == null ? "nothing" : s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
