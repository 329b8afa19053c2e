package dev.ordercachesync.verify;

import dev.ordercachesync.aws.DynamoDbClients;
import dev.ordercachesync.sink.MomentoConnection;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code verify}: checks a live cache against its table, read-only, and exits 0 (consistent), 1
 * (divergent keys, each printed with a short diff) or 2 (some keys could not be judged, or bad options).
 * Needs no Flink classes, so it runs from the shaded jar plus slf4j (see README.md).
 */
public final class VerifyCommand {
    /** A get never waits for a TTL; this only satisfies the client's constructor. */
    private static final Duration UNUSED_TTL = Duration.ofMinutes(1);
    private static final int CACHE_READ_ATTEMPTS = 5;

    private VerifyCommand() {}

    public static void main(String[] args) {
        // Library logs (AWS SDK, gRPC) only when something is wrong; a binding's own setting wins.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a check and returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        VerifyOptions options;
        try {
            options = VerifyOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(VerifyOptions.usage());
            return VerifyReport.INCOMPLETE;
        }
        try {
            VerifyReport report = verify(options);
            report.print(out, options.table, options.cacheDescription());
            return report.exitStatus();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("verify: interrupted");
            return VerifyReport.INCOMPLETE;
        } catch (RuntimeException e) {
            // Messages of our own and of the SDKs name resources, never the API key (it is never passed on).
            err.println("verify: could not complete the check: " + e);
            return VerifyReport.INCOMPLETE;
        }
    }

    /** The check itself, for callers that print the report themselves (the local demo). */
    public static VerifyReport verify(VerifyOptions options) throws InterruptedException {
        try (DynamoDbClient dynamoDb = dynamoDbClient(options);
             CacheReader cache = new MomentoCacheReader(momento(options).openClient(), options.momentoCacheName,
                     options.cacheReadConcurrency, options.cacheReadsPerSecond, CACHE_READ_ATTEMPTS)) {
            TableReader table = new DynamoDbTableReader(dynamoDb, options.table, options.scanSegments,
                    options.scanPageSize, options.consistentRead, options.scanReadUnitsPerSecond);
            return new CacheVerifier(table, cache, options.contract, options.listMaxEntries, options.ids,
                    options.creators, options.recheckDelay, options.rechecks).run();
        }
    }

    private static MomentoConnection momento(VerifyOptions o) {
        return o.momentoLocalHost != null
                ? MomentoConnection.local(o.momentoCacheName, o.momentoLocalHost, o.momentoLocalPort,
                        o.momentoRequestTimeout, UNUSED_TTL)
                : MomentoConnection.service(o.momentoCacheName, o.momentoApiKeyEnv, o.momentoRequestTimeout, UNUSED_TTL);
    }

    private static DynamoDbClient dynamoDbClient(VerifyOptions o) {
        return DynamoDbClients.create(o.awsRegion, o.awsEndpoint, o.awsLocalDummyCredentials);
    }
}
