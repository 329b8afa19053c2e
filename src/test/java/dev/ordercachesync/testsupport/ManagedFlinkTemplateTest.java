package dev.ordercachesync.testsupport;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.config.ParameterSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The template's property group as the service would build it, read back by the service's library and the job. */
class ManagedFlinkTemplateTest {
    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:order-cache-sync/momento-AbCdEf";

    @TempDir
    Path dir;

    private static Map<String, String> stack(String... pairs) {
        Map<String, String> stack = new HashMap<>();
        stack.put("TableName", "OrderTable");
        stack.put("MomentoApiKeySecretArn", SECRET);
        for (int i = 0; i < pairs.length; i += 2) {
            stack.put(pairs[i], pairs[i + 1]);
        }
        return stack;
    }

    @Test
    void theDefaultStacksPropertyGroupIsOneTheJobAccepts() throws Exception {
        Map<String, String> map = ManagedFlinkTemplate.read().propertyMap(stack());
        assertThat(map).doesNotContainKeys(JobParameters.DEAD_LETTER_TABLE, JobParameters.PARALLELISM,
                JobParameters.AWS_ENDPOINT, JobParameters.MOMENTO_LOCAL_ENDPOINT);
        assertThat(map.values()).as("the service refuses empty values").noneMatch(String::isEmpty);

        Path file = dir.resolve("application_properties.json");
        Files.write(file, ManagedFlinkTemplate.applicationPropertiesJson(ParameterSources.PROPERTY_GROUP, map)
                .getBytes(StandardCharsets.UTF_8));
        Map<String, Properties> groups = KinesisAnalyticsRuntime.getApplicationProperties(file.toString());
        assertThat(groups).containsOnlyKeys(ParameterSources.PROPERTY_GROUP);
        // On the service the region comes from its environment (AWS_REGION); here from the SDK's system property.
        JobParameters p;
        System.setProperty("aws.region", "us-east-1");
        try {
            p = ParameterSources.load(new String[] {"--" + ParameterSources.APPLICATION_PROPERTIES, file.toString()});
        } finally {
            System.clearProperty("aws.region");
        }
        assertThat(p.tableName).isEqualTo("OrderTable");
        assertThat(p.streamArn).as("the job finds the table's current stream").isNull();
        assertThat(p.awsRegion).isEqualTo("us-east-1");
        assertThat(p.momentoApiKeySecretId).isEqualTo(SECRET);
        assertThat(p.deadLetterTable).isNull();
    }

    @Test
    void aDeadLetterTableIsPassedOnlyWhenNamed() throws Exception {
        Map<String, String> map = ManagedFlinkTemplate.read().propertyMap(stack("DeadLetterTableName", "order-dead-letters"));
        assertThat(map).containsEntry(JobParameters.DEAD_LETTER_TABLE, "order-dead-letters");
    }

    @Test
    void valuesTheServiceOrCloudFormationWouldRefuseAreNamed() throws Exception {
        ManagedFlinkTemplate template = ManagedFlinkTemplate.read();
        assertThatThrownBy(() -> template.propertyMap(stack("MomentoCacheName", "")))
                .hasMessageContaining("value of property 'momento-cache-name' is 0 characters long");
        assertThatThrownBy(() -> template.propertyMap(stack("TableName", "a/b")))
                .hasMessageContaining("stack parameter TableName = 'a/b' does not match");
        assertThatThrownBy(() -> template.propertyMap(Map.of("TableName", "OrderTable")))
                .hasMessageContaining("stack parameter MomentoApiKeySecretArn has no default");
        Map<String, String> tooLong = new HashMap<>();
        tooLong.put("cache-ttl", "1".repeat(2049));
        assertThatThrownBy(() -> ManagedFlinkTemplate.requireAcceptable(tooLong)).hasMessageContaining("1 to 2048");
    }
}
