package dev.ordercachesync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.config.ParameterSources;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes as the Flink Kubernetes Operator and Kubernetes read it. The FlinkDeployment is validated against
 * the operator's own CRD schema (from the Maven artifact flink-kubernetes-operator-api), made strict the way
 * {@code kubectl apply --validate=strict} is: a field the schema does not declare is an error, not silently pruned.
 * Its Flink settings are checked against Flink's own option classes, the job's ConfigMap against the job's parameter
 * loading, the image against the pom. No Docker engine runs here, so the image itself is not built: the Dockerfile is
 * checked for what the manifest relies on (base image of the pom's Flink version, the jar where jarURI points, the
 * base image's entrypoint left in charge).
 */
class KubernetesDeploymentTest {
    private static final Path ROOT = Paths.get("").toAbsolutePath();
    private static final Path DIR = ROOT.resolve("deploy/kubernetes");
    private static final String CRD = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Operator settings the FlinkDeployment uses, as named in the operator's KubernetesOperatorConfigOptions of
     * release-1.10 (checked there by hand: those options are in the operator, not in its -api artifact).
     */
    private static final Set<String> OPERATOR_OPTIONS = Set.of(
            "kubernetes.operator.periodic.savepoint.interval",
            "kubernetes.operator.savepoint.history.max.count",
            "kubernetes.operator.savepoint.history.max.age",
            "kubernetes.operator.deployment.rollback.enabled",
            "kubernetes.operator.deployment.readiness.timeout",
            "kubernetes.operator.cluster.health-check.enabled",
            "kubernetes.operator.cluster.health-check.restarts.window",
            "kubernetes.operator.cluster.health-check.restarts.threshold",
            "kubernetes.operator.jm-deployment-recovery.enabled");
    /** Flink's option classes that hold every Flink key the FlinkDeployment sets (since 1.20 every checkpointing key). */
    private static final List<Class<?>> FLINK_OPTION_CLASSES = List.of(CheckpointingOptions.class,
            StateBackendOptions.class, HighAvailabilityOptions.class, RestartStrategyOptions.class,
            TaskManagerOptions.class, JobManagerOptions.class);

    @TempDir
    Path tmp;

    @Test
    void theFlinkDeploymentValidatesAgainstTheOperatorsCrdSchema() throws IOException {
        JsonNode deployment = flinkDeployment();
        assertThat(errors(deployment)).as("FlinkDeployment against the operator's CRD schema").isEmpty();
    }

    /** The strict schema is not a rubber stamp: it names a misspelt field, a wrong enum and a wrong type. */
    @Test
    void theSchemaRefusesWhatTheOperatorWouldNot() throws IOException {
        ObjectNode typo = flinkDeployment().deepCopy();
        ((ObjectNode) typo.at("/spec/job")).put("upgradeMod", "savepoint");
        assertThat(errors(typo)).anyMatch(e -> e.contains("upgradeMod"));

        ObjectNode mode = flinkDeployment().deepCopy();
        ((ObjectNode) mode.at("/spec/job")).put("upgradeMode", "snapshot");
        assertThat(errors(mode)).anyMatch(e -> e.contains("/spec/job/upgradeMode"));

        ObjectNode type = flinkDeployment().deepCopy();
        ((ObjectNode) type.at("/spec/flinkConfiguration")).put("taskmanager.numberOfTaskSlots", 2);
        assertThat(errors(type)).as("flinkConfiguration values are strings").anyMatch(e -> e.contains("numberOfTaskSlots"));

        ObjectNode pod = flinkDeployment().deepCopy();
        ((ObjectNode) pod.at("/spec/podTemplate/spec/containers/0")).put("envv", "x");
        assertThat(errors(pod)).as("the pod template is checked as deeply").anyMatch(e -> e.contains("envv"));
    }

    /** The image's Flink is the pom's, once: the Dockerfile's FLINK_VERSION, and the manifest's flinkVersion from it. */
    @Test
    void theImageIsTheOfficialFlinkImageOfThePomsFlinkVersion() throws IOException {
        Map<String, String> args = dockerArgs();
        String flinkVersion = pomProperty("flink.version");
        assertThat(args).containsEntry("FLINK_VERSION", flinkVersion).containsEntry("JAVA_VERSION", "17");
        List<String> from = instructions("FROM");
        assertThat(from).as("one stage, on the official image").containsExactly("flink:${FLINK_VERSION}-java${JAVA_VERSION}");
        String[] majorMinor = flinkVersion.split("\\.");
        assertThat(flinkDeployment().at("/spec/flinkVersion").asText()).isEqualTo("v" + majorMinor[0] + "_" + majorMinor[1]);
        assertThat(instructions("ENV")).contains("ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-presto-${FLINK_VERSION}.jar");
        assertThat(instructions("RUN")).contains("test -f \"${FLINK_HOME}/opt/flink-s3-fs-presto-${FLINK_VERSION}.jar\"");
        assertThat(instructions("ENTRYPOINT")).as("the operator runs the base image's /docker-entrypoint.sh").isEmpty();
        assertThat(instructions("CMD")).isEmpty();
        assertThat(instructions("USER")).as("the entrypoint drops to user flink itself").isEmpty();
    }

    @Test
    void theJarIsWhereJarUriPointsAndTheBuildContextHoldsIt() throws IOException {
        List<String> copies = instructions("COPY");
        assertThat(copies).hasSize(1);
        String[] copy = copies.get(0).split("\\s+");
        assertThat(copy[0]).isEqualTo("--chown=flink:flink");
        String jar = "target/" + pomElement("artifactId") + "-" + pomElement("version") + ".jar";
        assertThat(copy[1]).as("the shaded jar mvn package builds").isEqualTo(jar);
        assertThat(copy[2]).startsWith("/opt/flink/usrlib/");
        assertThat(flinkDeployment().at("/spec/job/jarURI").asText()).isEqualTo("local://" + copy[2]);
        List<String> ignore = Files.readAllLines(ROOT.resolve(".dockerignore"), StandardCharsets.UTF_8);
        assertThat(ignore).contains("*", "!target/order-cache-sync-*.jar");
        assertThat(jar.substring("target/".length())).matches("order-cache-sync-.*\\.jar");
    }

    /** Savepoint upgrades, RocksDB incremental checkpoints, checkpoints, savepoints and HA on S3, Kubernetes HA. */
    @Test
    void stateIsOnS3WithRocksDbIncrementalCheckpointsKubernetesHaAndSavepointUpgrades() throws IOException {
        JsonNode spec = flinkDeployment().get("spec");
        assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(spec.at("/job/allowNonRestoredState").asBoolean(true)).isFalse();
        assertThat(spec.at("/job/state").asText()).isEqualTo("running");
        Configuration conf = Configuration.fromMap(flinkConfiguration());
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(conf.get(HighAvailabilityOptions.HA_MODE)).isEqualTo("kubernetes");
        assertThat(conf.get(HighAvailabilityOptions.HA_STORAGE_PATH)).startsWith("s3://");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).startsWith("s3://");
        assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).startsWith("s3://");
        // The operator 1.10 validator reads the pre-1.20 names; they must say the same.
        Map<String, String> flat = flinkConfiguration();
        assertThat(flat.get("state.checkpoints.dir")).isEqualTo(flat.get("execution.checkpointing.dir"));
        assertThat(flat.get("state.savepoints.dir")).isEqualTo(flat.get("execution.checkpointing.savepoint-dir"));
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isNotEqualTo(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY));
        // Rollback needs HA; the health check needs JobManager deployment recovery (the operator refuses otherwise).
        assertThat(flat).containsEntry("kubernetes.operator.deployment.rollback.enabled", "true")
                .containsEntry("kubernetes.operator.cluster.health-check.enabled", "true")
                .containsEntry("kubernetes.operator.jm-deployment-recovery.enabled", "true");
        assertThat(spec.at("/job/parallelism").asInt()).isBetween(1, Integer.parseInt(defaultOf(JobParameters.MAX_PARALLELISM)));
    }

    /** Every key is one Flink or the operator knows, and every Flink value parses as its option's type. */
    @Test
    void everyFlinkSettingIsAnOptionFlinkKnowsWithAValueItParses() throws Exception {
        Map<String, ConfigOption<?>> options = flinkOptions();
        Configuration conf = Configuration.fromMap(flinkConfiguration());
        List<String> unknown = new ArrayList<>();
        for (String key : flinkConfiguration().keySet()) {
            if (key.startsWith("kubernetes.operator.")) {
                if (!OPERATOR_OPTIONS.contains(key)) {
                    unknown.add(key);
                }
            } else if (!options.containsKey(key)) {
                unknown.add(key);
            } else {
                conf.get(options.get(key));
            }
        }
        assertThat(unknown).as("keys neither Flink nor the operator defines").isEmpty();
    }

    /** Job arguments from the ConfigMap (the job reads --config-file), the Momento key from the Secret. */
    @Test
    void theJobReadsItsParametersFromTheConfigMapAndItsKeyFromTheSecret() throws IOException {
        JsonNode spec = flinkDeployment().get("spec");
        JsonNode args = spec.at("/job/args");
        assertThat(args.size()).isEqualTo(2);
        assertThat(args.get(0).asText()).isEqualTo("--" + ParameterSources.CONFIG_FILE);
        String configFile = args.get(1).asText();

        JsonNode podSpec = spec.at("/podTemplate/spec");
        JsonNode container = podSpec.at("/containers/0");
        assertThat(container.path("name").asText()).as("the operator's container name").isEqualTo("flink-main-container");
        JsonNode mount = container.at("/volumeMounts/0");
        assertThat(configFile).startsWith(mount.path("mountPath").asText() + "/");
        JsonNode volume = podSpec.at("/volumes/0");
        assertThat(volume.path("name").asText()).isEqualTo(mount.path("name").asText());
        JsonNode configMap = only(documents("job-config.yaml"), "ConfigMap");
        assertThat(volume.at("/configMap/name").asText()).isEqualTo(configMap.at("/metadata/name").asText());
        String fileName = configFile.substring(mount.path("mountPath").asText().length() + 1);
        String properties = configMap.at("/data/" + fileName).asText();
        assertThat(properties).as("the ConfigMap holds " + fileName).isNotEmpty();

        Path file = tmp.resolve(fileName);
        Files.write(file, properties.getBytes(StandardCharsets.UTF_8));
        JobParameters p = ParameterSources.load(new String[] {"--" + ParameterSources.CONFIG_FILE, file.toString()}, Map.of());
        assertThat(p.tableName).isNotEmpty();
        assertThat(p.awsRegion).isNotEmpty();
        assertThat(p.momentoApiKeySecretId).as("on Kubernetes the key comes from a Secret, not Secrets Manager").isNull();
        assertThat(p.momentoLocalHost).as("the real Momento, not a local server").isNull();
        assertThat(p.maxParallelism).isEqualTo(Integer.parseInt(defaultOf(JobParameters.MAX_PARALLELISM)));

        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        JsonNode key = env.get(p.momentoApiKeyEnv);
        assertThat(key).as("the variable momento-api-key-env names is set").isNotNull();
        assertThat(key.has("value")).as("never a literal key in the manifest").isFalse();
        assertThat(key.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("order-cache-sync-momento");
        assertThat(key.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("api-key");
    }

    /** The pods run as a service account for IRSA or Pod Identity, allowed what native mode and Kubernetes HA do. */
    @Test
    void thePodsRunAsAServiceAccountWithWhatNativeModeAndHaNeed() throws IOException {
        List<JsonNode> docs = documents("service-account.yaml");
        JsonNode account = only(docs, "ServiceAccount");
        String name = account.at("/metadata/name").asText();
        assertThat(flinkDeployment().at("/spec/serviceAccount").asText()).isEqualTo(name);
        assertThat(account.at("/metadata/annotations/eks.amazonaws.com~1role-arn").asText())
                .as("IRSA").matches("arn:aws[a-z-]*:iam::[0-9]{12}:role/.+");
        JsonNode role = only(docs, "Role");
        JsonNode binding = only(docs, "RoleBinding");
        assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("Role");
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo(role.at("/metadata/name").asText());
        assertThat(binding.at("/subjects/0/kind").asText()).isEqualTo("ServiceAccount");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(name);
        Map<String, Set<String>> verbs = new HashMap<>();
        for (JsonNode rule : role.get("rules")) {
            for (JsonNode resource : rule.get("resources")) {
                Set<String> v = verbs.computeIfAbsent(rule.at("/apiGroups/0").asText() + "/" + resource.asText(), k -> new TreeSet<>());
                rule.get("verbs").forEach(verb -> v.add(verb.asText()));
            }
        }
        List<String> all = List.of("get", "list", "watch", "create", "update", "patch", "delete");
        assertThat(verbs.get("/pods")).as("the JobManager creates and watches TaskManager pods").containsAll(all);
        assertThat(verbs.get("/configmaps")).as("Kubernetes HA").containsAll(all);
        assertThat(verbs.get("apps/deployments")).containsAll(all);
        assertThat(verbs.keySet()).as("nothing else").containsExactlyInAnyOrder("/pods", "/configmaps", "apps/deployments",
                "apps/deployments/finalizers");
    }

    @Test
    void kustomizeAppliesEveryManifestAndSetsTheImage() throws IOException {
        JsonNode kustomization = YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
        List<String> resources = new ArrayList<>();
        kustomization.get("resources").forEach(r -> resources.add(r.asText()));
        List<String> manifests = new ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.list(DIR)) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                    .forEach(manifests::add);
        }
        assertThat(resources).containsExactlyInAnyOrderElementsOf(manifests);
        String image = flinkDeployment().at("/spec/image").asText();
        assertThat(image.substring(0, image.lastIndexOf(':'))).isEqualTo(kustomization.at("/images/0/name").asText());
        assertThat(image.substring(image.lastIndexOf(':') + 1)).isEqualTo(pomElement("version"));
    }

    // ------------------------------------------------------------------------------------------------

    private static JsonNode flinkDeployment() throws IOException {
        return only(documents("flinkdeployment.yaml"), "FlinkDeployment");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> flinkConfiguration() throws IOException {
        return JSON.convertValue(flinkDeployment().at("/spec/flinkConfiguration"), LinkedHashMap.class);
    }

    /** The errors of the strict CRD schema of the manifest's apiVersion, one line each. */
    private static List<String> errors(JsonNode manifest) throws IOException {
        String version = manifest.path("apiVersion").asText().replaceFirst("^flink\\.apache\\.org/", "");
        JsonNode crd;
        try (InputStream in = KubernetesDeploymentTest.class.getClassLoader().getResourceAsStream(CRD)) {
            assertThat(in).as(CRD + " from flink-kubernetes-operator-api").isNotNull();
            crd = YAML.readTree(in);
        }
        JsonNode schema = null;
        List<String> served = new ArrayList<>();
        for (JsonNode v : crd.at("/spec/versions")) {
            if (v.path("served").asBoolean()) {
                served.add(v.path("name").asText());
                if (v.path("name").asText().equals(version)) {
                    schema = v.at("/schema/openAPIV3Schema");
                }
            }
        }
        assertThat(schema).as("the operator serves " + version + " (it serves " + served + ")").isNotNull();
        ObjectNode root = (ObjectNode) strict(schema);
        // What the API server checks of every object itself: its type and its ObjectMeta (name a DNS-1123 subdomain).
        ObjectNode props = (ObjectNode) root.get("properties");
        props.putObject("apiVersion").putArray("enum").add(crd.at("/spec/group").asText() + "/" + version);
        props.putObject("kind").putArray("enum").add(crd.at("/spec/names/kind").asText());
        ObjectNode metadata = props.putObject("metadata");
        metadata.put("type", "object");
        metadata.putArray("required").add("name");
        ObjectNode metaProps = metadata.putObject("properties");
        metaProps.putObject("name").put("type", "string").put("maxLength", 253)
                .put("pattern", "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
        for (String map : List.of("labels", "annotations")) {
            metaProps.putObject(map).put("type", "object").putObject("additionalProperties").put("type", "string");
        }
        root.putArray("required").add("apiVersion").add("kind").add("metadata").add("spec");
        Schema strict = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(JSON.writeValueAsString(root));
        List<String> out = new ArrayList<>();
        for (Error e : strict.validate(manifest)) {
            out.add(e.getInstanceLocation() + ": " + e.getMessage());
        }
        return out;
    }

    /**
     * The CRD's OpenAPI v3 schema as a JSON schema that refuses undeclared fields, as the API server's strict field
     * validation does: an object that declares properties and does not preserve unknown fields gets
     * additionalProperties false; nullable becomes a null type; Kubernetes' x- extensions are dropped.
     */
    static JsonNode strict(JsonNode schema) {
        if (schema.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            schema.forEach(item -> out.add(strict(item)));
            return out;
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode out = JSON.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = f.getKey();
            if (key.startsWith("x-kubernetes-") || key.equals("nullable") || key.equals("description")) {
                continue;
            }
            if (key.equals("properties")) {
                ObjectNode props = out.putObject("properties");
                f.getValue().fields().forEachRemaining(p -> props.set(p.getKey(), strict(p.getValue())));
            } else if (key.equals("items") || key.equals("additionalProperties") || key.equals("anyOf")
                    || key.equals("allOf") || key.equals("oneOf") || key.equals("not")) {
                out.set(key, strict(f.getValue()));
            } else {
                out.set(key, f.getValue());
            }
        }
        if (schema.has("properties") && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()
                && !schema.has("additionalProperties")) {
            out.put("additionalProperties", false);
        }
        if (schema.path("nullable").asBoolean() && schema.has("type")) {
            out.set("type", JSON.createArrayNode().add(schema.get("type").asText()).add("null"));
        }
        return out;
    }

    /** Every key of Flink's options in {@link #FLINK_OPTION_CLASSES}, with their deprecated and fallback keys. */
    private static Map<String, ConfigOption<?>> flinkOptions() throws IllegalAccessException {
        Map<String, ConfigOption<?>> options = new HashMap<>();
        for (Class<?> c : FLINK_OPTION_CLASSES) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> option = (ConfigOption<?>) f.get(null);
                    options.put(option.key(), option);
                    for (FallbackKey k : option.fallbackKeys()) {
                        options.put(k.getKey(), option);
                    }
                }
            }
        }
        return options;
    }

    private static List<JsonNode> documents(String file) throws IOException {
        try (com.fasterxml.jackson.core.JsonParser parser = YAML.getFactory().createParser(DIR.resolve(file).toFile())) {
            return YAML.readValues(parser, JsonNode.class).readAll();
        }
    }

    private static JsonNode only(List<JsonNode> docs, String kind) {
        List<JsonNode> found = new ArrayList<>();
        docs.stream().filter(d -> d.path("kind").asText().equals(kind)).forEach(found::add);
        assertThat(found).as("one " + kind).hasSize(1);
        return found.get(0);
    }

    /** ARG defaults of the Dockerfile. */
    private static Map<String, String> dockerArgs() throws IOException {
        Map<String, String> args = new LinkedHashMap<>();
        for (String arg : instructions("ARG")) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                assertThat(args.put(arg.substring(0, eq), arg.substring(eq + 1))).as("ARG " + arg + " once").isNull();
            }
        }
        return args;
    }

    /** The arguments of every instruction of this kind, in order (comments and continuations handled). */
    private static List<String> instructions(String kind) throws IOException {
        List<String> found = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DIR.resolve("Dockerfile"), StandardCharsets.UTF_8)) {
            if (line.trim().startsWith("#") && current.length() == 0) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String instruction = current.toString().trim();
            current.setLength(0);
            Matcher m = Pattern.compile("^([A-Za-z]+)\\s+(.*)$").matcher(instruction);
            if (m.matches() && m.group(1).equalsIgnoreCase(kind)) {
                found.add(m.group(2).trim());
            }
        }
        return found;
    }

    private static String pomProperty(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom());
        assertThat(m.find()).as(name + " in pom.xml").isTrue();
        return m.group(1).trim();
    }

    /** A top-level element of the pom (the project's own, before any parent or dependency). */
    private static String pomElement(String name) throws IOException {
        String pom = pom();
        String head = pom.substring(0, pom.indexOf("<properties>"));
        Matcher m = Pattern.compile("\n  <" + name + ">([^<]+)</" + name + ">").matcher(head);
        assertThat(m.find()).as(name + " of the project").isTrue();
        return m.group(1).trim();
    }

    private static String pom() throws IOException {
        return new String(Files.readAllBytes(ROOT.resolve("pom.xml")), StandardCharsets.UTF_8);
    }

    private static String defaultOf(String name) {
        return JobParameters.PARAMETERS.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().defaultValue();
    }
}
