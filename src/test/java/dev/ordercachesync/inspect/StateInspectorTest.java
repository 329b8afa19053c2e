package dev.ordercachesync.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The inspection command over the v1 fixture, whose expected.json says what each answer must show. */
class StateInspectorTest {

    private static Path fixture;
    private static JsonNode expected;
    private static SavepointState state;

    @BeforeAll
    static void readFixture() throws Exception {
        fixture = Paths.get(StateInspectorTest.class.getResource("/savepoints/v1").toURI());
        expected = new ObjectMapper().readTree(fixture.resolve("expected.json").toFile());
        // A local environment, as when an operator runs the command with java.
        state = SavepointState.read(StreamExecutionEnvironment.createLocalEnvironment(2), fixture.resolve("savepoint").toString());
    }

    private static String run(Instant now, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = StateInspector.print(state, StateInspector.Query.parse(args), now, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return status + "\n" + bytes.toString(StandardCharsets.UTF_8);
    }

    private static String firstWith(String field) {
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("orders").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> order = it.next();
            if (order.getValue().has(field)) {
                return order.getKey();
            }
        }
        throw new AssertionError("fixture has no order with " + field);
    }

    @Test
    void oneLiveOrderShowsItsSequenceCreatorAndLists() {
        String id = firstWith("lastSequence");
        JsonNode want = expected.get("orders").get(id);
        List<String> lists = new ArrayList<>();
        expected.get("lists").fields().forEachRemaining(list -> list.getValue().forEach(member -> {
            if (member.get("id").asText().equals(id)) {
                lists.add(list.getKey() + " (" + member.get("status").asText() + ")");
            }
        }));

        String out = run(Instant.now(), "--savepoint", fixture.toString(), "--order", id);

        assertThat(out).startsWith("0\n").contains("order " + id + "  live  last-sequence " + want.get("lastSequence").asText()
                + "  creator " + want.get("creator").asText());
        assertThat(lists).isNotEmpty();
        assertThat(out).contains("in lists: " + String.join(", ", lists));
    }

    @Test
    void aRemovedOrderShowsItsTombstoneWithAgeAndExpiry() {
        String id = firstWith("tombstone");
        Instant written = state.orders.get(id).tombstoneWrittenAt;

        String fresh = run(written.plus(Duration.ofHours(3)).plusSeconds(125), "--savepoint", "sp", "--order", id);
        String old = run(written.plus(Duration.ofDays(3)), "--savepoint", "sp", "--order", id, "--tombstone-retention", "72h");

        assertThat(fresh).contains("order " + id + "  removed  tombstone " + expected.get("orders").get(id).get("tombstone").asText()
                + "  written " + written + " (age 3h 02m; expires in 1d 20h with tombstone-retention 2d 0h)");
        assertThat(fresh).contains("in lists: none");
        assertThat(old).contains("(age 3d 0h; expired, the job ignores it with tombstone-retention 3d 0h)");
    }

    @Test
    void oneListShowsItsMembers() {
        JsonNode members = expected.get("lists").get("all-orders");

        String out = run(Instant.now(), "--savepoint", "sp", "--list", "all-orders");

        assertThat(out).startsWith("0\n").contains("list all-orders: " + members.size() + " members");
        members.forEach(m -> assertThat(out).contains("    " + m.get("id").asText() + "  " + m.get("status").asText()
                + "  createdAt " + m.get("createdAt").asText()));
    }

    @Test
    void everythingListsShardsOrdersAndLists() {
        String out = run(Instant.now(), "--savepoint", "sp");

        long removed = state.orders.values().stream().filter(o -> !o.isLive()).count();
        assertThat(out).startsWith("0\n")
                .contains("shard ").contains(" of " + expected.get("streamArn").asText() + ": resumes after ")
                .contains("Orders (order-sequencer): " + (expected.get("orders").size() - removed) + " live, " + removed + " removed")
                .contains("Lists (list-view-materializer): " + expected.get("lists").size());
        expected.get("orders").fieldNames().forEachRemaining(id -> assertThat(out).contains("  order " + id + "  "));
    }

    @Test
    void anUnknownOrderOrListExitsWithOne() {
        assertThat(run(Instant.now(), "--savepoint", "sp", "--order", "no-such-order")).startsWith("1\nSavepoint sp\nNo state for order no-such-order");
        assertThat(run(Instant.now(), "--savepoint", "sp", "--list", "no-such-list")).startsWith("1\nSavepoint sp\nNo list no-such-list");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> StateInspector.Query.parse(new String[] {"--order", "x"})).hasMessageContaining("--savepoint is required");
        assertThatThrownBy(() -> StateInspector.Query.parse(new String[] {"--savepoint", "p", "--order", "x", "--list", "y"}))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> StateInspector.Query.parse(new String[] {"--savepoint"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> StateInspector.Query.parse(new String[] {"--savepoint", "p", "--tombstone-retention", "soon"}))
                .hasMessageContaining("not a duration");
    }
}
