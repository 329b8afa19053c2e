package dev.ordercachesync.job;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.localmomento.LoopbackMomentoServer;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.testsupport.ItemKey;
import dev.ordercachesync.testsupport.JobMetrics;
import dev.ordercachesync.testsupport.JobUnderTest;
import dev.ordercachesync.testsupport.LocalStack;
import dev.ordercachesync.testsupport.MiniClusters;
import dev.ordercachesync.testsupport.OrderWorkload;
import dev.ordercachesync.testsupport.TableOrders;
import dev.ordercachesync.testsupport.WorkloadStep;
import dev.ordercachesync.views.CacheContract;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job fails three times mid-workload (an exception thrown inside the sink task) and restarts from
 * its checkpoints. The cache must end equal to the contract, and no order's view may have moved to an
 * older version except by replaying values already written since the last checkpoint.
 */
class FailoverEndToEndTest {
    private static final int PARALLELISM = MiniClusters.PARALLELISM;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(MiniClusters.withParallelism(PARALLELISM));

    @Test
    void convergesAfterRepeatedTaskFailuresWithoutMovingAnyOrderBackwards() throws Exception {
        FailingSink.arm(300, 900, 1500);
        try (LocalStack stack = LocalStack.start()) {
            JobParameters params = JobUnderTest.parameters(stack, PARALLELISM);
            JobClient job = JobUnderTest.start(params, Duration.ofMillis(300), 10, FailingSink::new);
            try {
                JobUnderTest.awaitBootstrapComplete(MINI_CLUSTER.getClientConfiguration(), job, params);
                OrderWorkload workload = OrderWorkload.standard();
                workload.run(stack.dynamoDb.client(), LocalStack.TABLE);
                Map<String, String> cache = JobUnderTest.awaitConvergence(stack, params, Duration.ofSeconds(180));

                assertThat(FailingSink.FAILURES.get()).as("injected failures").isEqualTo(3);
                assertThat(cache).containsExactlyInAnyOrderEntriesOf(JobUnderTest.expectedFromTable(stack, params).get());
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
                JobMetrics metrics = new JobMetrics(MINI_CLUSTER.getClientConfiguration(), job.getJobID());
                assertThat(metrics.jobMetricReaching("numRestarts", 3)).isGreaterThanOrEqualTo(3);

                assertNoOrderMovedBackwards(stack, params.cacheContract(), workload, FailingSink.FAILURES.get());
                // Exactly-once checkpoints restore state and shard positions together, so replays are
                // normally not stale; the count is reported for the record, the history check above decides.
                System.out.println("stale changes dropped since the last restart: "
                        + metrics.operatorMetricSum("staleChangesDropped"));
            } finally {
                job.cancel().get();
            }
        }
    }

    /**
     * For every order, the versions its detail view took (from replaying the workload) are numbered.
     * In the server's write history of the detail key, every value must be a real version, and the
     * history must split into at most one increasing run per attempt of the job: within an attempt the
     * cache only moves forward; a restart may replay from the last checkpoint's version once.
     */
    private static void assertNoOrderMovedBackwards(LocalStack stack, CacheContract contract, OrderWorkload workload,
                                                    int restarts) {
        Map<String, List<String>> versions = detailVersions(contract, workload.steps());
        int checked = 0;
        for (Map.Entry<String, List<String>> e : versions.entrySet()) {
            List<String> history = stack.momento.writeHistory(LocalStack.CACHE, contract.detailKey(e.getKey()));
            List<String> known = e.getValue();
            int previous = -1;
            int descents = 0;
            for (String value : history) {
                if (value.equals(LoopbackMomentoServer.DELETED)) {
                    continue;
                }
                int index = known.indexOf(value);
                assertThat(index).as("order %s: every value written is a real version", e.getKey()).isNotNegative();
                if (index < previous) {
                    descents++;
                }
                previous = index;
            }
            assertThat(descents).as("order %s: backward steps beyond one replay per restart, history %s", e.getKey(), history)
                    .isLessThanOrEqualTo(restarts);
            checked++;
        }
        assertThat(checked).isEqualTo(workload.orderCount());
    }

    /** Each order's successive detail values, in the order the workload produced them. */
    private static Map<String, List<String>> detailVersions(CacheContract contract, List<WorkloadStep> steps) {
        Map<ItemKey, Map<String, AttributeValue>> table = new TreeMap<>();
        Map<String, List<String>> versions = new HashMap<>();
        for (WorkloadStep step : steps) {
            step.applyTo(table);
            Map<String, AttributeValue> item = table.get(step.key());
            if (item == null) {
                continue;
            }
            List<Order> orders = TableOrders.fromScan(Collections.singletonList(item));
            if (orders.isEmpty()) {
                continue;
            }
            Order order = orders.get(0);
            List<String> list = versions.computeIfAbsent(order.id, id -> new ArrayList<>());
            String rendered = contract.renderDetail(order);
            if (list.isEmpty() || !list.get(list.size() - 1).equals(rendered)) {
                list.add(rendered);
            }
        }
        return versions;
    }

    /** Wraps the Momento sink and throws inside the sink task at planned write counts, once each. */
    static final class FailingSink implements Sink<CacheMutation> {
        private static final long serialVersionUID = 1L;
        static final AtomicLong WRITES = new AtomicLong();
        static final AtomicInteger FAILURES = new AtomicInteger();
        static final Set<Long> FAIL_AT = ConcurrentHashMap.newKeySet();

        private final Sink<CacheMutation> inner;

        FailingSink(Sink<CacheMutation> inner) {
            this.inner = inner;
        }

        static void arm(long... writeCounts) {
            WRITES.set(0);
            FAILURES.set(0);
            FAIL_AT.clear();
            for (long n : writeCounts) {
                FAIL_AT.add(n);
            }
        }

        @Override
        public SinkWriter<CacheMutation> createWriter(WriterInitContext context) throws IOException {
            return new Writer(inner.createWriter(context));
        }

        @Override
        @Deprecated
        public SinkWriter<CacheMutation> createWriter(InitContext context) throws IOException {
            return new Writer(inner.createWriter(context));
        }

        private static final class Writer implements SinkWriter<CacheMutation> {
            private final SinkWriter<CacheMutation> inner;

            Writer(SinkWriter<CacheMutation> inner) {
                this.inner = inner;
            }

            @Override
            public void write(CacheMutation mutation, Context context) throws IOException, InterruptedException {
                long n = WRITES.incrementAndGet();
                if (FAIL_AT.remove(n)) {
                    FAILURES.incrementAndGet();
                    throw new IllegalStateException("injected failure at write " + n);
                }
                inner.write(mutation, context);
            }

            @Override
            public void flush(boolean endOfInput) throws IOException, InterruptedException {
                inner.flush(endOfInput);
            }

            @Override
            public void close() throws Exception {
                inner.close();
            }
        }
    }
}
