package dev.ordercachesync.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ordercachesync.config.ParameterSources;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * deploy/msf/template.yaml as CloudFormation and Managed Flink would read it: the property group it creates for
 * given stack parameters, written in the file format the service hands the job, and the metrics its alarms and
 * dashboard read.
 */
public final class ManagedFlinkTemplate {
    public static final Path TEMPLATE = Paths.get("deploy/msf/template.yaml").toAbsolutePath();
    /** The service's bounds on a property group (API PropertyGroup): id, entries, and keys and values of 1 to 2048 characters. */
    static final int MAX_GROUP_ID = 50;
    static final Pattern GROUP_ID = Pattern.compile("[a-zA-Z0-9_.-]+");
    static final int MAX_ENTRIES = 50;
    static final int MAX_KEY = 2048;
    static final int MAX_VALUE = 2048;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode template;

    private ManagedFlinkTemplate(JsonNode template) {
        this.template = template;
    }

    public static ManagedFlinkTemplate read() throws IOException {
        return new ManagedFlinkTemplate(YAML.readTree(TEMPLATE.toFile()));
    }

    /**
     * The property map of group {@link ParameterSources#PROPERTY_GROUP} after CloudFormation resolves it with these
     * stack parameters (others take their defaults). Throws, naming the property, where the service would refuse it.
     */
    public Map<String, String> propertyMap(Map<String, String> stackParameters) {
        JsonNode groups = application().at("/Properties/ApplicationConfiguration/EnvironmentProperties/PropertyGroups");
        Map<String, String> resolved = new LinkedHashMap<>();
        for (JsonNode group : groups) {
            String id = group.path("PropertyGroupId").asText();
            if (!id.equals(ParameterSources.PROPERTY_GROUP)) {
                continue;
            }
            group.get("PropertyMap").fields().forEachRemaining(e -> {
                String value = resolve(e.getValue(), stackParameters);
                if (value != null) {
                    resolved.put(e.getKey(), value);
                }
            });
        }
        requireAcceptable(resolved);
        return resolved;
    }

    /** Throws, naming the property, where the service would refuse this property map. */
    public static void requireAcceptable(Map<String, String> properties) {
        if (properties.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("the property group has " + properties.size() + " entries; Managed Flink accepts "
                    + MAX_ENTRIES);
        }
        for (Map.Entry<String, String> e : properties.entrySet()) {
            requireLength("property name", e.getKey(), e.getKey(), MAX_KEY);
            requireLength("value of property '" + e.getKey() + "'", e.getValue(), e.getKey(), MAX_VALUE);
        }
    }

    /** Managed Flink's application properties file: [{"PropertyGroupId": ..., "PropertyMap": {...}}]. */
    public static String applicationPropertiesJson(String groupId, Map<String, String> properties) throws IOException {
        requireLength("property group id", groupId, groupId, MAX_GROUP_ID);
        if (!GROUP_ID.matcher(groupId).matches()) {
            throw new IllegalArgumentException("property group id '" + groupId + "' is not of the form " + GROUP_ID);
        }
        requireAcceptable(properties);
        ArrayNode file = JSON.createArrayNode();
        ObjectNode group = file.addObject();
        group.put("PropertyGroupId", groupId);
        ObjectNode map = group.putObject("PropertyMap");
        properties.forEach(map::put);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(file);
    }

    /**
     * Names of the metrics the alarms and the dashboard read, under every runtime: a name chosen by an Fn::If (the
     * restart counter differs between FLINK-1_20 and FLINK-2_2) contributes both branches.
     */
    public List<String> monitoredMetricNames() {
        List<String> names = new ArrayList<>();
        template.get("Resources").forEach(resource -> {
            if (resource.path("Type").asText().equals("AWS::CloudWatch::Alarm")) {
                JsonNode props = resource.get("Properties");
                names.addAll(branches((props.has("Metrics") ? props.at("/Metrics/0/MetricStat/Metric") : props).path("MetricName")));
            }
        });
        JsonNode sub = template.at("/Resources/Dashboard/Properties/DashboardBody/Fn::Sub");
        Matcher m = Pattern.compile("\\[\"(?:AWS/KinesisAnalytics|\\.)\", \"([A-Za-z0-9.]+|\\$\\{[A-Za-z]+})\"").matcher(sub.get(0).asText());
        while (m.find()) {
            String name = m.group(1);
            if (name.startsWith("${")) {
                names.addAll(branches(sub.get(1).path(name.substring(2, name.length() - 1))));
            } else {
                names.add(name);
            }
        }
        return names;
    }

