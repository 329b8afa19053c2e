package dev.ordercachesync.source;

import dev.ordercachesync.deadletter.RejectReason;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordercachesync.views.CacheContract;
import org.junit.jupiter.api.Test;

import static dev.ordercachesync.source.StreamRecordJson.insert;
import static dev.ordercachesync.source.StreamRecordJson.order;
import static dev.ordercachesync.source.StreamRecordJson.pizza;
import static dev.ordercachesync.source.StreamRecordJson.remove;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class StreamRecordParserKeyBoundsTest {
    private final StreamRecordParser parser = new StreamRecordParser(CacheContract.defaults());

    private static ObjectNode image(String id, String creator) {
        return order(id, creator, "2026-11-23T10:00:00.000Z", "SUBMITTED", null, pizza("large", "thin", "red"));
    }

    private InvalidStreamRecordException rejection(ObjectNode image) {
        return catchThrowableOfType(() -> parser.parse(insert("1000", image)), InvalidStreamRecordException.class);
    }

    @Test
    void aCreatorLongerThanAKeyIsRejectedAndNamedShortly() throws Exception {
        String longest = "c".repeat(CacheContract.MAX_KEY_BYTES);
        assertThat(parser.parse(insert("1000", image("o-1", longest))).newImage.creator).isEqualTo(longest);

        InvalidStreamRecordException e = rejection(image("o-1", longest + "c"));
        assertThat(e.reason()).isEqualTo(RejectReason.CREATOR_TOO_LONG);
        assertThat(e.orderId()).isEqualTo("o-1");
        assertThat(e.getMessage()).contains("1025 bytes").hasSizeLessThan(200);
    }

    @Test
    void anOrderIdWhoseAdminKeyIsTooLongIsRejectedForEveryKindOfChange() {
        String id = "o".repeat(CacheContract.MAX_KEY_BYTES - "ADMIN-".length() + 1);
        assertThat(rejection(image(id, "10.0.0.7")).reason()).isEqualTo(RejectReason.ORDER_ID_TOO_LONG);
        assertThat(catchThrowableOfType(() -> parser.parse(remove("1001", image(id, "10.0.0.7"))),
                InvalidStreamRecordException.class).reason()).isEqualTo(RejectReason.ORDER_ID_TOO_LONG);
    }
}
