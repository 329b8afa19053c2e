package dev.ordercachesync.deadletter;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterTest {
    @Test
    void everyFieldAHostileRecordControlsIsBounded() {
        String huge = "x".repeat(100_000);
        DeadLetter d = DeadLetter.of(RejectReason.RESERVED_CREATOR, huge, huge, "shard-1", "42", 7L, huge);
        assertThat(d.message).hasSize(DeadLetter.MAX_TEXT_CHARS + DeadLetter.TRUNCATED.length()).endsWith(DeadLetter.TRUNCATED);
        assertThat(d.orderId).hasSize(DeadLetter.MAX_TEXT_CHARS + DeadLetter.TRUNCATED.length());
        assertThat(d.rawRecord).hasSize(DeadLetter.MAX_RAW_CHARS + DeadLetter.TRUNCATED.length());
        assertThat(d.reason).isEqualTo("RESERVED_CREATOR");
        assertThat(d.shardId).isEqualTo("shard-1");
    }

    @Test
    void truncationNeverSplitsASurrogatePair() {
        String s = "a".repeat(DeadLetter.MAX_TEXT_CHARS - 1) + "\ud83c\udf55" + "tail";
        String t = DeadLetter.truncate(s, DeadLetter.MAX_TEXT_CHARS);
        assertThat(t).isEqualTo("a".repeat(DeadLetter.MAX_TEXT_CHARS - 1) + DeadLetter.TRUNCATED);
    }

    @Test
    void logLinesCannotBeForgedWithControlCharacters() {
        assertThat(DeadLetterLogger.printable("creator\nERROR fake line\r\u0000\u2028end"))
                .isEqualTo("creator\\u000aERROR fake line\\u000d\\u0000\\u2028end");
        String clean = "10.0.0.7 ünïcödé";
        assertThat(DeadLetterLogger.printable(clean)).isSameAs(clean);
        assertThat(DeadLetterLogger.printable(null)).isNull();
    }

    @Test
    void aRecordsDeadLetterIsKeyedByItsStreamPositionSoReplaysOverwriteIt() {
        DeadLetter d = DeadLetter.of(RejectReason.WRONG_ATTRIBUTE_TYPE, "bad numItems", "o-1",
                "shardId-00000001", "000000000000000000042", 1_764_000_000_123L, "{\"raw\":1}");
        Map<String, AttributeValue> item = DeadLetterItems.item(d);
        assertThat(item.get(DeadLetterItems.PK).s()).isEqualTo("shardId-00000001#000000000000000000042");
        assertThat(item.get(DeadLetterItems.REASON).s()).isEqualTo("WRONG_ATTRIBUTE_TYPE");
        assertThat(item.get(DeadLetterItems.MESSAGE).s()).isEqualTo("bad numItems");
        assertThat(item.get(DeadLetterItems.ORDER_ID).s()).isEqualTo("o-1");
        assertThat(item.get(DeadLetterItems.SHARD_ID).s()).isEqualTo("shardId-00000001");
        assertThat(item.get(DeadLetterItems.SEQUENCE_NUMBER).s()).isEqualTo("000000000000000000042");
        assertThat(item.get(DeadLetterItems.TIME).s()).isEqualTo("2025-11-24T16:00:00.123Z");
        assertThat(item.get(DeadLetterItems.TIME_MILLIS).n()).isEqualTo("1764000000123");
        assertThat(item.get(DeadLetterItems.RAW).s()).isEqualTo("{\"raw\":1}");
        assertThat(DeadLetterItems.item(d).get(DeadLetterItems.PK)).isEqualTo(item.get(DeadLetterItems.PK));
    }

    @Test
    void aDeadLetterWithoutStreamPositionGetsItsOwnIdAndNoEmptyAttributes() {
        DeadLetter d = DeadLetter.of(RejectReason.VALUE_TOO_LARGE, "list 'alice' too large", null, null, null, 0L, null);
        Map<String, AttributeValue> a = DeadLetterItems.item(d);
        Map<String, AttributeValue> b = DeadLetterItems.item(d);
        assertThat(a.get(DeadLetterItems.PK).s()).isNotEqualTo(b.get(DeadLetterItems.PK).s());
        assertThat(a).containsOnlyKeys(DeadLetterItems.PK, DeadLetterItems.REASON, DeadLetterItems.MESSAGE,
                DeadLetterItems.TIME, DeadLetterItems.TIME_MILLIS);
    }

    @Test
    void aPositionTooLongForAPartitionKeyFallsBackToAnId() {
        DeadLetter d = DeadLetter.of(RejectReason.MISSING_ORDER_ID, "no pk", null, "s".repeat(900), "9".repeat(900), 0L, "{}");
        String pk = DeadLetterItems.item(d).get(DeadLetterItems.PK).s();
        assertThat(pk).hasSize(36).doesNotContain("#");
    }

    @Test
    void aDeadLetterThatNamesItsOwnIdKeepsItSoAReplayOverwritesTheItem() {
        DeadLetter first = DeadLetter.of(RejectReason.VALUE_TOO_LARGE, "list 'alice' too large", null, null, null, 1L, null);
        first.id = "list#digest-of-alice";
        DeadLetter replayed = DeadLetter.of(RejectReason.VALUE_TOO_LARGE, "list 'alice' too large", null, null, null, 2L, null);
        replayed.id = "list#digest-of-alice";
        assertThat(DeadLetterItems.item(first).get(DeadLetterItems.PK).s()).isEqualTo("list#digest-of-alice")
                .isEqualTo(DeadLetterItems.item(replayed).get(DeadLetterItems.PK).s());
    }
}
