package dev.ordercachesync.config;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParameterSourcesTest {
    private static final String ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/OrderTable/stream/2026-11-23T00:00:00.000";

    @TempDir
    Path dir;

    @Test
    void commandLineOverridesFileWhichOverridesThePropertyGroup() throws IOException {
        Properties group = new Properties();
        group.setProperty(JobParameters.STREAM_ARN, ARN);
        group.setProperty(JobParameters.CACHE_TTL, "2h");
        group.setProperty(JobParameters.LIST_MAX_ENTRIES, "100");
        group.setProperty(JobParameters.SINK_MAX_IN_FLIGHT, "8");
        Path file = write("job.properties",
                JobParameters.LIST_MAX_ENTRIES + "=200\n" + JobParameters.SINK_MAX_IN_FLIGHT + " = 16\n");

        JobParameters p = ParameterSources.load(new String[] {
            "--config-file", file.toString(), "--" + JobParameters.SINK_MAX_IN_FLIGHT, "32"},
                Collections.singletonMap(ParameterSources.PROPERTY_GROUP, group));

        assertThat(p.streamArn).as("only in the group").isEqualTo(ARN);
        assertThat(p.cacheTtl).as("only in the group").isEqualTo(Duration.ofHours(2));
        assertThat(p.listMaxEntries).as("file over group").isEqualTo(200);
        assertThat(p.sinkMaxInFlight).as("command line over file and group").isEqualTo(32);
        assertThat(p.momentoCacheName).as("default").isEqualTo("pizza");
    }

    @Test
    void readsManagedFlinkPropertyGroupsInTheServicesFileFormat() throws IOException {
        // The shape Managed Flink writes to /etc/flink/application_properties.json, read by its own library.
        Path json = write("application_properties.json", "[{\"PropertyGroupId\": \"OrderCacheSync\", \"PropertyMap\": {"
                + "\"stream-arn\": \"" + ARN + "\", \"momento-api-key-secret-id\": "
                + "\"arn:aws:secretsmanager:eu-central-1:123456789012:secret:momento-AbCdEf\"}}]");
        Map<String, Properties> groups = KinesisAnalyticsRuntime.getApplicationProperties(json.toString());

        JobParameters fromService = ParameterSources.load(new String[0], groups);
        JobParameters fromFile = ParameterSources.load(new String[] {"--application-properties", json.toString()});

        for (JobParameters p : new JobParameters[] {fromService, fromFile}) {
            assertThat(p.streamArn).isEqualTo(ARN);
            assertThat(p.momentoApiKeySecretId).isEqualTo("arn:aws:secretsmanager:eu-central-1:123456789012:secret:momento-AbCdEf");
            assertThat(p.momentoApiKeySecretRegion).as("the secret's own region, not the stream's").isEqualTo("eu-central-1");
            assertThat(p.parallelism).as("left out means the cluster's default").isEqualTo(-1);
        }
    }

    @Test
    void aWrongNameInTheApplicationPropertiesFileOrAMissingFileIsNamed() throws IOException {
        Path json = write("application_properties.json", "[{\"PropertyGroupId\": \"OrderCacheSync\", \"PropertyMap\": {"
                + "\"stream-arn\": \"" + ARN + "\", \"momento-cache\": \"pizza\"}}]");
        assertThatThrownBy(() -> ParameterSources.load(new String[] {"--application-properties", json.toString()}))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("momento-cache: unknown parameter")
                .hasMessageContaining("(from property group OrderCacheSync)");
        String missing = dir.resolve("absent.json").toString();
        assertThatThrownBy(() -> ParameterSources.load(new String[] {"--application-properties", missing}))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("application-properties: '" + missing + "' is not a file");
        Path notJson = write("broken.json", "stream-arn=" + ARN);
        assertThatThrownBy(() -> ParameterSources.load(new String[] {"--application-properties", notJson.toString()}))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("cannot be read");
    }

    @Test
    void offTheServiceOnlyTheCommandLineCounts() {
        JobParameters p = ParameterSources.load(new String[] {"--stream-arn", ARN, "--momento-api-key-secret-id", "prod/momento"});
        assertThat(p.streamArn).isEqualTo(ARN);
        assertThat(p.momentoApiKeySecretRegion).as("a secret name is looked up in the stream's region").isEqualTo("eu-west-1");
    }

    @Test
    void everyProblemOfEverySourceIsReportedAtOnceWithItsOrigin() throws IOException {
        Map<String, Properties> groups = new HashMap<>();
        Properties ours = new Properties();
        ours.setProperty(JobParameters.CACHE_TTL, "3d");
        groups.put(ParameterSources.PROPERTY_GROUP, ours);
        groups.put("FlinkApplicationProperties", new Properties());
        Path file = write("bad.properties", JobParameters.LIST_MAX_ENTRIES + "=many\ncache-tll=1h\n");

        assertThatThrownBy(() -> ParameterSources.load(new String[] {
            "--config-file", file.toString(), "--" + JobParameters.TOMBSTONE_RETENTION, "1h", "--parallelism"}, groups))
                .isInstanceOf(InvalidParametersException.class)
                .satisfies(e -> assertThat(((InvalidParametersException) e).problems()).hasSize(7))
                .hasMessageContaining("property group 'FlinkApplicationProperties' is not read; put every parameter in "
                        + "the property group 'OrderCacheSync'")
                .hasMessageContaining("parallelism: given on the command line without a value")
                .hasMessageContaining("table-name: required but missing")
                .hasMessageContaining("(looked in property group OrderCacheSync, file " + file + ", the command line)")
                .hasMessageContaining("cache-ttl: '3d' is not valid; expected a duration between 10 s and 1 d "
                        + "(from property group OrderCacheSync)")
                .hasMessageContaining("list-max-entries: 'many' is not valid; expected a whole number from 1 to 1000000 "
                        + "(from file " + file + ")")
                .hasMessageContaining("cache-tll: unknown parameter")
                .hasMessageContaining("tombstone-retention: '1h' must be longer than the stream's 24h retention")
                .hasMessageContaining("(from the command line)");
    }

    @Test
    void aMissingConfigFileIsNamed() {
        Path missing = dir.resolve("nowhere.properties");
        assertThatThrownBy(() -> ParameterSources.load(new String[] {"--config-file", missing.toString(), "--stream-arn", ARN},
                Collections.emptyMap()))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("config-file: '" + missing + "' cannot be read (NoSuchFileException)");
    }

    @Test
    void badSecretIdsAreRejected() {
        assertThatThrownBy(() -> ParameterSources.load(new String[] {"--stream-arn", ARN,
            "--momento-api-key-secret-id", "arn:aws:s3:::bucket/key"}, Collections.emptyMap()))
                .hasMessageContaining("momento-api-key-secret-id: the value is not a secret ARN")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("bucket/key"));
        assertThatThrownBy(() -> ParameterSources.load(new String[] {"--stream-arn", ARN,
            "--momento-api-key-secret-id", "has spaces"}, Collections.emptyMap()))
                .hasMessageContaining("momento-api-key-secret-id: the value is not a secret ARN")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("has spaces"));
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        return file;
    }
}
