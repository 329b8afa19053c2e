package dev.ordercachesync.source;

import dev.ordercachesync.deadletter.RejectReason;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordercachesync.model.ChangeKind;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.OrderItem;
import dev.ordercachesync.model.RawStreamRecord;
import dev.ordercachesync.views.CacheContract;
import org.junit.jupiter.api.Test;

import static dev.ordercachesync.source.StreamRecordJson.insert;
import static dev.ordercachesync.source.StreamRecordJson.modify;
import static dev.ordercachesync.source.StreamRecordJson.n;
import static dev.ordercachesync.source.StreamRecordJson.order;
import static dev.ordercachesync.source.StreamRecordJson.pizza;
import static dev.ordercachesync.source.StreamRecordJson.remove;
import static dev.ordercachesync.source.StreamRecordJson.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamRecordParserTest {
    private final StreamRecordParser parser = new StreamRecordParser(CacheContract.defaults());

    private static ObjectNode sample(String lastUpdated) {
        return order("o-1", "10.0.0.7", "2026-11-23T10:00:00.000Z", "SUBMITTED", lastUpdated,
                pizza("large", "thin", "red", "cheese", "basil"), pizza("small", "deep", "white"));
    }

    @Test
    void insertBecomesTypedOrderWithNestedItems() throws Exception {
        OrderChange change = parser.parse(insert("1000000000000000000001", sample(null)));

        assertThat(change.kind).isEqualTo(ChangeKind.INSERT);
        assertThat(change.orderId).isEqualTo("o-1");
        assertThat(change.sequenceNumber).isEqualTo("1000000000000000000001");
        assertThat(change.shardId).isEqualTo("shardId-000001");
        assertThat(change.oldImage).isNull();
        assertThat(change.newImage.creator).isEqualTo("10.0.0.7");
        assertThat(change.newImage.createdAt).isEqualTo("2026-11-23T10:00:00.000Z");
        assertThat(change.newImage.status).isEqualTo("SUBMITTED");
        assertThat(change.newImage.numItems).isEqualTo(2L);
        assertThat(change.newImage.lastUpdated).as("absent lastUpdated stays absent").isNull();
        assertThat(change.newImage.items).containsExactly(
                new OrderItem("large", "thin", "red", new String[] {"cheese", "basil"}),
                new OrderItem("small", "deep", "white", new String[0]));
    }

    @Test
    void modifyCarriesNewAndOldImagesAndLastUpdated() throws Exception {
        ObjectNode before = sample(null);
        ObjectNode after = sample("2026-11-23T10:05:00Z");
        after.set("status", s("IN PROGRESS"));

        OrderChange change = parser.parse(modify("1000000000000000000002", after, before));

        assertThat(change.kind).isEqualTo(ChangeKind.MODIFY);
        assertThat(change.newImage.status).isEqualTo("IN PROGRESS");
        assertThat(change.newImage.lastUpdated).isEqualTo("2026-11-23T10:05:00Z");
        assertThat(change.oldImage.status).isEqualTo("SUBMITTED");
        assertThat(change.oldImage.creator).isEqualTo("10.0.0.7");
    }

    @Test
    void removeNamesTheOrderAndKeepsTheOldCreator() throws Exception {
        OrderChange change = parser.parse(remove("1000000000000000000003", sample(null)));

        assertThat(change.kind).isEqualTo(ChangeKind.REMOVE);
        assertThat(change.orderId).isEqualTo("o-1");
        assertThat(change.newImage).isNull();
        assertThat(change.oldImage.creator).isEqualTo("10.0.0.7");
    }

    @Test
    void numbersAreReadAsDynamoDbDecimalStrings() throws Exception {
        ObjectNode image = sample(null);
        image.set("numItems", n("2.0"));
        assertThat(parser.parse(insert("5", image)).newImage.numItems).isEqualTo(2L);

        image.set("numItems", n("2.5"));
        assertThatThrownBy(() -> parser.parse(insert("6", image)))
                .isInstanceOf(InvalidStreamRecordException.class)
                .hasMessageContaining("numItems")
                .extracting(e -> ((InvalidStreamRecordException) e).reason())
                .isEqualTo(RejectReason.WRONG_ATTRIBUTE_TYPE);
    }

    @Test
    void typeTagsAreMatchedCaseInsensitively() throws Exception {
        String json = insert("7", sample(null)).json
                .replace("{\"S\":", "{\"s\":").replace("{\"N\":", "{\"n\":")
                .replace("{\"L\":", "{\"l\":").replace("{\"M\":", "{\"m\":");
        OrderChange change = parser.parse(new RawStreamRecord(json, "shard", "7"));
        assertThat(change.newImage.items[0].toppings).containsExactly("cheese", "basil");
    }

    @Test
    void itemsThatAreNotOrdersAreSkipped() throws Exception {
        ObjectNode lineItem = sample(null);
        lineItem.set("sk", s("item#1"));
        assertThat(parser.parse(insert("8", lineItem))).isNull();

        ObjectNode customer = sample(null);
        customer.set("type", s("customer"));
        assertThat(parser.parse(insert("9", customer))).isNull();
        assertThat(parser.parse(remove("10", customer))).isNull();
    }

    @Test
    void anOrderModifiedIntoAnotherTypeLeavesTheViews() throws Exception {
        ObjectNode after = sample(null);
        after.set("type", s("archived"));
        OrderChange change = parser.parse(modify("11", after, sample(null)));
        assertThat(change.kind).isEqualTo(ChangeKind.REMOVE);
        assertThat(change.oldImage.creator).isEqualTo("10.0.0.7");
    }

    @Test
    void creatorsThatCollideWithTheJobsKeysAreRejected() {
        ObjectNode allOrders = sample(null);
        allOrders.set("creator", s("all-orders"));
        assertThatThrownBy(() -> parser.parse(insert("12", allOrders)))
                .isInstanceOf(InvalidStreamRecordException.class)
                .hasMessageContaining("all-orders")
                .extracting(e -> ((InvalidStreamRecordException) e).reason())
                .isEqualTo(RejectReason.RESERVED_CREATOR);

        ObjectNode admin = sample(null);
        admin.set("creator", s("ADMIN-o-2"));
        assertThatThrownBy(() -> parser.parse(insert("13", admin)))
                .extracting(e -> ((InvalidStreamRecordException) e).reason())
                .isEqualTo(RejectReason.RESERVED_CREATOR);
    }

    @Test
    void brokenRecordsNameTheirReason() {
        assertThat(reasonOf(new RawStreamRecord("{not json", "s", "1"))).isEqualTo(RejectReason.UNPARSEABLE_RECORD);
        assertThat(reasonOf(StreamRecordJson.record("UPSERT", "1", sample(null), null))).isEqualTo(RejectReason.UNKNOWN_EVENT_KIND);
        assertThat(reasonOf(insert("12x", sample(null)))).isEqualTo(RejectReason.MISSING_SEQUENCE_NUMBER);

        ObjectNode noCreator = sample(null);
        noCreator.remove("creator");
        assertThat(reasonOf(insert("1", noCreator))).isEqualTo(RejectReason.MISSING_CREATOR);

        ObjectNode badDate = sample(null);
        badDate.set("createdAt", s("yesterday"));
        assertThat(reasonOf(insert("1", badDate))).isEqualTo(RejectReason.WRONG_ATTRIBUTE_TYPE);

        String removeWithoutOldImage = remove("1", sample(null)).json.replaceAll(",\"OldImage\":\\{.*\\},\"SequenceNumber\"", ",\"SequenceNumber\"");
        assertThat(removeWithoutOldImage).doesNotContain("OldImage");
        assertThat(reasonOf(new RawStreamRecord(removeWithoutOldImage, "s", "1"))).isEqualTo(RejectReason.MISSING_IMAGE);

        ObjectNode itemsNotList = sample(null);
        itemsNotList.set("items", s("pepperoni"));
        assertThat(reasonOf(insert("1", itemsNotList))).isEqualTo(RejectReason.WRONG_ATTRIBUTE_TYPE);
    }

    private RejectReason reasonOf(RawStreamRecord record) {
        try {
            parser.parse(record);
        } catch (InvalidStreamRecordException e) {
            return e.reason();
        }
        throw new AssertionError("record was accepted: " + record.json);
    }
}
