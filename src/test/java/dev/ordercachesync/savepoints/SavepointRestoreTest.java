package dev.ordercachesync.savepoints;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.inspect.SavepointState;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.testsupport.CacheConvergence;
import dev.ordercachesync.testsupport.JobUnderTest;
import dev.ordercachesync.testsupport.LocalStack;
import dev.ordercachesync.testsupport.OrderHistory;
import dev.ordercachesync.testsupport.OrderStream;
import dev.ordercachesync.testsupport.OrderWorkload;
import dev.ordercachesync.testsupport.SavepointJobs;
import dev.ordercachesync.testsupport.TableOrders;
import dev.ordercachesync.testsupport.WorkloadStep;
import dev.ordercachesync.views.CacheContract;
import dev.ordercachesync.views.OrderSummary;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade, whole: the job runs over the first half of a workload, stops with a savepoint, and a new run
 * restores it and gets the second half. The final cache must equal the contract computed from the table, no
 * order's detail keys may ever have gone backwards, and the state the job ends with (read from a last
 * savepoint) must hold every order's last sequence number from the stream and every list's members. Cases:
 * the same parallelism, another parallelism, and a state type that gained a field.
 *
 * <p>The workload is the standard generator at 40 orders instead of 200, to keep three full runs fast.
 */
