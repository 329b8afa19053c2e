package dev.ordercachesync.bench;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.job.OrderCacheSyncPipeline;
import dev.ordercachesync.localmomento.LoopbackMomentoServer;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderItem;
import dev.ordercachesync.testsupport.EmbeddedDynamoDb;
import dev.ordercachesync.testsupport.OrderTable;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The job with its real DynamoDB Streams source, reading moto's DynamoDB stream: the recording is written to the table at
 * its pace (PutItem of each new image, DeleteItem for a removal), so freshness is measured from the moment DynamoDB
 * acknowledged the write. moto has one shard and assigns its own sequence numbers.
 */
final class DynamoDbRoute implements AutoCloseable {
    static final String TABLE = "OrderTable";
    /** Well under what moto serves here, so it answers the source's GetRecords at once. */
    static final int MAX_WRITES_PER_SECOND = 50;

    /** Ack time of each change's write, by change index. */
    final long[] acknowledged;
    final String jobName;
    final JobParameters params;
    private final JobClient client;
    private final EmbeddedDynamoDb dynamoDb;

    private DynamoDbRoute(int changes, String jobName, JobParameters params, JobClient client, EmbeddedDynamoDb dynamoDb) {
        this.acknowledged = new long[changes];
        this.jobName = jobName;
        this.params = params;
        this.client = client;
        this.dynamoDb = dynamoDb;
    }

    static DynamoDbRoute start(Recording recording, int parallelism, String cache, LoopbackMomentoServer server,
                               BenchOptions options) throws Exception {
        EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start();
        try {
            String arn = ddb.createOrderTable(TABLE);
            server.createCache(cache);
            Map<String, String> values = new HashMap<>();
            values.put(JobParameters.STREAM_ARN, arn);
            values.put(JobParameters.AWS_REGION, "us-east-1");
            values.put(JobParameters.AWS_ENDPOINT, ddb.endpoint().toString());
            values.put(JobParameters.AWS_CREDENTIALS, "local-dummy");
            values.put(JobParameters.MOMENTO_LOCAL_ENDPOINT, LoopbackMomentoServer.HOST + ":" + server.port());
            values.put(JobParameters.MOMENTO_CACHE_NAME, cache);
            values.put(JobParameters.PARALLELISM, Integer.toString(parallelism));
            values.put(JobParameters.LIST_FLUSH_INTERVAL, options.listFlushInterval);
            values.put(JobParameters.SINK_OPS_PER_SECOND, JobRun.NO_QUOTA_BUDGET);
            JobParameters params = JobParameters.from(values);
            String jobName = "bench-dynamodb-p" + parallelism;
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism,
                    JobRun.clusterConfiguration(jobName, false));
            env.enableCheckpointing(options.checkpointIntervalMillis);
            OrderCacheSyncPipeline.configure(env, params);
            OrderCacheSyncPipeline.build(env, params);
            DynamoDbRoute route = new DynamoDbRoute(recording.size(), jobName, params, env.executeAsync(jobName), ddb);
            route.awaitSourceReading();
            return route;
        } catch (Exception | Error e) {
            ddb.close();
            throw e;
        }
    }

    /** Writes an item the job skips and waits until it has, so the timed writes find the source polling. */
    private void awaitSourceReading() throws Exception {
        Map<String, AttributeValue> profile = new LinkedHashMap<>();
        profile.put(OrderTable.PK, OrderTable.s("warm-up-customer"));
        profile.put(OrderTable.SK, OrderTable.s(OrderTable.SK_METADATA));
        profile.put(OrderTable.TYPE, OrderTable.s(OrderTable.TYPE_CUSTOMER));
        dynamoDb.client().putItem(PutItemRequest.builder().tableName(TABLE).item(profile).build());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (BenchMetrics.sum(jobName, "nonOrderItemsSkipped") < 1) {
            JobRun.requireRunning(client, jobName);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job's DynamoDB source did not start reading");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Writes wave after wave at the recorded pace, one write at a time and at most {@link #MAX_WRITES_PER_SECOND}:
     * moto is one Python process, and once writers saturate it (about 120 requests per second on 2 cores), the
     * source's GetRecords waits behind them, and the freshness measured would be moto's queue, not the job's.
     */
    void writeAtPace(Recording recording, long waveIntervalNanos) throws Exception {
        DynamoDbClient ddb = dynamoDb.client();
        long start = System.nanoTime();
        long gap = TimeUnit.SECONDS.toNanos(1) / MAX_WRITES_PER_SECOND;
        long nextWrite = start;
        for (Change c : recording.changes) {
            long due = Math.max(start + c.wave * waveIntervalNanos, nextWrite);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            nextWrite = System.nanoTime() + gap;
            write(ddb, c);
            acknowledged[c.index] = System.nanoTime();
        }
    }

    private static void write(DynamoDbClient ddb, Change c) {
        if (c.after == null) {
            Map<String, AttributeValue> key = new HashMap<>();
            key.put(OrderTable.PK, OrderTable.s(c.orderId));
            key.put(OrderTable.SK, OrderTable.s(OrderTable.SK_METADATA));
            ddb.deleteItem(DeleteItemRequest.builder().tableName(TABLE).key(key).build());
        } else {
            ddb.putItem(PutItemRequest.builder().tableName(TABLE).item(item(c.after)).build());
        }
    }

    private static Map<String, AttributeValue> item(Order o) {
        List<AttributeValue> items = new ArrayList<>();
        for (OrderItem i : o.items) {
            items.add(OrderTable.pizza(i.size, i.crust, i.sauce, Arrays.asList(i.toppings)));
        }
        return OrderTable.order(o.id, o.creator, o.createdAt, o.status, items, o.lastUpdated);
    }

    /** Waits until the cache has been quiet for a second and equals the contract; fails loudly otherwise. */
    void awaitConverged(WriteLog.CacheWrites writes, Supplier<Map<String, String>> expected,
                        Supplier<Map<String, String>> actual, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Map<String, String> lastExpected = null;
        Map<String, String> lastActual = null;
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            JobRun.requireRunning(client, jobName);
            if (System.nanoTime() - writes.lastNanos.get() < TimeUnit.SECONDS.toNanos(1)) {
                continue;
            }
            lastExpected = expected.get();
            lastActual = actual.get();
            if (lastExpected.equals(lastActual)) {
                return;
            }
        }
        throw new IllegalStateException("job " + jobName + ": the cache did not reach the contract within " + timeoutMillis
                + " ms. " + JobRun.difference(lastExpected, lastActual));
    }

    /**
     * The real source delivers at least once, so a record read twice is dropped as stale by the sequencer, which is
     * its job; every change must still be applied exactly once.
     */
    String checkEveryChangeApplied(int changes) {
        long applied = BenchMetrics.sum(jobName, "changesApplied");
        long stale = BenchMetrics.sum(jobName, "staleChangesDropped");
        long dead = BenchMetrics.sum(jobName, "deadLetters");
        if (applied != changes || dead != 0) {
            throw new IllegalStateException("job " + jobName + " applied " + applied + " of " + changes
                    + " changes (" + stale + " dropped as stale, " + dead + " dead letters)");
        }
        return "job " + jobName + " (moto DynamoDB, real source): applied " + applied + " of " + changes
                + " changes, 0 dead letters, " + stale + " records delivered again and dropped as stale";
    }

    @Override
    public void close() throws Exception {
        try {
            JobRun.cancelIfRunning(client);
        } finally {
            dynamoDb.close();
        }
    }
}