    /** A literal's value, or both values of an Fn::If. */
    private static List<String> branches(JsonNode value) {
        if (value.has("Fn::If")) {
            return List.of(value.get("Fn::If").get(1).asText(), value.get("Fn::If").get(2).asText());
        }
        return List.of(value.asText());
    }

    private JsonNode application() {
        for (JsonNode resource : template.get("Resources")) {
            if (resource.path("Type").asText().equals("AWS::KinesisAnalyticsV2::Application")) {
                return resource;
            }
        }
        throw new IllegalStateException("no AWS::KinesisAnalyticsV2::Application in " + TEMPLATE);
    }

    /** A literal, a Ref to a stack parameter or AWS::Region, or an Fn::If on a condition; null for AWS::NoValue. */
    private String resolve(JsonNode value, Map<String, String> stackParameters) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.has("Ref")) {
            String name = value.get("Ref").asText();
            if (name.equals("AWS::NoValue")) {
                return null;
            }
            return parameter(name, stackParameters);
        }
        if (value.has("Fn::If")) {
            JsonNode fnIf = value.get("Fn::If");
            boolean holds = condition(template.at("/Conditions/" + fnIf.get(0).asText()), stackParameters);
            return resolve(fnIf.get(holds ? 1 : 2), stackParameters);
        }
        throw new IllegalStateException("property value " + value + " is neither a literal, a Ref nor an Fn::If");
    }

    private boolean condition(JsonNode condition, Map<String, String> stackParameters) {
        if (condition.has("Fn::Not")) {
            return !condition(condition.get("Fn::Not").get(0), stackParameters);
        }
        if (condition.has("Fn::Equals")) {
            JsonNode args = condition.get("Fn::Equals");
            return String.valueOf(resolve(args.get(0), stackParameters)).equals(String.valueOf(resolve(args.get(1), stackParameters)));
        }
        throw new IllegalStateException("condition " + condition + " is not Fn::Not or Fn::Equals");
    }

    /**
     * A stack parameter's value as CloudFormation would accept it: given or its default, within its constraints. The
     * pseudo parameter AWS::Region has no default here: give it, as the stack's region.
     */
    private String parameter(String name, Map<String, String> stackParameters) {
        if (name.equals("AWS::Region")) {
            String region = stackParameters.get(name);
            if (region == null || !Pattern.matches("[a-z]{2}(-[a-z]+)+-[0-9]", region)) {
                throw new IllegalArgumentException("give AWS::Region, the stack's region (such as us-east-1), not " + region);
            }
            return region;
        }
        JsonNode declared = template.at("/Parameters/" + name);
        if (!declared.isObject()) {
            throw new IllegalStateException("Ref " + name + " names no template parameter");
        }
        String value;
        if (stackParameters.containsKey(name)) {
            value = stackParameters.get(name);
        } else if (declared.has("Default")) {
            value = declared.get("Default").asText();
        } else {
            throw new IllegalArgumentException("stack parameter " + name + " has no default: give it");
        }
        if (declared.has("AllowedPattern") && !Pattern.matches(declared.get("AllowedPattern").asText(), value)) {
            throw new IllegalArgumentException("stack parameter " + name + " = '" + value + "' does not match "
                    + declared.get("AllowedPattern").asText());
        }
        if (declared.has("AllowedValues")) {
            List<String> allowed = new ArrayList<>();
            declared.get("AllowedValues").forEach(v -> allowed.add(v.asText()));
            if (!allowed.contains(value)) {
                throw new IllegalArgumentException("stack parameter " + name + " = '" + value + "' is not one of " + allowed);
            }
        }
        return value;
    }

    private static void requireLength(String what, String text, String name, int max) {
        if (text.isEmpty() || text.length() > max) {
            throw new IllegalArgumentException(what + " is " + text.length() + " characters long (" + name
                    + "); Managed Flink accepts 1 to " + max);
        }
    }
}
