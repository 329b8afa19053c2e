package dev.ordercachesync.e2e;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.sink.MomentoConnection;
import dev.ordercachesync.testsupport.CacheConvergence;
import dev.ordercachesync.testsupport.EmbeddedDynamoDb;
import dev.ordercachesync.testsupport.LocalStack;
import dev.ordercachesync.testsupport.OrderTable;
import dev.ordercachesync.testsupport.OrderTableAdmin;
import dev.ordercachesync.testsupport.OrderWorkload;
import dev.ordercachesync.testsupport.TableOrders;
import dev.ordercachesync.testsupport.WorkloadStep;
import dev.ordercachesync.views.CacheContract;
import momento.sdk.CacheClient;
import momento.sdk.responses.cache.GetResponse;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The local-cluster end-to-end script's hands and eyes, run as its own process:
 * <pre>
 * write --dynamodb URL --part K --parts N [--table T --orders N --seed S]
 *                                             writes the K-th of N slices of an order workload (the standard one)
 * check --dynamodb URL --momento HOST:PORT --inspect URL [--timeout SECONDS] [--table T --cache C --orders N --seed S]
 * create-table --dynamodb URL --table T       creates the orders table without its stream
 * enable-stream --dynamodb URL --table T      enables its stream and prints stream-arn=ARN
 * restore-table --dynamodb URL --table T      deletes the table and creates it again, without a stream, holding the
 *                                             same items (as a restore from a backup would: in no stream)
 * create-cache --dynamodb URL --momento HOST:PORT --cache C
 *                                             creates an empty cache on the loopback server
 * quota-check --dynamodb URL --momento HOST:PORT --inspect URL --within SECONDS --max-refused-per-served RATIO
 * </pre>
 * {@code check} waits until the cache equals what the contract computes from a scan of the table (the
 * oracle), key for key with nothing extra, then reads every expected key through the Momento SDK's get,
 * and checks that keys of deleted orders and of creators without orders miss. {@code quota-check}, run as soon as
 * traffic stops against a server started with a quota, requires the cache to equal the contract within the bound,
 * the quota to have refused some calls but at most the given share of those it served; then it lifts the quota
 * and runs {@code check}. Exit status 0 on success.
 */
public final class ClusterE2eDriver {
    private static final PrintStream OUT = System.out;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIST_MAX_ENTRIES = 5000;
    private static final List<String> NEVER_USED_CREATORS = List.of("10.0.0.1", "customer-00");

