package dev.ordercachesync.local;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.job.OrderCacheSyncJob;
import dev.ordercachesync.job.OrderCacheSyncPipeline;
import dev.ordercachesync.testsupport.CacheConvergence;
import dev.ordercachesync.testsupport.LocalStack;
import dev.ordercachesync.testsupport.SampleOrders;
import dev.ordercachesync.testsupport.JobUnderTest;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The job on embedded defaults, no AWS account: DynamoDB Local in-process with the workshop table, the
 * loopback Momento server, and the job on a local Flink mini cluster. Writes sample orders, prints the
 * cache views, checks them against the table and exits (status 1 if they differ).
 */
public final class LocalRun {
    private static final PrintStream OUT = System.out;

    private LocalRun() {}

    public static void main(String[] args) throws Exception {
        int status;
        try (LocalStack stack = LocalStack.start()) {
            status = run(stack);
        }
        System.exit(status);
    }

    private static int run(LocalStack stack) throws Exception {
        Map<String, String> values = stack.jobParameters();
        values.put(JobParameters.PARALLELISM, "2");
        JobParameters params = JobParameters.from(values);
        OUT.println("DynamoDB Local:   " + stack.dynamoDb.endpoint() + "  table " + LocalStack.TABLE);
        OUT.println("                  stream " + stack.streamArn);
        OUT.println("Loopback Momento: 127.0.0.1:" + stack.momento.port() + "  cache " + LocalStack.CACHE);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, new Configuration());
        env.enableCheckpointing(2_000);
        OrderCacheSyncPipeline.configure(env, params);
        OrderCacheSyncPipeline.build(env, params);
        JobClient job = env.executeAsync(OrderCacheSyncJob.JOB_NAME);
        OUT.println("Flink job " + job.getJobID() + " running at parallelism 2 (full log: target/local-run.log)");
        try {
            OUT.println("Writing sample orders: create, submit, status changes, an item edit, a delete ...");
            SampleOrders.write(stack.dynamoDb.client(), LocalStack.TABLE);

            Supplier<Map<String, String>> expected = JobUnderTest.expectedFromTable(stack, params);
            Map<String, String> cache = CacheConvergence.awaitEqual(
                    expected, stack::cacheContents, Duration.ofSeconds(60), Duration.ofSeconds(1));

            OUT.println();
            OUT.println("Cache '" + LocalStack.CACHE + "' now holds " + cache.size() + " keys:");
            for (Map.Entry<String, String> e : cache.entrySet()) {
                OUT.println("  " + e.getKey() + " = " + e.getValue());
            }
            OUT.println();
            return report(expected.get(), cache);
        } finally {
            job.cancel().get();
        }
    }

    private static int report(Map<String, String> expected, Map<String, String> actual) {
        TreeSet<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        int divergent = 0;
        for (String key : keys) {
            String want = expected.get(key);
            String got = actual.get(key);
            if (want == null || !want.equals(got)) {
                divergent++;
                OUT.println("DIVERGENT " + key + "\n  expected: " + want + "\n  actual:   " + got);
            }
        }
        OUT.println(divergent == 0
                ? "OK: every one of " + expected.size() + " keys equals what the contract computes from the table."
                : "FAILED: " + divergent + " of " + keys.size() + " keys differ from the table.");
        return divergent == 0 ? 0 : 1;
    }
}
