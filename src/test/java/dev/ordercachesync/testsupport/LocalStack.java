package dev.ordercachesync.testsupport;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.localmomento.LoopbackMomentoServer;

import java.util.HashMap;
import java.util.Map;

/**
 * moto with the workshop table, plus the loopback Momento server: everything the job talks
 * to, on loopback, in this JVM. Used by end-to-end tests and by the local run.
 */
public final class LocalStack implements AutoCloseable {
    public static final String TABLE = "OrderTable";
    public static final String CACHE = "pizza";

    public final EmbeddedDynamoDb dynamoDb;
    public final LoopbackMomentoServer momento;
    /** Null when the table was created without its stream. */
    public final String streamArn;

    private LocalStack(EmbeddedDynamoDb dynamoDb, LoopbackMomentoServer momento, String streamArn) {
        this.dynamoDb = dynamoDb;
        this.momento = momento;
        this.streamArn = streamArn;
    }

    public static LocalStack start() {
        return start(true);
    }

    /** With {@code withStream} false, the table has no stream yet: items written before it is enabled are in none. */
    public static LocalStack start(boolean withStream) {
        EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start();
        try {
            String arn = ddb.createOrderTable(TABLE, withStream);
            LoopbackMomentoServer momento = LoopbackMomentoServer.builder().cache(CACHE).build().start();
            return new LocalStack(ddb, momento, arn);
        } catch (RuntimeException e) {
            ddb.close();
            throw e;
        }
    }

    /** Parameters that point the job at this stack, tuned for quick local feedback. */
    public Map<String, String> jobParameters() {
        Map<String, String> p = new HashMap<>();
        // The table is named by the stream ARN when there is one, so a test may point the job at another table's.
        if (streamArn != null) {
            p.put(JobParameters.STREAM_ARN, streamArn);
        } else {
            p.put(JobParameters.TABLE_NAME_PARAM, TABLE);
        }
        p.put(JobParameters.AWS_REGION, "us-east-1");
        p.put(JobParameters.AWS_ENDPOINT, dynamoDb.endpoint().toString());
        p.put(JobParameters.AWS_CREDENTIALS, "local-dummy");
        p.put(JobParameters.SHARD_DISCOVERY_INTERVAL, "1s");
        p.put(JobParameters.MOMENTO_CACHE_NAME, CACHE);
        p.put(JobParameters.MOMENTO_LOCAL_ENDPOINT, LoopbackMomentoServer.HOST + ":" + momento.port());
        p.put(JobParameters.LIST_FLUSH_INTERVAL, "100ms");
        return p;
    }

    public Map<String, String> cacheContents() {
        return momento.snapshot(CACHE);
    }

    @Override
    public void close() {
        try {
            momento.close();
        } finally {
            dynamoDb.close();
        }
    }
}
