package dev.ordercachesync.e2e;

import dev.ordercachesync.config.ParameterSources;
import dev.ordercachesync.testsupport.ManagedFlinkTemplate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the application properties file Managed Flink would hand the job for deploy/msf/template.yaml: the
 * template's property group resolved with the given stack parameters, plus what only a local run needs (endpoints,
 * dummy credentials), all held to the service's limits. deploy/local/e2e-test.sh runs the packaged jar with it.
 *
 * <pre>ApplicationPropertiesFile --out FILE [--stack Name=value]... [--local name=value]...</pre>
 */
public final class ApplicationPropertiesFile {
    private ApplicationPropertiesFile() {}

    public static void main(String[] args) throws Exception {
        Path out = null;
        Map<String, String> stack = new LinkedHashMap<>();
        Map<String, String> local = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--out":
                    out = Paths.get(args[i + 1]);
                    break;
                case "--stack":
                    put(stack, args[i + 1]);
                    break;
                case "--local":
                    put(local, args[i + 1]);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i] + "; expected --out, --stack or --local");
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out FILE is required");
        }
        Map<String, String> properties = ManagedFlinkTemplate.read().propertyMap(stack);
        for (Map.Entry<String, String> e : local.entrySet()) {
            if (properties.containsKey(e.getKey()) && !e.getKey().equals("stream-arn")) {
                System.out.println("local run overrides the template's " + e.getKey() + "=" + properties.get(e.getKey()));
            }
            properties.put(e.getKey(), e.getValue());
        }
        Files.write(out, ManagedFlinkTemplate.applicationPropertiesJson(ParameterSources.PROPERTY_GROUP, properties)
                .getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + out + ": " + properties.size() + " properties in group " + ParameterSources.PROPERTY_GROUP);
    }

    private static void put(Map<String, String> into, String pair) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("'" + pair + "' is not name=value");
        }
        into.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
}
