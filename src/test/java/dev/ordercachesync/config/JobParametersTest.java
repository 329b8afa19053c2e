package dev.ordercachesync.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobParametersTest {
    private static final String ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/OrderTable/stream/2026-11-23T00:00:00.000";

    private static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put(JobParameters.STREAM_ARN, ARN);
        return m;
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        JobParameters p = JobParameters.from(minimal());
        assertThat(p.awsRegion).as("taken from the stream ARN").isEqualTo("eu-west-1");
        assertThat(p.awsEndpoint).isNull();
        assertThat(p.awsLocalDummyCredentials).isFalse();
        assertThat(p.streamInitialPosition).isEqualTo("TRIM_HORIZON");
        assertThat(p.momentoCacheName).isEqualTo("pizza");
        assertThat(p.momentoApiKeyEnv).isEqualTo("MOMENTO_API_KEY");
        assertThat(p.usesLocalMomento()).isFalse();
        assertThat(p.cacheTtl).isEqualTo(Duration.ofHours(1));
        assertThat(p.adminKeyPrefix).isEqualTo("ADMIN-");
        assertThat(p.allOrdersKey).isEqualTo("all-orders");
        assertThat(p.listMaxEntries).isEqualTo(5000);
        assertThat(p.listFlushInterval).isEqualTo(Duration.ofMillis(250));
        assertThat(p.tombstoneRetention).isEqualTo(Duration.ofHours(48));
        assertThat(p.parallelism).isEqualTo(-1);
        assertThat(p.maxParallelism).isEqualTo(128);
        assertThat(p.checkpointInterval).isEqualTo(Duration.ofSeconds(10));
        for (Parameter declared : JobParameters.PARAMETERS) {
            assertThat(declared.description()).isNotBlank();
        }
    }

    @Test
    void parsesEveryKindOfValue() {
        Map<String, String> m = minimal();
        m.put(JobParameters.AWS_REGION, "us-east-1");
        m.put(JobParameters.AWS_ENDPOINT, "http://127.0.0.1:8000");
        m.put(JobParameters.AWS_CREDENTIALS, "local-dummy");
        m.put(JobParameters.STREAM_INITIAL_POSITION, "latest");
        m.put(JobParameters.MOMENTO_LOCAL_ENDPOINT, "127.0.0.1:9090");
        m.put(JobParameters.CACHE_TTL, "30 min");
        m.put(JobParameters.LIST_FLUSH_INTERVAL, "1s");
        m.put(JobParameters.PARALLELISM, "2");
        JobParameters p = JobParameters.from(m);
        assertThat(p.awsRegion).isEqualTo("us-east-1");
        assertThat(p.awsLocalDummyCredentials).isTrue();
        assertThat(p.streamInitialPosition).isEqualTo("LATEST");
        assertThat(p.momentoLocalHost).isEqualTo("127.0.0.1");
        assertThat(p.momentoLocalPort).isEqualTo(9090);
        assertThat(p.cacheTtl).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.listFlushInterval).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.parallelism).isEqualTo(2);
    }

    @Test
    void everyProblemIsReportedAtOnceNamingKeyValueAndExpectation() {
        Map<String, String> m = new HashMap<>();
        m.put(JobParameters.CACHE_TTL, "2d");
        m.put(JobParameters.LIST_MAX_ENTRIES, "lots");
        m.put(JobParameters.TOMBSTONE_RETENTION, "12h");
        m.put(JobParameters.MOMENTO_LOCAL_ENDPOINT, "localhost");
        m.put("cache-tll", "1h");
        assertThatThrownBy(() -> JobParameters.from(m))
                .isInstanceOf(InvalidParametersException.class)
                .satisfies(e -> assertThat(((InvalidParametersException) e).problems()).hasSize(6))
                .hasMessageContaining("table-name: required but missing")
                .hasMessageContaining("cache-ttl: '2d' is not valid; expected a duration between")
                .hasMessageContaining("list-max-entries: 'lots' is not valid; expected a whole number")
                .hasMessageContaining("tombstone-retention: '12h' must be longer than the stream's 24h retention")
                .hasMessageContaining("momento-local-endpoint: 'localhost' is not valid; expected host:port")
                .hasMessageContaining("cache-tll: unknown parameter");
    }

    @Test
    void dynamoDbLocalArnsNeedAnExplicitRegion() {
        Map<String, String> m = new HashMap<>();
        m.put(JobParameters.STREAM_ARN, "arn:aws:dynamodb:ddblocal:000000000000:table/OrderTable/stream/2026-11-23T00:00:00.000");
        assertThatThrownBy(() -> JobParameters.from(m)).hasMessageContaining("set aws-region");
        m.put(JobParameters.AWS_REGION, "us-east-1");
        assertThat(JobParameters.from(m).awsRegion).isEqualTo("us-east-1");
    }

    @Test
    void dummyCredentialsAreOnlyForALocalEndpoint() {
        Map<String, String> m = minimal();
        m.put(JobParameters.AWS_CREDENTIALS, "local-dummy");
        assertThatThrownBy(() -> JobParameters.from(m)).hasMessageContaining("set aws-endpoint too");
    }

    @Test
    void aKeyPastedWhereItsNameBelongsIsRefusedWithoutBeingRepeated() {
        String keyLike = "eyJlbmRwb2ludCI6ImNlbGwtNC11cy13ZXN0LTItMS5wcm9kLmEubW9tZW50b2hxLmNvbSIsImFwaV9rZXkiOiJzZWNyZXQifQ==";
        Map<String, String> m = minimal();
        m.put(JobParameters.MOMENTO_API_KEY_ENV, keyLike);
        assertThatThrownBy(() -> JobParameters.from(m))
                .hasMessageContaining("momento-api-key-env: the value is not an environment variable name")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(keyLike).doesNotContain("eyJ"));

        Map<String, String> s = minimal();
        s.put(JobParameters.MOMENTO_API_KEY_SECRET_ID, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJrZXkifQ.c2lnbmF0dXJl");
        assertThatThrownBy(() -> JobParameters.from(s))
                .hasMessageContaining("momento-api-key-secret-id: the value is not a secret ARN")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("eyJ"));
    }
}
