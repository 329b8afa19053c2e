package dev.ordercachesync.config;

import dev.ordercachesync.views.CacheContract;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadLetterParametersTest {
    private static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put(JobParameters.STREAM_ARN, "arn:aws:dynamodb:eu-west-1:123456789012:table/OrderTable/stream/2026-11-23T00:00:00.000");
        return m;
    }

    @Test
    void byDefaultDeadLettersAreOnlyLoggedAndValuesStopAtOneMebibyte() {
        JobParameters p = JobParameters.from(minimal());
        assertThat(p.deadLetterTable).isNull();
        assertThat(p.maxValueBytes).isEqualTo(1_048_576);
        assertThat(p.cacheContract().maxValueBytes()).isEqualTo(1_048_576);
    }

    @Test
    void theTableAndTheBoundAreRead() {
        Map<String, String> m = minimal();
        m.put(JobParameters.DEAD_LETTER_TABLE, "order-cache-sync.dead_letters");
        m.put(JobParameters.MAX_VALUE_BYTES, "65536");
        JobParameters p = JobParameters.from(m);
        assertThat(p.deadLetterTable).isEqualTo("order-cache-sync.dead_letters");
        assertThat(p.cacheContract().maxValueBytes()).isEqualTo(65_536);
    }

    @Test
    void badValuesAreNamedWithWhatIsExpected() {
        Map<String, String> m = minimal();
        m.put(JobParameters.DEAD_LETTER_TABLE, "arn:aws:dynamodb:eu-west-1:1:table/x");
        m.put(JobParameters.MAX_VALUE_BYTES, Integer.toString(CacheContract.MOMENTO_MAX_ITEM_BYTES));
        assertThatThrownBy(() -> JobParameters.from(m))
                .isInstanceOf(InvalidParametersException.class)
                .satisfies(e -> assertThat(((InvalidParametersException) e).problems()).hasSize(2))
                .hasMessageContaining("dead-letter-table: 'arn:aws:dynamodb:eu-west-1:1:table/x' is not valid; expected a DynamoDB table name")
                .hasMessageContaining("max-value-bytes: '5000000' is not valid; expected a whole number from 1024 to 4998976");
    }
}
