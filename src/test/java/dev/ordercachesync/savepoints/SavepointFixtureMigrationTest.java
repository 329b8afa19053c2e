package dev.ordercachesync.savepoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.inspect.SavepointState;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.testsupport.SavepointJobs;
import dev.ordercachesync.views.OrderSummary;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every checked-in savepoint fixture ({@code src/test/resources/savepoints/vN}, one per job version that changed
 * state) must still be readable by this version's state descriptors, and hold what its {@code expected.json}
 * says: per order the last sequence number and creator or the tombstone, per list its members, and the source's
 * shard of the fixture's stream. Reading opens the state with the current types, so a change that breaks
 * restoring an old savepoint (an incompatible type, a renamed state or uid) fails here.
 *
 * <p>The fixture's source state points at an emulator's stream that no longer exists, so the fixture is
 * checked through the State Processor API rather than by running the job on it; SavepointRestoreTest runs the
 * job through whole upgrades.
 */
class SavepointFixtureMigrationTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    static Stream<Path> fixtures() throws IOException, URISyntaxException {
        Path root = Paths.get(SavepointFixtureMigrationTest.class.getResource("/savepoints").toURI());
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> d.getFileName().toString().matches("v[0-9]+")).sorted()
                    .collect(Collectors.toList()).stream();
        }
    }

    @Test
    void thereIsAtLeastTheFirstFixture() throws Exception {
        assertThat(fixtures().map(p -> p.getFileName().toString())).contains("v1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureRestoresWithTheCurrentStateTypes(Path fixture) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(fixture.resolve("expected.json").toFile());
        SavepointState state = SavepointState.read(
                StreamExecutionEnvironment.getExecutionEnvironment(), fixture.resolve("savepoint").toString());

        Instant jobStarted = Instant.parse(expected.get("jobStartedAt").asText());
        Instant jobStopped = Instant.parse(expected.get("jobStoppedAt").asText());
        JsonNode orders = expected.get("orders");
        assertThat(state.orders.keySet()).as("orders").containsExactlyInAnyOrderElementsOf(fieldNames(orders));
        int removed = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = orders.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            SavepointState.OrderState order = state.orders.get(entry.getKey());
            JsonNode want = entry.getValue();
            if (want.has("tombstone")) {
                removed++;
                assertThat(order.lastSequence).as("removed %s", entry.getKey()).isNull();
                assertThat(order.tombstone).as("tombstone of %s", entry.getKey())
                        .isEqualTo(new BigInteger(want.get("tombstone").asText()));
                // The TTL timestamp is when the job wrote the tombstone: while the fixture's job ran.
                assertThat(order.tombstoneWrittenAt).as("tombstone time of %s", entry.getKey())
                        .isBetween(jobStarted, jobStopped);
            } else {
                assertThat(order.lastSequence).as("last sequence of %s", entry.getKey())
                        .isEqualTo(new BigInteger(want.get("lastSequence").asText()));
                assertThat(order.creator).as("creator of %s", entry.getKey()).isEqualTo(want.get("creator").asText());
                assertThat(order.tombstone).as("tombstone of live %s", entry.getKey()).isNull();
                if (want.has("order")) {
                    assertThat(order.order).as("the order %s that detail refreshes render", entry.getKey())
                            .isEqualTo(new ObjectMapper().treeToValue(want.get("order"), Order.class));
                } else {
                    assertThat(order.order).as("v1 kept no copy of order %s", entry.getKey()).isNull();
                }
            }
        }
        assertThat(removed).as("tombstones in the fixture").isPositive();

        Map<String, List<OrderSummary>> lists = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("lists").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> list = it.next();
            List<OrderSummary> members = new ArrayList<>();
            for (JsonNode member : list.getValue()) {
                members.add(json.treeToValue(member, OrderSummary.class));
            }
            lists.put(list.getKey(), members);
        }
        assertThat(lists).as("lists in the fixture").hasSizeGreaterThan(2);
        assertThat(state.lists).as("list members").isEqualTo(lists);

        assertThat(state.shards).as("source shards").isNotEmpty();
        assertThat(state.shards.values()).allSatisfy(shard -> {
            assertThat(shard.stream).isEqualTo(expected.get("streamArn").asText());
            assertThat(shard.position).as("where shard %s resumes", shard.shardId).isNotBlank();
        });
    }

    /** README promises this: max parallelism is fixed for the life of the state. */
    @Test
    void aSavepointDoesNotRestoreIntoAnotherMaxParallelism() throws Exception {
        Path v1 = fixtures().filter(p -> p.getFileName().toString().equals("v1")).findFirst().orElseThrow();
        JobParameters params = JobParameters.from(Map.of(
                JobParameters.STREAM_ARN, "arn:aws:dynamodb:us-east-1:000000000000:table/OrderTable/stream/gone",
                JobParameters.AWS_ENDPOINT, "http://127.0.0.1:9",
                JobParameters.AWS_CREDENTIALS, "local-dummy",
                JobParameters.MOMENTO_LOCAL_ENDPOINT, "127.0.0.1:9",
                JobParameters.PARALLELISM, "2",
                JobParameters.MAX_PARALLELISM, "256"));

        // Nothing listens at the endpoint: the restore must fail before anything is asked of DynamoDB.
        JobClient job = SavepointJobs.start(StreamExecutionEnvironment::getExecutionEnvironment, params,
                v1.resolve("savepoint").toString(), params.streamArn);

        assertThatThrownBy(() -> job.getJobExecutionResult().get(60, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e))
                        .contains("Max parallelism mismatch between checkpoint/savepoint state and new program")
                        .contains("with max parallelism 128 to new program with max parallelism 256"));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
