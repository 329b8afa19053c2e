package dev.ordercachesync.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.config.Parameter;
import dev.ordercachesync.config.ParameterSources;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the deployment files in step with the code: the CloudFormation template's property group and
 * README.md's parameter table name exactly the parameters of {@link JobParameters#PARAMETERS}, with the
 * same defaults; the template is well-formed and least-privilege; the local cluster's runtime pom uses
 * the job's Flink version. No AWS is needed: the files are parsed.
 */
class DeploymentConsistencyTest {
    private static final Path ROOT = Paths.get("").toAbsolutePath();
    private static final Path TEMPLATE = ROOT.resolve("deploy/msf/template.yaml");
    private static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::Region", "AWS::Partition",
            "AWS::StackName", "AWS::StackId", "AWS::URLSuffix", "AWS::NoValue");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");
    /**
     * Parameters with a default that the property group leaves out on purpose. checkpoint-interval: Managed Flink's
     * CheckpointConfiguration decides and wins over the job's, so a value there would only mislead.
     */
    private static final Map<String, String> LEFT_OUT_ON_PURPOSE = Map.of(JobParameters.CHECKPOINT_INTERVAL,
            "the application's CheckpointConfiguration decides");
    /** Parameters without a default that the template sets from a pseudo parameter. */
    private static final Map<String, String> FROM_PSEUDO_PARAMETER = Map.of(JobParameters.AWS_REGION, "AWS::Region");
    /** Runtimes the stack offers: the one the job runs on today first, the default. */
    private static final List<String> RUNTIMES = List.of("FLINK-1_20", "FLINK-2_2");
    /** The values CloudWatch Logs accepts for a log group's RetentionInDays (PutRetentionPolicy). */
    private static final List<Integer> LOG_RETENTION_DAYS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
            545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @Test
    void templatePropertyGroupHoldsEveryParameterWithItsDefault() throws IOException {
        JsonNode template = template();
        JsonNode groups = application(template).at("/Properties/ApplicationConfiguration/EnvironmentProperties/PropertyGroups");
        assertThat(groups.size()).as("one property group").isEqualTo(1);
        assertThat(groups.get(0).get("PropertyGroupId").asText()).isEqualTo(ParameterSources.PROPERTY_GROUP);
        JsonNode map = groups.get(0).get("PropertyMap");

        List<String> present = new ArrayList<>(parameterNames());
        present.retainAll(fieldNames(map));
        assertThat(fieldNames(map)).as("the property group names only the job's parameters, in their order")
                .containsExactlyElementsOf(present);
        for (Parameter p : JobParameters.PARAMETERS) {
            JsonNode value = map.get(p.name());
            if (value == null) {
                if (LEFT_OUT_ON_PURPOSE.containsKey(p.name())) {
                    continue;
                }
                // The service refuses empty values: a parameter with nothing to say is left out.
                assertThat(p.isRequired() || p.defaultValue() != null)
                        .as(p.name() + " is left out, so it must be optional without a default").isFalse();
            } else if (FROM_PSEUDO_PARAMETER.containsKey(p.name())) {
                assertThat(p.defaultValue()).as(p.name() + " has no default of its own").isNull();
                assertThat(value.path("Ref").asText()).as(p.name()).isEqualTo(FROM_PSEUDO_PARAMETER.get(p.name()));
            } else if (value.has("Fn::If")) {
                assertThat(p.defaultValue()).as(p.name() + " is set only when given, so it has no default").isNull();
                assertOmittedWhenEmpty(template, p.name(), value.get("Fn::If"));
            } else if (value.isObject()) {
                assertThat(value.has("Ref")).as(p.name() + " is a literal or a Ref to a template parameter").isTrue();
                JsonNode cfnParameter = template.path("Parameters").path(value.get("Ref").asText());
                assertThat(cfnParameter.isObject()).as(p.name() + " refers to a declared parameter").isTrue();
                JsonNode cfnDefault = cfnParameter.get("Default");
                if (p.isRequired()) {
                    assertThat(cfnDefault).as(p.name() + " is required, so its template parameter has no default").isNull();
                } else if (p.defaultValue() == null) {
                    assertThat(cfnDefault).as(p.name() + " has no default; an empty one must go through Fn::If").isNull();
                } else {
                    assertThat(cfnDefault).as(p.name() + " default").isNotNull();
                    assertThat(cfnDefault.asText()).as(p.name() + " default").isEqualTo(p.defaultValue());
                }
            } else {
                assertThat(value.isTextual()).as(p.name() + ": property values are strings").isTrue();
                assertThat(p.isRequired()).as(p.name() + " is required: the template must ask for it").isFalse();
                assertThat(p.defaultValue()).as(p.name() + " has no default, so no literal value").isNotNull();
                assertThat(value.asText()).as(p.name() + " default").isEqualTo(p.defaultValue());
            }
        }
    }

    /** {"Fn::If": [C, {"Ref": X}, {"Ref": "AWS::NoValue"}]} where C is exactly "X is not empty". */
    private static void assertOmittedWhenEmpty(JsonNode template, String name, JsonNode fnIf) {
        String parameter = fnIf.at("/1/Ref").asText();
        assertThat(template.at("/Parameters/" + parameter).isObject()).as(name + " refers to a declared parameter").isTrue();
        assertThat(fnIf.at("/2/Ref").asText()).as(name + " is left out otherwise").isEqualTo("AWS::NoValue");
        JsonNode condition = template.at("/Conditions/" + fnIf.get(0).asText());
        assertThat(condition.at("/Fn::Not/0/Fn::Equals/0/Ref").asText()).as(name + ": condition tests " + parameter)
                .isEqualTo(parameter);
        assertThat(condition.at("/Fn::Not/0/Fn::Equals/1").asText()).as(name + ": condition is 'not empty'").isEmpty();
        assertThat(condition.at("/Fn::Not/0/Fn::Equals/1").isTextual()).isTrue();
    }

    @Test
    void readmeTableListsEveryParameterWithItsDefault() throws IOException {
        Map<String, String> table = readmeParameterTable();
        assertThat(new ArrayList<>(table.keySet())).as("README parameter table, in declaration order")
                .containsExactlyElementsOf(parameterNames());
        for (Parameter p : JobParameters.PARAMETERS) {
            String cell = table.get(p.name());
            if (p.isRequired()) {
                assertThat(cell).as(p.name()).isEqualTo("(required)");
            } else if (p.defaultValue() == null) {
                assertThat(cell).as(p.name() + ": no default, so no literal value").doesNotStartWith("`");
            } else {
                assertThat(cell).as(p.name()).isEqualTo("`" + p.defaultValue() + "`");
            }
        }
    }

    @Test
    void templateIsAManagedFlinkApplicationWithSnapshotsAndCheckpoints() throws IOException {
        JsonNode template = template();
        JsonNode resources = template.get("Resources");
        Map<String, String> types = new LinkedHashMap<>();
        resources.fields().forEachRemaining(e -> types.put(e.getKey(), e.getValue().path("Type").asText()));
        assertThat(types).containsValues("AWS::KinesisAnalyticsV2::Application", "AWS::IAM::Role", "AWS::Logs::LogGroup",
                "AWS::Logs::LogStream", "AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption");

        JsonNode app = application(template).get("Properties");
        assertThat(app.at("/RuntimeEnvironment/Ref").asText()).isEqualTo("RuntimeEnvironment");
        assertThat(template.at("/Parameters/RuntimeEnvironment/Default").asText()).isEqualTo(RUNTIMES.get(0));
        assertThat(texts(template.at("/Parameters/RuntimeEnvironment/AllowedValues"))).containsExactlyElementsOf(RUNTIMES);
        assertThat(app.at("/ServiceExecutionRole/Fn::GetAtt/0").asText()).isEqualTo("ApplicationRole");
        assertThat(app.at("/ApplicationMaintenanceConfiguration/ApplicationMaintenanceWindowStartTime/Ref").asText())
                .isEqualTo("MaintenanceWindowStartTime");
        assertThat(template.at("/Parameters/MaintenanceWindowStartTime/Default").asText()).matches("([01][0-9]|2[0-3]):[0-5][0-9]");
        assertThat(texts(template.at("/Parameters/LogRetentionDays/AllowedValues")))
                .containsExactlyElementsOf(LOG_RETENTION_DAYS.stream().map(String::valueOf).collect(java.util.stream.Collectors.toList()));
        assertThat(template.at("/Resources/LogGroup/Properties/RetentionInDays/Ref").asText()).isEqualTo("LogRetentionDays");
        JsonNode config = app.get("ApplicationConfiguration");
        assertThat(config.at("/ApplicationSnapshotConfiguration/SnapshotsEnabled").asBoolean()).isTrue();
        assertThat(config.at("/ApplicationCodeConfiguration/CodeContentType").asText()).isEqualTo("ZIPFILE");
        JsonNode flink = config.get("FlinkApplicationConfiguration");
        assertThat(flink.at("/CheckpointConfiguration/ConfigurationType").asText()).isEqualTo("CUSTOM");
        assertThat(flink.at("/CheckpointConfiguration/CheckpointingEnabled").asBoolean()).isTrue();
        assertThat(flink.at("/CheckpointConfiguration/CheckpointInterval/Ref").asText()).isEqualTo("CheckpointIntervalMillis");
        assertThat(flink.at("/ParallelismConfiguration/ConfigurationType").asText()).isEqualTo("CUSTOM");
        assertThat(flink.at("/ParallelismConfiguration/Parallelism/Ref").asText()).isEqualTo("Parallelism");
        int maxParallelism = Integer.parseInt(defaultOf("max-parallelism"));
        assertThat(template.at("/Parameters/Parallelism/MaxValue").asInt())
                .as("the service's parallelism cannot exceed the job's max parallelism").isLessThanOrEqualTo(maxParallelism);
    }

    /**
     * The service never autoscales past the job's max parallelism (AWS, "maxParallelism considerations"), and with
     * system rollback a scaling that fails is rolled back: so ParallelismPerKPU is free (1 to 8, AWS recommends more
     * than 1 for I/O-bound jobs) and only the starting Parallelism must stay within max-parallelism.
     */
    @Test
    void parallelismStartsWithinMaxParallelismAndAutoscalingIsTheServicesToBound() throws IOException {
        JsonNode template = template();
        int maxParallelism = Integer.parseInt(defaultOf("max-parallelism"));
        JsonNode flink = application(template).at("/Properties/ApplicationConfiguration/FlinkApplicationConfiguration");
        assertThat(flink.at("/ParallelismConfiguration/AutoScalingEnabled/Ref").asText()).isEqualTo("AutoScalingEnabled");
        assertThat(flink.at("/ParallelismConfiguration/ParallelismPerKPU/Ref").asText()).isEqualTo("ParallelismPerKPU");
        assertThat(template.at("/Parameters/ParallelismPerKPU/MinValue").asInt()).isEqualTo(1);
        assertThat(template.at("/Parameters/ParallelismPerKPU/MaxValue").asInt()).as("the service's own bound").isEqualTo(8);
        assertThat(template.path("Rules").toString()).as("no rule about ParallelismPerKPU").doesNotContain("ParallelismPerKPU");
        assertThat(template.at("/Parameters/Parallelism/MaxValue").asInt()).isLessThanOrEqualTo(maxParallelism);
        assertThat(application(template).at("/Properties/ApplicationConfiguration/ApplicationSystemRollbackConfiguration/RollbackEnabled")
                .asBoolean()).as("a failed update or scaling goes back by itself").isTrue();
    }

    /**
     * The operating switches are stack parameters, so no one changes the application behind the stack (the next stack
     * update would undo it): restore type and snapshot, AllowNonRestoredState, bootstrap-run-id. Their defaults are
     * the safe everyday values.
     */
    @Test
    void theStackCarriesEveryOperatingSwitch() throws IOException {
        JsonNode template = template();
        JsonNode run = application(template).at("/Properties/RunConfiguration");
        assertThat(run.at("/ApplicationRestoreConfiguration/ApplicationRestoreType/Ref").asText()).isEqualTo("RestoreType");
        assertThat(template.at("/Parameters/RestoreType/Default").asText()).isEqualTo("RESTORE_FROM_LATEST_SNAPSHOT");
        assertThat(texts(template.at("/Parameters/RestoreType/AllowedValues"))).containsExactlyInAnyOrder(
                "RESTORE_FROM_LATEST_SNAPSHOT", "RESTORE_FROM_CUSTOM_SNAPSHOT", "SKIP_RESTORE_FROM_SNAPSHOT");
        JsonNode snapshot = run.at("/ApplicationRestoreConfiguration/SnapshotName/Fn::If");
        assertThat(snapshot.get(0).asText()).isEqualTo("RestoresCustomSnapshot");
        assertThat(snapshot.at("/1/Ref").asText()).isEqualTo("SnapshotName");
        assertThat(snapshot.at("/2/Ref").asText()).isEqualTo("AWS::NoValue");
        assertThat(template.at("/Conditions/RestoresCustomSnapshot/Fn::Equals/1").asText()).isEqualTo("RESTORE_FROM_CUSTOM_SNAPSHOT");
        assertThat(template.at("/Rules/CustomSnapshotNamesItsSnapshot/Assertions/0/Assert/Fn::Not/0/Fn::Equals/0/Ref").asText())
                .isEqualTo("SnapshotName");
        assertThat(template.at("/Parameters/SnapshotName/Default").asText()).isEmpty();
        assertThat(run.at("/FlinkRunConfiguration/AllowNonRestoredState/Ref").asText()).isEqualTo("AllowNonRestoredState");
        assertThat(template.at("/Parameters/AllowNonRestoredState/Default").asText()).isEqualTo("false");
        JsonNode runId = application(template).at(
                "/Properties/ApplicationConfiguration/EnvironmentProperties/PropertyGroups/0/PropertyMap/" + JobParameters.BOOTSTRAP_RUN_ID);
        assertThat(runId.at("/Fn::If/1/Ref").asText()).isEqualTo("BootstrapRunId");
        assertThat(template.at("/Parameters/BootstrapRunId/Default").asText()).as("no run id unless asked").isEmpty();
        assertThat(application(template).at("/Properties/ApplicationConfiguration/ApplicationSnapshotConfiguration/SnapshotsEnabled")
                .asBoolean()).isTrue();
    }

    @Test
    void everyReferenceInTheTemplateResolves() throws IOException {
        JsonNode template = template();
        Set<String> names = new TreeSet<>(PSEUDO_PARAMETERS);
        names.addAll(fieldNames(template.get("Parameters")));
        names.addAll(fieldNames(template.get("Resources")));
        Set<String> conditions = new TreeSet<>(fieldNames(template.path("Conditions")));
        List<String> unresolved = new ArrayList<>();
        collectUnresolved(template.get("Resources"), names, conditions, unresolved);
        collectUnresolved(template.get("Outputs"), names, conditions, unresolved);
        collectUnresolved(template.get("Conditions"), names, conditions, unresolved);
        assertThat(unresolved).as("Ref, Fn::GetAtt, Fn::Sub and Fn::If names that are not declared").isEmpty();
        for (JsonNode resource : iterable(template.get("Resources"))) {
            if (resource.has("Condition")) {
                assertThat(conditions).contains(resource.get("Condition").asText());
            }
        }
    }

    @Test
    void theRoleGrantsOnlyWhatTheJobUses() throws IOException {
        JsonNode role = template().at("/Resources/ApplicationRole/Properties");
        JsonNode trust = role.at("/AssumeRolePolicyDocument/Statement/0");
        assertThat(trust.at("/Principal/Service").asText()).isEqualTo("kinesisanalytics.amazonaws.com");
        assertThat(trust.at("/Condition/StringEquals/aws:SourceAccount/Ref").asText())
                .as("trust bound to this account").isEqualTo("AWS::AccountId");
        assertThat(trust.at("/Condition/ArnEquals/aws:SourceArn/Fn::Sub").asText()).as("trust bound to this application")
                .isEqualTo("arn:${AWS::Partition}:kinesisanalytics:${AWS::Region}:${AWS::AccountId}:application/${ApplicationName}");
        List<JsonNode> statements = new ArrayList<>();
        for (JsonNode policy : iterable(role.get("Policies"))) {
            JsonNode document = policy.has("Fn::If") ? policy.get("Fn::If").get(1).get("PolicyDocument") : policy.get("PolicyDocument");
            statements.addAll(listOf(document.get("Statement")));
        }
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : statements) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            for (JsonNode action : listOf(statement.get("Action"))) {
                assertThat(action.asText()).as("no wildcard actions").doesNotContain("*");
                actions.add(action.asText());
            }
            for (JsonNode resource : listOf(statement.get("Resource"))) {
                assertThat(resource.isTextual() && resource.asText().equals("*")).as("no Resource *").isFalse();
            }
        }
        assertThat(actions).containsExactlyInAnyOrder("s3:GetObject", "s3:GetObjectVersion", "dynamodb:DescribeStream",
                "dynamodb:GetShardIterator", "dynamodb:GetRecords", "secretsmanager:GetSecretValue", "logs:PutLogEvents",
                "logs:DescribeLogGroups", "logs:DescribeLogStreams", "kms:Decrypt", "dynamodb:BatchWriteItem",
                "dynamodb:DescribeTable", "dynamodb:Scan");
        assertThat(new TreeSet<>(readmeGrantedActions())).as("deploy/msf/README.md lists exactly the granted actions")
                .isEqualTo(actions);
        JsonNode streams = statements.stream().filter(s -> s.path("Sid").asText().equals("FindLogStream")).findFirst().orElseThrow();
        assertThat(listOf(streams.get("Action"))).extracting(JsonNode::asText).containsExactly("logs:DescribeLogStreams");
        assertThat(streams.at("/Resource/Fn::Sub").asText()).as("only the application's own log group")
                .endsWith(":log-group:${LogGroup}:log-stream:*");
        JsonNode stream = statements.stream().filter(s -> s.path("Sid").asText().equals("ReadOrderStream")).findFirst().orElseThrow();
        assertThat(stream.at("/Resource/Fn::Sub").asText()).endsWith(":table/${TableName}/stream/*");
        JsonNode table = statements.stream().filter(s -> s.path("Sid").asText().equals("FindAndScanOrderTable")).findFirst().orElseThrow();
        assertThat(table.at("/Resource/Fn::Sub").asText()).endsWith(":table/${TableName}");
        JsonNode secret = statements.stream().filter(s -> s.path("Sid").asText().equals("ReadMomentoApiKey")).findFirst().orElseThrow();
        assertThat(secret.at("/Resource/Ref").asText()).isEqualTo("MomentoApiKeySecretArn");
        JsonNode deadLetters = statements.stream().filter(s -> s.path("Sid").asText().equals("WriteDeadLetterTable")).findFirst().orElseThrow();
        assertThat(deadLetters.at("/Resource/Fn::Sub").asText()).endsWith(":table/${DeadLetterTableName}");
    }

    @Test
    void alarmsWatchTheApplicationAndNotifyTheOptionalTopic() throws IOException {
        JsonNode template = template();
        Map<String, String> metricByAlarm = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : resourcesOfType(template, "AWS::CloudWatch::Alarm").entrySet()) {
            JsonNode alarm = e.getValue();
            assertThat(alarm.path("Condition").asText()).as(e.getKey() + " only with MonitoringEnabled").isEqualTo("Monitoring");
            JsonNode props = alarm.get("Properties");
            JsonNode metric = props.has("Metrics") ? props.at("/Metrics/0/MetricStat/Metric") : props;
            assertThat(metric.path("Namespace").asText()).as(e.getKey()).isEqualTo("AWS/KinesisAnalytics");
            assertThat(metric.at("/Dimensions/0/Name").asText()).as(e.getKey()).isEqualTo("Application");
            assertThat(metric.at("/Dimensions/0/Value/Ref").asText()).as(e.getKey()).isEqualTo("Application");
            assertThat(metric.path("Dimensions").size()).as(e.getKey() + ": Application level, any MetricsLevel").isEqualTo(1);
            for (String actions : List.of("AlarmActions", "OKActions")) {
                assertThat(props.at("/" + actions + "/Fn::If/0").asText()).as(e.getKey() + " " + actions).isEqualTo("HasAlarmTopic");
                assertThat(props.at("/" + actions + "/Fn::If/1/0/Ref").asText()).isEqualTo("AlarmTopicArn");
            }
            JsonNode name = metric.path("MetricName");
            metricByAlarm.put(e.getKey(), name.has("Fn::If") ? name.get("Fn::If").toString() : name.asText());
        }
        assertThat(metricByAlarm).as("down, restarting, checkpoints, resources, lag, cache writes, dead letters")
                .containsOnly(Map.entry("JobDownAlarm", "downtime"),
                        // FLINK-2_2 removed fullRestarts; numRestarts replaces it (AWS, "Flink 2.2 metric changes").
                        Map.entry("JobRestartingAlarm", "[\"IsFlink2\",\"numRestarts\",\"fullRestarts\"]"),
                        Map.entry("CheckpointsFailingAlarm", "numberOfFailedCheckpoints"),
                        Map.entry("CheckpointDurationAlarm", "lastCheckpointDuration"),
                        Map.entry("CheckpointSizeAlarm", "lastCheckpointSize"),
                        Map.entry("HeapAlarm", "heapMemoryUtilization"),
                        Map.entry("CpuAlarm", "containerCPUUtilization"),
                        Map.entry("ReadLagAlarm", "millisBehindLatest"),
                        Map.entry("CacheWritesFailingAlarm", "cacheWriteRetriesPerSecond"),
                        Map.entry("CacheWritesThrottledAlarm", "cacheWritesThrottledPerSecond"),
                        Map.entry("DeadLettersAlarm", "deadLettersPerSecond"));
        assertThat(template.at("/Conditions/IsFlink2/Fn::Equals/0/Ref").asText()).isEqualTo("RuntimeEnvironment");
        assertThat(template.at("/Conditions/IsFlink2/Fn::Equals/1").asText()).isEqualTo("FLINK-2_2");
        JsonNode lag = template.at("/Resources/ReadLagAlarm/Properties");
        assertThat(lag.path("Statistic").asText()).as("the reader furthest behind").isEqualTo("Maximum");
        assertThat(lag.path("TreatMissingData").asText()).as("a source that reports nothing is not a healthy one")
                .isEqualTo("breaching");
        JsonNode restarts = template.at("/Resources/JobRestartingAlarm/Properties");
        assertThat(restarts.path("DatapointsToAlarm").asInt()).as("one restart (maintenance, an outage) does not page")
                .isGreaterThan(1);
        assertThat(restarts.path("EvaluationPeriods").asInt()).isGreaterThanOrEqualTo(restarts.path("DatapointsToAlarm").asInt());
        assertThat(template.at("/Parameters/MonitoringEnabled/Default").asText()).isEqualTo("false");
        assertThat(template.at("/Parameters/AlarmTopicArn/Default").asText()).isEmpty();
        assertThat(resourcesOfType(template, "AWS::CloudWatch::Dashboard")).hasSize(1);
    }

    /**
     * The dashboard body is JSON once CloudFormation substitutes it, every widget reads the application, KPUs (published
     * hourly) is read hourly, and the name is one CloudWatch accepts and unique per region of the account.
     */
    @Test
    void theDashboardIsValidJsonWithANameCloudWatchAccepts() throws IOException {
        JsonNode template = template();
        JsonNode dashboard = template.at("/Resources/Dashboard/Properties");
        JsonNode sub = dashboard.at("/DashboardBody/Fn::Sub");
        Map<String, String> values = Map.of("AWS::Region", "eu-west-1", "App", "my.app", "RestartMetric", "numRestarts",
                "LagThreshold", "300000", "DurationThreshold", "30000");
        assertThat(fieldNames(sub.get(1))).containsExactlyInAnyOrder("App", "RestartMetric", "LagThreshold", "DurationThreshold");
        Matcher m = SUB_VARIABLE.matcher(sub.get(0).asText());
        StringBuffer body = new StringBuffer();
        while (m.find()) {
            assertThat(values).as("${" + m.group(1) + "} is substituted").containsKey(m.group(1));
            m.appendReplacement(body, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        m.appendTail(body);
        JsonNode widgets = new ObjectMapper().readTree(body.toString()).get("widgets");
        assertThat(widgets.size()).isGreaterThan(5);
        boolean kpus = false;
        for (JsonNode widget : widgets) {
            JsonNode props = widget.get("properties");
            assertThat(props.path("region").asText()).isEqualTo("eu-west-1");
            assertThat(props.at("/metrics/0/3").asText()).isEqualTo("my.app");
            if (props.at("/metrics/0/1").asText().equals("KPUs")) {
                kpus = true;
                assertThat(props.path("period").asInt()).as("KPUs is published once an hour").isEqualTo(3600);
            }
        }
        assertThat(kpus).isTrue();
        // CloudWatch: "can contain only alphanumerics, dash (-), and underscore (_)", at most 255 characters.
        String longest = "a.".repeat(64) + "x";
        Map<String, String> stack = Map.of("ApplicationName", longest.substring(0, 128), "AWS::Region", "ap-southeast-3");
        String resolved = evaluate(dashboard.get("DashboardName"), stack);
        assertThat(resolved).isEqualTo(longest.substring(0, 128).replace('.', '_') + "-ap-southeast-3").matches("[A-Za-z0-9_-]{1,255}");
        assertThat(evaluate(dashboard.get("DashboardName"), Map.of("ApplicationName", "orders", "AWS::Region", "eu-west-1")))
                .as("dashboards are account-wide: one per region").isEqualTo("orders-eu-west-1");
        assertThat(template.at("/Parameters/ApplicationName/AllowedPattern").asText()).isEqualTo("^[a-zA-Z0-9_.-]{1,128}$");
    }

    private static Map<String, JsonNode> resourcesOfType(JsonNode template, String type) {
        Map<String, JsonNode> found = new TreeMap<>();
        template.get("Resources").fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals(type)) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    @Test
    void localClusterRuntimeUsesTheJobsVersions() throws IOException {
        String jobPom = read(ROOT.resolve("pom.xml"));
        String runtimePom = read(ROOT.resolve("deploy/local/runtime/pom.xml"));
        for (String property : List.of("flink.version", "log4j.version", "plugin.dependency.version")) {
            assertThat(property(runtimePom, property)).as(property).isEqualTo(property(jobPom, property));
        }
    }

    @Test
    void localClusterConfigurationHasWhatTheScriptsAndJobRelyOn() throws IOException {
        JsonNode conf = YAML.readTree(ROOT.resolve("flink-conf/config.yaml").toFile());
        JsonNode checkpointing = conf.at("/execution/checkpointing");
        assertThat(checkpointing.path("interval").asText()).isNotEmpty();
        assertThat(checkpointing.path("mode").asText()).isEqualTo("EXACTLY_ONCE");
        assertThat(checkpointing.path("dir").asText()).startsWith("file:///");
        assertThat(checkpointing.path("savepoint-dir").asText()).startsWith("file:///");
        assertThat(conf.at("/state/backend/type").asText()).isEqualTo("rocksdb");
        assertThat(conf.at("/restart-strategy/type").asText()).isNotEmpty();
        assertThat(conf.at("/rest/port").asInt()).as("deploy/local/flink-env.sh's default").isEqualTo(8081);
        assertThat(conf.at("/jobmanager/rpc/port").asInt()).as("deploy/local/flink-env.sh's default").isEqualTo(6123);
        assertThat(conf.at("/taskmanager/numberOfTaskSlots").asInt())
                .as("the end-to-end script rescales to 3").isGreaterThanOrEqualTo(3);
    }

    /**
     * The local-cluster steps in the docs are what deploy/local does: its CLI wrapper (or Flink's own bin/flink on
     * flink-conf/), and the savepoint directory of flink-conf/config.yaml, never another one.
     */
    @Test
    void localClusterStepsUseDeployLocalsCommandsAndSavepointDirectory() throws IOException {
        String savepointDir = YAML.readTree(ROOT.resolve("flink-conf/config.yaml").toFile())
                .at("/execution/checkpointing/savepoint-dir").asText();
        assertThat(savepointDir).startsWith("file:///");
        String path = savepointDir.substring("file://".length());
        Pattern savepointPath = Pattern.compile("file:(?://)?(/[^\\s\"']*savepoints[^\\s\"']*)");
        Pattern flinkCli = Pattern.compile("(^|[\\s;&|(])((?:\\S*/)?bin/flink|deploy/local/flink)\\s");
        List<String> wrong = new ArrayList<>();
        for (String doc : List.of("README.md", "deploy/local/README.md", "docs/operating-local-cluster.md")) {
            List<String> lines = Files.readAllLines(ROOT.resolve(doc), StandardCharsets.UTF_8);
            boolean code = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("```")) {
                    code = !code;
                    continue;
                }
                if (!code) {
                    continue;
                }
                Matcher cli = flinkCli.matcher(line);
                while (cli.find()) {
                    if (!cli.group(2).equals("deploy/local/flink") && !cli.group(2).equals("$FLINK_HOME/bin/flink")) {
                        wrong.add(doc + ":" + (i + 1) + " runs " + cli.group(2));
                    }
                }
                Matcher sp = savepointPath.matcher(line);
                while (sp.find()) {
                    if (!sp.group(1).startsWith(path)) {
                        wrong.add(doc + ":" + (i + 1) + " uses savepoints in " + sp.group(1));
                    }
                }
            }
        }
        assertThat(wrong).as("local-cluster commands other than deploy/local's, or savepoints outside " + savepointDir)
                .isEmpty();
    }

    // ------------------------------------------------------------------------------------------------

    private static JsonNode template() throws IOException {
        return YAML.readTree(TEMPLATE.toFile());
    }

    private static JsonNode application(JsonNode template) {
        for (JsonNode resource : iterable(template.get("Resources"))) {
            if (resource.path("Type").asText().equals("AWS::KinesisAnalyticsV2::Application")) {
                return resource;
            }
        }
        throw new AssertionError("no AWS::KinesisAnalyticsV2::Application in " + TEMPLATE);
    }

    private static void collectUnresolved(JsonNode node, Set<String> names, Set<String> conditions, List<String> out) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String key = e.getKey();
                JsonNode v = e.getValue();
                if (key.equals("Ref") && !names.contains(v.asText())) {
                    out.add("Ref " + v.asText());
                } else if (key.equals("Fn::GetAtt") && !names.contains(v.get(0).asText())) {
                    out.add("Fn::GetAtt " + v.get(0).asText());
                } else if (key.equals("Fn::Sub")) {
                    Matcher m = SUB_VARIABLE.matcher(v.isArray() ? v.get(0).asText() : v.asText());
                    Set<String> local = new TreeSet<>(v.isArray() && v.size() > 1 ? fieldNames(v.get(1)) : List.of());
                    while (m.find()) {
                        String name = m.group(1).split("\\.")[0];
                        if (!names.contains(name) && !local.contains(name) && !name.contains("::")) {
                            out.add("Fn::Sub ${" + m.group(1) + "}");
                        }
                    }
                } else if ((key.equals("Fn::If") && !conditions.contains(v.get(0).asText()))
                        || (key.equals("Condition") && v.isTextual() && !conditions.contains(v.asText()))) {
                    out.add(key + " " + (v.isArray() ? v.get(0).asText() : v.asText()));
                }
                collectUnresolved(v, names, conditions, out);
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectUnresolved(child, names, conditions, out));
        }
    }

    /** The actions in the table under deploy/msf/README.md's "## The role's permissions". */
    private static List<String> readmeGrantedActions() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("deploy/msf/README.md"), StandardCharsets.UTF_8);
        int start = lines.indexOf("## The role's permissions");
        assertThat(start).as("deploy/msf/README.md has a '## The role's permissions' section").isNotNegative();
        List<String> actions = new ArrayList<>();
        Pattern row = Pattern.compile("^\\|\\s*`([a-z0-9-]+:[A-Za-z]+)`\\s*\\|.*$");
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            Matcher m = row.matcher(lines.get(i));
            if (m.matches()) {
                actions.add(m.group(1));
            }
        }
        return actions;
    }

    /** Parameter name to its default cell, from the table under README.md's "## Parameters". */
    private static Map<String, String> readmeParameterTable() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        int start = lines.indexOf("## Parameters");
        assertThat(start).as("README.md has a '## Parameters' section").isNotNegative();
        Map<String, String> table = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\|\\s*`([a-z0-9-]+)`\\s*\\|\\s*(.*?)\\s*\\|.*\\|\\s*$");
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            Matcher m = row.matcher(lines.get(i));
            if (m.matches()) {
                assertThat(table.put(m.group(1), m.group(2))).as("listed once: " + m.group(1)).isNull();
            }
        }
        return table;
    }

    /** Fn::Join, Fn::Split and Ref, as CloudFormation evaluates them. */
    private static String evaluate(JsonNode node, Map<String, String> stack) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.has("Ref")) {
            return stack.get(node.get("Ref").asText());
        }
        if (node.has("Fn::Join")) {
            List<String> parts = new ArrayList<>();
            JsonNode list = node.get("Fn::Join").get(1);
            if (list.has("Fn::Split")) {
                JsonNode split = list.get("Fn::Split");
                parts.addAll(List.of(evaluate(split.get(1), stack).split(Pattern.quote(split.get(0).asText()), -1)));
            } else {
                list.forEach(part -> parts.add(evaluate(part, stack)));
            }
            return String.join(node.get("Fn::Join").get(0).asText(), parts);
        }
        throw new AssertionError("not evaluated here: " + node);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        JobParameters.PARAMETERS.forEach(p -> names.add(p.name()));
        return names;
    }

    private static String defaultOf(String name) {
        return JobParameters.PARAMETERS.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().defaultValue();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node != null) {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private static List<JsonNode> listOf(JsonNode node) {
        List<JsonNode> list = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(list::add);
        } else if (node != null) {
            list.add(node);
        }
        return list;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return () -> node == null ? new ArrayList<JsonNode>().iterator() : (Iterator<JsonNode>) node.elements();
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as(name + " in pom").isTrue();
        return m.group(1).trim();
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
