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
        stack.put("AWS::Region", "eu-west-1");
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
        // No region from the environment here: the stack's region must reach the job through the property group.
        JobParameters p = ParameterSources.load(new String[] {"--" + ParameterSources.APPLICATION_PROPERTIES, file.toString()});
        assertThat(p.tableName).isEqualTo("OrderTable");
        assertThat(p.streamArn).as("the job finds the table's current stream").isNull();
        assertThat(p.awsRegion).as("aws-region is the stack's AWS::Region").isEqualTo("eu-west-1");
        assertThat(p.momentoApiKeySecretId).isEqualTo(SECRET);
        assertThat(p.deadLetterTable).isNull();
        assertThat(p.bootstrapRunId).as("no BootstrapRunId: no run id, which asks for no scan").isEmpty();
        assertThat(map).as("the service's CheckpointConfiguration decides; the job's own interval would mislead")
                .doesNotContainKey(JobParameters.CHECKPOINT_INTERVAL);
    }

    @Test
    void theBootstrapRunIdIsPassedOnlyWhenSet() throws Exception {
        ManagedFlinkTemplate template = ManagedFlinkTemplate.read();
        assertThat(template.propertyMap(stack("BootstrapRunId", "rebuild-2026-12-01")))
                .containsEntry(JobParameters.BOOTSTRAP_RUN_ID, "rebuild-2026-12-01");
        assertThat(template.propertyMap(stack("BootstrapRunId", ""))).doesNotContainKey(JobParameters.BOOTSTRAP_RUN_ID);
        assertThatThrownBy(() -> template.propertyMap(stack("BootstrapRunId", "line\nbreak")))
                .hasMessageContaining("stack parameter BootstrapRunId");
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
        assertThatThrownBy(() -> template.propertyMap(Map.of("TableName", "OrderTable", "AWS::Region", "us-east-1")))
                .hasMessageContaining("stack parameter MomentoApiKeySecretArn has no default");
        Map<String, String> noRegion = stack();
        noRegion.remove("AWS::Region");
        assertThatThrownBy(() -> template.propertyMap(noRegion)).hasMessageContaining("give AWS::Region");
        Map<String, String> tooLong = new HashMap<>();
        tooLong.put("cache-ttl", "1".repeat(2049));
        assertThatThrownBy(() -> ManagedFlinkTemplate.requireAcceptable(tooLong)).hasMessageContaining("1 to 2048");
    }
}
