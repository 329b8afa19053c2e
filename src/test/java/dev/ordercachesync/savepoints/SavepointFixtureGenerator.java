package dev.ordercachesync.savepoints;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.testsupport.CacheConvergence;
import dev.ordercachesync.testsupport.LocalStack;
import dev.ordercachesync.testsupport.OrderStream;
import dev.ordercachesync.testsupport.OrderWorkload;
import dev.ordercachesync.testsupport.SavepointJobs;
import dev.ordercachesync.testsupport.TableOrders;
import dev.ordercachesync.views.CacheContract;
import dev.ordercachesync.views.OrderSummary;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Makes a savepoint fixture: the current job at parallelism 2 over a small fixed workload (moto,
 * loopback Momento), stopped with a canonical savepoint once the cache equals the contract. Writes
 * {@code <dir>/savepoint/} and {@code <dir>/expected.json}: what the state must hold, taken from the table
 * and the stream (never from the job), so the migration test has an independent oracle.
 *
 * <p>{@code mvn -q test-compile exec:exec@savepoint-fixture -Dfixture.dir=src/test/resources/savepoints/v2}
 */
public final class SavepointFixtureGenerator {
    /** 16 orders over 4 creators: tombstones, completed and open orders, several lists, in a few kB. */
    static final int ORDERS = 16;
    static final int CREATORS = 4;
    static final long SEED = 4L;
    static final int PARALLELISM = 2;

    private SavepointFixtureGenerator() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !Paths.get(args[0]).getFileName().toString().matches("v[0-9]+")) {
            System.err.println("usage: SavepointFixtureGenerator <fixture directory named vN, e.g. src/test/resources/savepoints/v2>");
            System.exit(2);
        }
        Path dir = Paths.get(args[0]).toAbsolutePath();
        if (Files.exists(dir.resolve("savepoint"))) {
            System.err.println(dir + " already holds a fixture; fixtures are never regenerated in place: pick a new version");
            System.exit(2);
        }
        generate(dir);
        System.exit(0);
    }

    static void generate(Path dir) throws Exception {
        OrderWorkload workload = new OrderWorkload(ORDERS, CREATORS, SEED);
        try (LocalStack stack = LocalStack.start()) {
            Map<String, String> values = stack.jobParameters();
            values.put(JobParameters.PARALLELISM, Integer.toString(PARALLELISM));
            JobParameters params = JobParameters.from(values);
            CacheContract contract = params.cacheContract();
            Supplier<Map<String, String>> expected = () -> contract.expectedCache(
                    TableOrders.fromScan(stack.dynamoDb.scanAll(LocalStack.TABLE)), params.listMaxEntries);

            Path work = Files.createTempDirectory("savepoint-fixture");
            Instant started = Instant.now();
            JobClient job = SavepointJobs.start(SavepointFixtureGenerator::localEnvironment, params, null);
            String savepoint;
            try {
                workload.run(stack.dynamoDb.client(), LocalStack.TABLE);
                Map<String, String> cache = CacheConvergence.awaitEqual(
                        expected, stack::cacheContents, Duration.ofSeconds(60), Duration.ofSeconds(1));
                if (!cache.equals(expected.get())) {
                    throw new IllegalStateException("The cache did not converge; no fixture written");
                }
                savepoint = SavepointJobs.stopWithSavepoint(job, work);
            } catch (Exception e) {
                job.cancel();
                throw e;
            }
            Instant stopped = Instant.now();

            Files.createDirectories(dir);
            copyTree(Paths.get(java.net.URI.create(savepoint)), dir.resolve("savepoint"));
            OrderStream stream = OrderStream.read(stack.dynamoDb.streamsClient(), stack.streamArn);
            ObjectNode manifest = manifest(workload, stack.streamArn, stream,
                    TableOrders.fromScan(stack.dynamoDb.scanAll(LocalStack.TABLE)), started, stopped);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(dir.resolve("expected.json").toFile(), manifest);
            System.out.println("Fixture written to " + dir + " (" + size(dir) + " bytes)");
        }
    }

    private static StreamExecutionEnvironment localEnvironment(Configuration conf) {
        // All state inline in _metadata: one small file to check in.
        conf.set(CheckpointingOptions.FS_SMALL_FILE_THRESHOLD, MemorySize.parse("1mb"));
        return StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM, conf);
    }

    private static ObjectNode manifest(OrderWorkload workload, String streamArn, OrderStream stream, List<Order> live,
                                       Instant started, Instant stopped) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("flinkVersion", EnvironmentInformation.getVersion());
        root.put("parallelism", PARALLELISM);
        root.put("maxParallelism", 128);
        ObjectNode w = root.putObject("workload");
        w.put("orders", workload.orderCount());
        w.put("creators", workload.creatorCount());
        w.put("seed", workload.seed());
        root.put("streamArn", streamArn);
        root.put("jobStartedAt", started.toString());
        root.put("jobStoppedAt", stopped.toString());

        Map<String, Order> liveById = new TreeMap<>();
        live.forEach(o -> liveById.put(o.id, o));
        ObjectNode orders = root.putObject("orders");
        for (OrderStream.Change last : stream.lastChangePerOrder().values()) {
            ObjectNode order = orders.putObject(last.orderId);
            if (last.isRemove()) {
                order.put("tombstone", last.sequence.toString());
            } else {
                order.put("lastSequence", last.sequence.toString());
                order.put("creator", liveById.get(last.orderId).creator);
                // From v2 on, the sequencer keeps the order itself, so it can refresh the detail views.
                order.set("order", json.valueToTree(liveById.get(last.orderId)));
            }
        }

        Map<String, List<OrderSummary>> lists = new TreeMap<>();
        for (Order order : liveById.values()) {
            if (CacheContract.listedInAllOrders(order.status)) {
                lists.computeIfAbsent(CacheContract.DEFAULT_ALL_ORDERS_KEY, k -> new ArrayList<>()).add(CacheContract.summaryOf(order));
            }
            lists.computeIfAbsent(order.creator, k -> new ArrayList<>()).add(CacheContract.summaryOf(order));
        }
        ObjectNode listsNode = root.putObject("lists");
        for (Map.Entry<String, List<OrderSummary>> list : lists.entrySet()) {
            ArrayNode members = listsNode.putArray(list.getKey());
            list.getValue().sort(Comparator.comparing(m -> m.id));
            for (OrderSummary m : list.getValue()) {
                members.add(json.valueToTree(m));
            }
        }
        return root;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
