package dev.ordercachesync.ordering;

import dev.ordercachesync.model.CacheMutation;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.RawStreamRecord;
import dev.ordercachesync.source.StreamRecordParser;
import dev.ordercachesync.views.CacheContract;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What DynamoDB's stream does and the emulator does not (README, Testing): several shards, a parent that splits
 * into children, and sequence numbers of 21 to 40 digits that grow from parent to child. Records are in the
 * exact JSON shape DynamoDB Streams returns, parsed by the job's parser and applied by the sequencer.
 */
class ShardSplitSequencingTest {
    private static final String PARENT = "shardId-00000001764547200000-4b1f0e2a";
    private static final String CHILD = "shardId-00000001764561600000-9c3d7e51";
    // Numbers DynamoDB could hand out around a split: the child's are larger but shorter as strings sort.
    private static final String PARENT_FIRST = "900000000000000499659";
    private static final String PARENT_LAST = "900000000000000512003";
    private static final String CHILD_FIRST = "1000000000000000000031";
    private static final String CHILD_LATER = "4421584500000000017450439091";

    private final CacheContract contract = CacheContract.defaults();
    private final StreamRecordParser parser = new StreamRecordParser(contract);
    private KeyedOneInputStreamOperatorTestHarness<String, OrderChange, CacheMutation> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new OrderSequencer(contract, Duration.ofHours(1), Duration.ofHours(48)), c -> c.orderId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void realSequenceNumbersCompareAsNumbersNotAsStrings() throws Exception {
        assertThat(CHILD_FIRST.compareTo(PARENT_LAST)).as("as strings the child sorts first").isNegative();

        apply(record("INSERT", PARENT, PARENT_FIRST, image("SUBMITTED"), null));
        apply(record("MODIFY", CHILD, CHILD_FIRST, image("IN PROGRESS"), image("SUBMITTED")));
        apply(record("MODIFY", CHILD, CHILD_LATER, image("COMPLETED"), image("IN PROGRESS")));

        assertThat(detailStatuses()).containsExactly("SUBMITTED", "IN PROGRESS", "COMPLETED");
    }

    @Test
    void aChildReadBeforeItsParentEndsWinsOverTheParentsLaterRecords() throws Exception {
        // The reader reached the child first; the parent's last records arrive after it.
        apply(record("MODIFY", CHILD, CHILD_FIRST, image("IN PROGRESS"), image("SUBMITTED")));
        apply(record("INSERT", PARENT, PARENT_FIRST, image("WAITING ON CUSTOMER"), null));
        apply(record("MODIFY", PARENT, PARENT_LAST, image("SUBMITTED"), image("WAITING ON CUSTOMER")));
        apply(record("MODIFY", CHILD, CHILD_LATER, image("COMPLETED"), image("IN PROGRESS")));

        assertThat(detailStatuses()).containsExactly("IN PROGRESS", "COMPLETED");
    }

    @Test
    void aRemoveInTheChildKeepsTheParentsStaleRecordsFromBringingTheOrderBack() throws Exception {
        apply(record("INSERT", PARENT, PARENT_FIRST, image("SUBMITTED"), null));
        apply(record("REMOVE", CHILD, CHILD_FIRST, null, image("SUBMITTED")));
        harness.getOutput().clear();

        apply(record("MODIFY", PARENT, PARENT_LAST, image("IN PROGRESS"), image("SUBMITTED")));

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    private void apply(RawStreamRecord raw) throws Exception {
        harness.processElement(parser.parse(raw), 0L);
    }

    /** The status in each write of the detail key, in order. */
    private List<String> detailStatuses() {
        return harness.extractOutputValues().stream()
                .filter(m -> m.key.equals("o-7f2c") && !m.isDelete())
                .map(m -> m.value.replaceAll(".*\"status\":\"([^\"]+)\".*", "$1"))
                .collect(Collectors.toList());
    }

    private static String image(String status) {
        return "{\"pk\":{\"S\":\"o-7f2c\"},\"sk\":{\"S\":\"metadata\"},\"type\":{\"S\":\"order\"},"
                + "\"creator\":{\"S\":\"203.0.113.7\"},\"createdAt\":{\"S\":\"2026-11-30T18:04:11.532Z\"},"
                + "\"status\":{\"S\":\"" + status + "\"},\"numItems\":{\"N\":\"1\"},"
                + "\"items\":{\"L\":[{\"M\":{\"size\":{\"S\":\"large\"},\"crust\":{\"S\":\"thin\"},"
                + "\"sauce\":{\"S\":\"red\"},\"toppings\":{\"L\":[{\"S\":\"basil\"}]}}}]}}";
    }

    /** A record as DynamoDB Streams' GetRecords returns it (ApproximateCreationDateTime in whole seconds). */
    private static RawStreamRecord record(String event, String shard, String sequence, String newImage, String oldImage) {
        StringBuilder json = new StringBuilder()
                .append("{\"eventID\":\"").append(Integer.toHexString(sequence.hashCode())).append("\",")
                .append("\"eventName\":\"").append(event).append("\",\"eventVersion\":\"1.1\",")
                .append("\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"eu-west-1\",")
                .append("\"dynamodb\":{\"ApproximateCreationDateTime\":1.764525851E9,")
                .append("\"Keys\":{\"pk\":{\"S\":\"o-7f2c\"},\"sk\":{\"S\":\"metadata\"}},");
        if (newImage != null) {
            json.append("\"NewImage\":").append(newImage).append(',');
        }
        if (oldImage != null) {
            json.append("\"OldImage\":").append(oldImage).append(',');
        }
        json.append("\"SequenceNumber\":\"").append(sequence).append("\",\"SizeBytes\":412,")
                .append("\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}}");
        return new RawStreamRecord(json.toString(), shard, sequence);
    }
}