    private ClusterE2eDriver() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: write|check ...");
        }
        int status;
        try (DynamoDbClient ddb = dynamoDb(ReadyFile.arg(args, "dynamodb"))) {
            String table = ReadyFile.arg(args, "table", LocalStack.TABLE);
            switch (args[0]) {
                case "write":
                    status = write(ddb, table, workload(args), Integer.parseInt(ReadyFile.arg(args, "part")),
                            Integer.parseInt(ReadyFile.arg(args, "parts")));
                    break;
                case "check":
                    status = check(ddb, table, ReadyFile.arg(args, "cache", LocalStack.CACHE), workload(args),
                            ReadyFile.arg(args, "momento"), ReadyFile.arg(args, "inspect"),
                            Duration.ofSeconds(Long.parseLong(ReadyFile.arg(args, "timeout", "120"))));
                    break;
                case "create-table":
                    new OrderTableAdmin(ddb).create(table, false);
                    OUT.println("Created table " + table + " without a stream");
                    status = 0;
                    break;
                case "enable-stream":
                    OUT.println("stream-arn=" + new OrderTableAdmin(ddb).enableStream(table));
                    status = 0;
                    break;
                case "restore-table":
                    OUT.println("Re-created table " + table + " with its " + new OrderTableAdmin(ddb).recreate(table)
                            + " items and no stream");
                    status = 0;
                    break;
                case "create-cache":
                    status = createCache(ReadyFile.arg(args, "momento"), ReadyFile.arg(args, "cache"));
                    break;
                case "quota-check":
                    status = quotaCheck(ddb, ReadyFile.arg(args, "momento"), ReadyFile.arg(args, "inspect"),
                            Duration.ofSeconds(Long.parseLong(ReadyFile.arg(args, "within"))),
                            Double.parseDouble(ReadyFile.arg(args, "max-refused-per-served")));
                    break;
                default:
                    throw new IllegalArgumentException("unknown command " + args[0]);
            }
        }
        System.exit(status);
    }

    private static OrderWorkload workload(String[] args) {
        String orders = ReadyFile.arg(args, "orders", null);
        return orders == null ? OrderWorkload.standard()
                : new OrderWorkload(Integer.parseInt(orders), OrderWorkload.DEFAULT_CREATORS,
                        Long.parseLong(ReadyFile.arg(args, "seed", Long.toString(OrderWorkload.DEFAULT_SEED))));
    }

    private static int createCache(String momento, String cache) throws Exception {
        String[] hostPort = momento.split(":");
        MomentoConnection connection = MomentoConnection.local(cache, hostPort[0], Integer.parseInt(hostPort[1]),
                Duration.ofSeconds(5), Duration.ofHours(1));
        try (CacheClient client = connection.openClient()) {
            OUT.println("create-cache " + cache + ": " + client.createCache(cache).get(10, TimeUnit.SECONDS));
        }
        return 0;
    }

    private static int write(DynamoDbClient ddb, String table, OrderWorkload workload, int part, int parts) {
        int size = workload.steps().size();
        int from = size * (part - 1) / parts;
        int to = size * part / parts;
        OrderWorkload.Summary summary = workload.run(ddb, table, from, to);
        OUT.println("Wrote workload steps " + from + ".." + (to - 1) + " of " + size + ": " + summary);
        return 0;
    }

    private static int quotaCheck(DynamoDbClient ddb, String momento, String inspect, Duration within, double maxRefusedPerServed)
            throws Exception {
        long start = System.nanoTime();
        CacheContract contract = CacheContract.defaults();
        Map<String, String> cache = CacheConvergence.awaitEqual(() -> contract.expectedCache(tableOrders(ddb, LocalStack.TABLE), LIST_MAX_ENTRIES),
                () -> snapshot(inspect, LocalStack.CACHE), within, Duration.ofSeconds(2));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!cache.equals(contract.expectedCache(tableOrders(ddb, LocalStack.TABLE), LIST_MAX_ENTRIES))) {
            OUT.printf(Locale.ROOT, "FAILED: the cache did not equal the contract within %d s of the traffic's end (%s).%n",
                    within.getSeconds(), quota(inspect, null));
            return 1;
        }
        Map<String, Long> stats = quota(inspect, null);
        long served = stats.get("callsAdmitted");
        long refused = stats.get("callsRefused");
        double ratio = served == 0 ? 0 : (double) refused / served;
        OUT.printf(Locale.ROOT, "Converged %.1f s after the traffic stopped (bound %d s, 2 s of it the stability check); "
                        + "Momento served %d calls (%d metered operations) and refused %d for the quota: %.1f%% of those served (at most %.0f%%).%n",
                seconds, within.getSeconds(), served, stats.get("operationsAdmitted"), refused, 100 * ratio, 100 * maxRefusedPerServed);
        int problems = 0;
        if (refused == 0) {
            problems++;
            OUT.println("FAILED: the quota refused nothing, so it did not limit the job; lower it.");
        }
        if (ratio > maxRefusedPerServed) {
            problems++;
            OUT.println("FAILED: too many refused calls.");
        }
        // The check reads every key through the SDK; the quota's part is over.
        quota(inspect, 0);
        return (check(ddb, LocalStack.TABLE, LocalStack.CACHE, OrderWorkload.standard(), momento, inspect,
                Duration.ofSeconds(30)) + problems) == 0 ? 0 : 1;
    }

    /** The quota's counts; sets it anew first unless {@code ops} is null. */
    private static Map<String, Long> quota(String inspect, Integer ops) throws IOException {
        HttpURLConnection http = (HttpURLConnection) new URL(inspect + "/quota" + (ops == null ? "" : "?ops=" + ops)).openConnection();
        if (ops != null) {
            http.setRequestMethod("POST");
        }
        try (InputStream in = http.getInputStream()) {
            return JSON.readValue(in, new TypeReference<TreeMap<String, Long>>() { });
        } finally {
            http.disconnect();
        }
    }

    private static int check(DynamoDbClient ddb, String table, String cacheName, OrderWorkload workload, String momento,
                             String inspect, Duration timeout) throws Exception {
        CacheContract contract = CacheContract.defaults();
        Map<String, String> cache = CacheConvergence.awaitEqual(
                () -> contract.expectedCache(tableOrders(ddb, table), LIST_MAX_ENTRIES), () -> snapshot(inspect, cacheName),
                timeout, Duration.ofSeconds(2));
        List<Order> orders = tableOrders(ddb, table);
        Map<String, String> expected = contract.expectedCache(orders, LIST_MAX_ENTRIES);
        int problems = 0;

        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(cache.keySet());
        for (String key : keys) {
            if (!expected.containsKey(key)) {
                problems++;
                OUT.println("UNEXPECTED KEY " + key + " = " + cache.get(key));
            } else if (!expected.get(key).equals(cache.get(key))) {
                problems++;
                OUT.println("DIVERGENT " + key + "\n  expected: " + expected.get(key) + "\n  actual:   " + cache.get(key));
            }
        }

        // The same through the client the job's readers use.
        Set<String> live = new TreeSet<>();
        Set<String> creatorsWithOrders = new TreeSet<>();
        for (Order o : orders) {
            live.add(o.id);
            creatorsWithOrders.add(o.creator);
        }
        List<String> mustMiss = new ArrayList<>();
        int deleted = 0;
        for (String id : workload.orderIds()) {
            if (!live.contains(id)) {
                mustMiss.add(contract.detailKey(id));
                mustMiss.add(contract.adminDetailKey(id));
                deleted++;
            }
        }
        // Creators the workload ever named (some lose their last order to a delete or a creator change),
        // plus two it never names.
        Set<String> creators = new TreeSet<>(NEVER_USED_CREATORS);
        for (WorkloadStep step : workload.steps()) {
            AttributeValue creator = step.attributes() == null ? null : step.attributes().get(OrderTable.CREATOR);
            if (creator != null && creator.s() != null) {
                creators.add(creator.s());
            }
        }
        int absentCreators = 0;
        for (String creator : creators) {
            if (!creatorsWithOrders.contains(creator)) {
                mustMiss.add(contract.creatorListKey(creator));
                absentCreators++;
            }
        }
        String[] hostPort = momento.split(":");
        MomentoConnection connection = MomentoConnection.local(cacheName, hostPort[0], Integer.parseInt(hostPort[1]),
                Duration.ofSeconds(5), Duration.ofHours(1));
        try (CacheClient client = connection.openClient()) {
            for (Map.Entry<String, String> e : expected.entrySet()) {
                GetResponse r = client.get(cacheName, e.getKey()).get(10, TimeUnit.SECONDS);
                if (!(r instanceof GetResponse.Hit) || !((GetResponse.Hit) r).valueString().equals(e.getValue())) {
                    problems++;
                    OUT.println("SDK GET " + e.getKey() + " returned " + describe(r) + ", expected " + e.getValue());
                }
            }
            for (String key : mustMiss) {
                GetResponse r = client.get(cacheName, key).get(10, TimeUnit.SECONDS);
                if (!(r instanceof GetResponse.Miss)) {
                    problems++;
                    OUT.println("SDK GET " + key + " should miss but returned " + describe(r));
                }
            }
        }
        if (orders.isEmpty()) {
            problems++;
            OUT.println("The table holds no order: the workload was not written.");
        }
        OUT.println(problems == 0
                ? "OK: the cache holds exactly the " + expected.size() + " keys the contract computes from the table's "
                        + orders.size() + " orders, each read back through the SDK; keys of " + deleted
                        + " deleted or not yet created orders and of " + absentCreators + " creators without orders miss."
                : "FAILED: " + problems + " problems (" + expected.size() + " keys expected).");
        return problems == 0 ? 0 : 1;
    }

    private static String describe(GetResponse r) {
        if (r instanceof GetResponse.Hit) {
            return ((GetResponse.Hit) r).valueString();
        }
        return r instanceof GetResponse.Miss ? "a miss" : r.toString();
    }

    private static List<Order> tableOrders(DynamoDbClient ddb, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = ddb.scan(r -> r.tableName(table).consistentRead(true).exclusiveStartKey(from));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return TableOrders.fromScan(items);
    }

    private static Map<String, String> snapshot(String inspect, String cacheName) {
        try (InputStream in = new URL(inspect + "/caches/" + cacheName).openStream()) {
            return JSON.readValue(in, new TypeReference<TreeMap<String, String>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the cache through " + inspect, e);
        }
    }

    private static DynamoDbClient dynamoDb(String endpoint) {
        return DynamoDbClient.builder()
                .region(EmbeddedDynamoDb.REGION)
                .endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedDynamoDb.ACCESS_KEY_ID, EmbeddedDynamoDb.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