class SavepointRestoreTest {
    private static final int MAX_SLOTS = 3;
    private static final OrderWorkload WORKLOAD = new OrderWorkload(40, 6, 11L);
    private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(MAX_SLOTS)
                    .build());

    private static LocalStack stack;

    @TempDir
    Path temp;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void restoresAtTheSameParallelism() throws Exception {
        upgrade("same", 2, 2, false);
    }

    @Test
    void restoresAtAnotherParallelism() throws Exception {
        upgrade("rescaled", 2, 3, false);
    }

    /**
     * A field added to a state type. The savepoint is rewritten with the State Processor API so that the
     * sequencer's {@code AppliedOrder} state has the shape of a version without {@code creator} (see
     * {@link OldShapeSavepoint}); the current job then restores it through Flink's POJO schema evolution.
     * Rewriting keeps the source's shard positions, so the second half is read from the live stream; a
     * checked-in fixture could not offer that, and compiling a second AppliedOrder class would need a
     * separate class loader for one field.
     */
    @Test
    void restoresAfterAFieldWasAddedToAStateType() throws Exception {
        upgrade("evolved", 2, 2, true);
    }

    private void upgrade(String lane, int parallelism, int restoredParallelism, boolean fieldAdded) throws Exception {
        Instant started = Instant.now();
        String table = "Orders-" + lane;
        String streamArn = stack.dynamoDb.createOrderTable(table);
        stack.momento.createCache(lane);
        JobParameters before = params(streamArn, lane, parallelism);
        JobParameters after = params(streamArn, lane, restoredParallelism);
        CacheContract contract = before.cacheContract();
        Supplier<Map<String, String>> expected = () -> contract.expectedCache(
                TableOrders.fromScan(stack.dynamoDb.scanAll(table)), before.listMaxEntries);
        Supplier<Map<String, String>> cache = () -> stack.momento.snapshot(lane);

        String savepoint;
        JobClient job = SavepointJobs.start(StreamExecutionEnvironment::getExecutionEnvironment, before, null);
        try {
            JobUnderTest.awaitBootstrapComplete(MINI_CLUSTER.getClientConfiguration(), job, before);
            WORKLOAD.runFirstHalf(stack.dynamoDb.client(), table);
            assertThat(CacheConvergence.awaitEqual(expected, cache, CONVERGENCE_TIMEOUT, Duration.ZERO))
                    .as("cache after the first half").isEqualTo(expected.get());
            savepoint = SavepointJobs.stopWithSavepoint(job, temp.resolve("first"));
        } catch (Throwable t) {
            job.cancel();
            throw t;
        }
        if (fieldAdded) {
            savepoint = OldShapeSavepoint.withoutAppliedOrderCreator(StreamExecutionEnvironment.getExecutionEnvironment(),
                    savepoint, temp.resolve("old-shape").toUri().toString());
        }

        String last;
        JobClient restored = SavepointJobs.start(StreamExecutionEnvironment::getExecutionEnvironment, after, savepoint);
        try {
            WORKLOAD.runSecondHalf(stack.dynamoDb.client(), table);
            Map<String, String> converged = CacheConvergence.awaitEqual(
                    expected, cache, CONVERGENCE_TIMEOUT, Duration.ofMillis(500));
            assertThat(converged).as("final cache").containsExactlyInAnyOrderEntriesOf(expected.get());
            last = SavepointJobs.stopWithSavepoint(restored, temp.resolve("last"));
        } catch (Throwable t) {
            restored.cancel();
            throw t;
        }

        assertThat(OrderHistory.backwardsWrites(WORKLOAD, contract, stack.momento, lane)).as("orders that went backwards")
                .isEmpty();
        SavepointState state = SavepointState.read(StreamExecutionEnvironment.getExecutionEnvironment(), last);
        OrderStream stream = OrderStream.read(stack.dynamoDb.streamsClient(), streamArn);
        assertThat(stream.recordCount()).as("one stream record per step").isEqualTo(WORKLOAD.steps().size());
        assertOrderStateFollowsTheStream(state, stream, ordersById(table), started, fieldAdded);
        assertListStateHoldsTheTablesOrders(state, ordersById(table));
    }

    private static JobParameters params(String streamArn, String cache, int parallelism) {
        Map<String, String> values = stack.jobParameters();
        values.put(JobParameters.STREAM_ARN, streamArn);
        values.put(JobParameters.MOMENTO_CACHE_NAME, cache);
        values.put(JobParameters.PARALLELISM, Integer.toString(parallelism));
        return JobParameters.from(values);
    }

    private static Map<String, Order> ordersById(String table) {
        Map<String, Order> orders = new TreeMap<>();
        for (Order order : TableOrders.fromScan(stack.dynamoDb.scanAll(table))) {
            orders.put(order.id, order);
        }
        return orders;
    }

    /** Each order's last sequence number, creator and tombstone, as the stream and the table say. */
    private static void assertOrderStateFollowsTheStream(SavepointState state, OrderStream stream, Map<String, Order> live,
                                                         Instant started, boolean fieldAdded) {
        Map<String, OrderStream.Change> last = stream.lastChangePerOrder();
        Set<String> changedAfterRestore = stream.lastChangePerOrderFrom(WORKLOAD.splitIndex()).keySet();
        assertThat(state.orders.keySet()).as("orders in state").isEqualTo(last.keySet());
        assertThat(last.values()).as("removed orders").anyMatch(OrderStream.Change::isRemove);
        int untouchedSinceRestore = 0;
        for (OrderStream.Change change : last.values()) {
            SavepointState.OrderState order = state.orders.get(change.orderId);
            if (change.isRemove()) {
                assertThat(order.lastSequence).as("removed %s", change.orderId).isNull();
                assertThat(order.tombstone).as("tombstone of %s", change.orderId).isEqualTo(change.sequence);
                assertThat(order.tombstoneWrittenAt).as("tombstone time of %s", change.orderId)
                        .isBetween(started, Instant.now());
                continue;
            }
            assertThat(order.lastSequence).as("last sequence of %s", change.orderId).isEqualTo(change.sequence);
            assertThat(order.tombstone).as("tombstone of live %s", change.orderId).isNull();
            boolean untouched = !changedAfterRestore.contains(change.orderId);
            untouchedSinceRestore += untouched ? 1 : 0;
            // An added field is null in restored state until the order's next change writes it.
            String creator = fieldAdded && untouched ? null : live.get(change.orderId).creator;
            assertThat(order.creator).as("creator of %s", change.orderId).isEqualTo(creator);
        }
        assertThat(untouchedSinceRestore).as("live orders that only the restored state knows").isPositive();
    }

    private static void assertListStateHoldsTheTablesOrders(SavepointState state, Map<String, Order> live) {
        Map<String, List<OrderSummary>> expected = new TreeMap<>();
        for (Order order : live.values()) {
            OrderSummary summary = CacheContract.summaryOf(order);
            if (CacheContract.listedInAllOrders(order.status)) {
                expected.computeIfAbsent(CacheContract.DEFAULT_ALL_ORDERS_KEY, k -> new ArrayList<>()).add(summary);
            }
            expected.computeIfAbsent(order.creator, k -> new ArrayList<>()).add(summary);
        }
        expected.values().forEach(members -> members.sort(Comparator.comparing(m -> m.id)));
        assertThat(state.lists).as("list members in state").isEqualTo(expected);
    }

    /** The workload must exercise what the cases rely on; a change to the generator must not hollow them out. */
    @Test
    void theWorkloadCoversWhatAnUpgradeCanBreak() {
        int split = WORKLOAD.splitIndex();
        List<WorkloadStep> steps = WORKLOAD.steps();
        Set<String> seenBeforeSplit = new HashSet<>();
        for (WorkloadStep step : steps.subList(0, split)) {
            seenBeforeSplit.add(step.key().pk());
        }
        boolean creatorChangeAcrossSplit = false;
        boolean deleteAcrossSplit = false;
        for (WorkloadStep step : steps.subList(split, steps.size())) {
            boolean known = seenBeforeSplit.contains(step.key().pk());
            creatorChangeAcrossSplit |= known && step.description().equals("change creator");
            deleteAcrossSplit |= known && step.description().equals("delete order");
        }
        assertThat(creatorChangeAcrossSplit).as("an order created before the split changes creator after it").isTrue();
        assertThat(deleteAcrossSplit).as("an order created before the split is deleted after it").isTrue();
    }
}
