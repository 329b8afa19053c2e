package dev.ordercachesync.config;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import org.apache.flink.api.java.utils.ParameterTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Gathers the job's parameters from every place they can be given, into one {@link JobParameters}.
 * From lowest to highest precedence:
 * <ol>
 *   <li>the defaults declared in {@link JobParameters#PARAMETERS};</li>
 *   <li>the Managed Flink property group {@value #PROPERTY_GROUP} (empty off the service), or the one in the file
 *   named by {@code --application-properties PATH}, in the service's format;</li>
 *   <li>the properties file named by {@code --config-file PATH};</li>
 *   <li>command-line arguments {@code --name value}.</li>
 * </ol>
 * The most explicit source wins, so one argument can override a shared file for a single run. Problems
 * from every source are reported together, each naming where its value came from.
 */
public final class ParameterSources {
    /** The one property group the job reads on Managed Flink. */
    public static final String PROPERTY_GROUP = "OrderCacheSync";
    /** Command-line argument naming a properties file; not a job parameter itself. */
    public static final String CONFIG_FILE = "config-file";
    /**
     * Command-line argument naming a file of property groups in Managed Flink's format (what the service writes to
     * /etc/flink/application_properties.json), read instead of the service's; for running the service's
     * configuration elsewhere. Not a job parameter itself.
     */
    public static final String APPLICATION_PROPERTIES = "application-properties";

    static final String COMMAND_LINE = "the command line";
    /** What ParameterTool stores for {@code --name} without a value (its constant is not public). */
    private static final String NO_VALUE = "__NO_VALUE_KEY";
    private static final Logger LOG = LoggerFactory.getLogger(ParameterSources.class);

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> origins = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> sourcesRead = new ArrayList<>();

    private ParameterSources() {}

    /** Reads Managed Flink's property groups (if any), the files named in {@code args} (if any), and {@code args}. */
    public static JobParameters load(String[] args) {
        return resolve(args, null).toJobParameters();
    }

    /** As {@link #load(String[])}, with the property groups given (unless {@code args} name a file of them). */
    public static JobParameters load(String[] args, Map<String, Properties> propertyGroups) {
        return resolve(args, propertyGroups).toJobParameters();
    }

    private static ParameterSources resolve(String[] args, Map<String, Properties> givenGroups) {
        ParameterSources s = new ParameterSources();
        Map<String, String> commandLine = s.parseArgs(args);
        String groupsFile = commandLine.remove(APPLICATION_PROPERTIES);
        if (groupsFile != null) {
            s.addPropertyGroups(s.readPropertyGroups(groupsFile));
        } else if (givenGroups != null) {
            s.addPropertyGroups(givenGroups);
        } else {
            s.addPropertyGroups(servicePropertyGroups());
        }
        String file = commandLine.remove(CONFIG_FILE);
        if (file != null) {
            s.addFile(file);
        }
        s.addAll(commandLine, COMMAND_LINE);
        s.sourcesRead.add(COMMAND_LINE);
        return s;
    }

    /** What Managed Flink gave the job; empty off the service. */
    private static Map<String, Properties> servicePropertyGroups() {
        try {
            return KinesisAnalyticsRuntime.getApplicationProperties();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read Managed Flink's application properties", e);
        }
    }

    /** The property groups in {@code file}, read by the service's own library, as on the service. */
    private Map<String, Properties> readPropertyGroups(String file) {
        String expected = "; expected Managed Flink's application properties file, JSON "
                + "[{\"PropertyGroupId\": \"" + PROPERTY_GROUP + "\", \"PropertyMap\": {\"name\": \"value\", ...}}]";
        if (!Files.isRegularFile(Paths.get(file))) {
            problems.add(APPLICATION_PROPERTIES + ": '" + file + "' is not a file" + expected);
            return Map.of();
        }
        try {
            return KinesisAnalyticsRuntime.getApplicationProperties(file);
        } catch (IOException | RuntimeException e) {
            problems.add(APPLICATION_PROPERTIES + ": '" + file + "' cannot be read (" + e.getClass().getSimpleName() + ")"
                    + expected);
            return Map.of();
        }
    }

    private void addPropertyGroups(Map<String, Properties> groups) {
        if (groups == null || groups.isEmpty()) {
            return;
        }
        for (String group : new TreeSet<>(groups.keySet())) {
            if (!PROPERTY_GROUP.equals(group)) {
                problems.add("property group '" + group + "' is not read; put every parameter in the property group '"
                        + PROPERTY_GROUP + "'");
            }
        }
        Properties ours = groups.get(PROPERTY_GROUP);
        if (ours != null) {
            addAll(ours, "property group " + PROPERTY_GROUP);
            sourcesRead.add("property group " + PROPERTY_GROUP);
        }
    }

    private void addFile(String file) {
        Path path = Paths.get(file);
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            problems.add(CONFIG_FILE + ": '" + file + "' cannot be read (" + e.getClass().getSimpleName()
                    + "); expected a readable properties file of name=value lines");
            return;
        }
        if (properties.containsKey(CONFIG_FILE)) {
            problems.add(CONFIG_FILE + ": '" + file + "' names another config file; files do not nest");
            properties.remove(CONFIG_FILE);
        }
        addAll(properties, "file " + path);
        sourcesRead.add("file " + path);
    }

    private Map<String, String> parseArgs(String[] args) {
        Map<String, String> parsed;
        try {
            parsed = new LinkedHashMap<>(ParameterTool.fromArgs(args).toMap());
        } catch (IllegalArgumentException e) {
            problems.add("command line: " + e.getMessage() + "; expected --name value pairs");
            return new LinkedHashMap<>();
        }
        parsed.entrySet().removeIf(e -> {
            if (NO_VALUE.equals(e.getValue())) {
                problems.add(e.getKey() + ": given on the command line without a value");
                return true;
            }
            return false;
        });
        return parsed;
    }

    private void addAll(Map<?, ?> source, String origin) {
        for (Map.Entry<?, ?> e : source.entrySet()) {
            String key = String.valueOf(e.getKey()).trim();
            values.put(key, String.valueOf(e.getValue()));
            origins.put(key, origin);
        }
    }

    private JobParameters toJobParameters() {
        List<String> all = new ArrayList<>(problems);
        try {
            JobParameters params = JobParameters.from(values);
            if (all.isEmpty()) {
                LOG.info("Job parameters read from {}: {}", sourcesRead, origins);
                return params;
            }
        } catch (InvalidParametersException e) {
            for (String problem : e.problems()) {
                all.add(withOrigin(problem));
            }
        }
        throw new InvalidParametersException(all);
    }

    /** Appends where the value came from, or where it was looked for, to a problem that starts with its key. */
    private String withOrigin(String problem) {
        int colon = problem.indexOf(':');
        String key = colon > 0 ? problem.substring(0, colon) : null;
        if (key != null && origins.containsKey(key)) {
            return problem + " (from " + origins.get(key) + ")";
        }
        if (problem.contains("required but missing")) {
            return problem + " (looked in " + String.join(", ", sourcesRead) + ")";
        }
        return problem;
    }
}
