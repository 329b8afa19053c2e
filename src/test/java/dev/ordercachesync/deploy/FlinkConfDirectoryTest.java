package dev.ordercachesync.deploy;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.RollingFileAppender;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.properties.PropertiesConfiguration;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * flink-conf/ works as the FLINK_CONF_DIR of Flink's own scripts ({@code FLINK_CONF_DIR=flink-conf
 * $FLINK_HOME/bin/start-cluster.sh}, {@code bin/flink}, {@code jobmanager.sh start-foreground}), not only with
 * deploy/local's. The Flink distribution is not served here, so the files its scripts read are checked one by one:
 * the configuration through Flink's own GlobalConfiguration and process-memory utilities (what bin/config.sh calls
 * through BashJavaUtils), masters and workers as bin/config.sh reads them, and each log4j file through Log4j's own
 * properties parser, with the appenders the script that names it expects.
 */
class FlinkConfDirectoryTest {
    private static final Path CONF = Paths.get("flink-conf").toAbsolutePath();
    /** What Flink 1.20's bin/ scripts read from FLINK_CONF_DIR, and which script reads it. */
    private static final Map<String, String> READ_BY_FLINKS_SCRIPTS = Map.of(
            "config.yaml", "bin/config.sh (every script)",
            "masters", "bin/start-cluster.sh, bin/stop-cluster.sh (readMasters)",
            "workers", "bin/start-cluster.sh, bin/stop-cluster.sh (readWorkers: 'No workers file' without it)",
            "log4j.properties", "bin/flink-daemon.sh (jobmanager.sh / taskmanager.sh start)",
            "log4j-console.properties", "bin/flink-console.sh (start-foreground, the Docker image, the operator)",
            "log4j-cli.properties", "bin/flink");

    @Test
    void everyFileFlinksScriptsReadIsThere() {
        READ_BY_FLINKS_SCRIPTS.forEach((file, reader) ->
                assertThat(CONF.resolve(file)).as(file + ", read by " + reader).isRegularFile());
        assertThat(CONF.resolve("flink-conf.yaml")).as("one configuration file: Flink 1.20 prefers config.yaml and "
                + "reads the legacy flink-conf.yaml only without it").doesNotExist();
    }

    @Test
    void flinkLoadsTheConfigurationAsStandardYaml() {
        Configuration conf = GlobalConfiguration.loadConfiguration(CONF.toString());
        assertThat(GlobalConfiguration.isStandardYaml()).as("config.yaml, not the legacy flat format").isTrue();
        assertThat(conf.get(RestOptions.PORT)).isEqualTo(8081);
        assertThat(conf.get(JobManagerOptions.PORT)).isEqualTo(6123);
        assertThat(conf.get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(4);
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).isEqualTo("file:///tmp/order-cache-sync/savepoints");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/order-cache-sync/checkpoints");
        // What bin/config.sh asks BashJavaUtils for before it starts a process: the memory settings must add up.
        assertThat(JobManagerProcessUtils.processSpecFromConfigWithNewOptionToInterpretLegacyHeap(
                conf, JobManagerOptions.JVM_HEAP_MEMORY).getTotalProcessMemorySize()).isEqualTo(MemorySize.parse("1024m"));
        assertThat(TaskExecutorProcessUtils.processSpecFromConfig(
                TaskExecutorProcessUtils.getConfigurationMapLegacyTaskManagerHeapSizeToConfigOption(
                        conf, TaskManagerOptions.TOTAL_PROCESS_MEMORY)).getTotalProcessMemorySize())
                .isEqualTo(MemorySize.parse("1728m"));
    }

    /** bin/config.sh's readMasters: host[:webui-port] per line, '#' comments; all on localhost means no ssh. */
    @Test
    void mastersNameOneLocalJobManagerWithTheWebUisPort() throws IOException {
        Configuration conf = GlobalConfiguration.loadConfiguration(CONF.toString());
        List<String> masters = hosts(CONF.resolve("masters"));
        assertThat(masters).hasSize(1);
        Matcher m = Pattern.compile("([^:]+):([0-9]+)").matcher(masters.get(0));
        assertThat(m.matches()).as("host:webui-port, as readMasters splits it: " + masters.get(0)).isTrue();
        assertThat(m.group(1)).isEqualTo(conf.get(JobManagerOptions.ADDRESS)).isEqualTo("localhost");
        assertThat(Integer.parseInt(m.group(2))).isEqualTo(conf.get(RestOptions.PORT));
    }

    /** bin/config.sh's readWorkers: one host per line; localhost starts the TaskManager here, without ssh. */
    @Test
    void workersNameOneLocalTaskManagerAsDeployLocalStarts() throws IOException {
        assertThat(hosts(CONF.resolve("workers"))).containsExactly("localhost");
    }

    @Test
    void theLogConfigurationsParseWithTheAppendersTheirScriptsExpect() throws IOException {
        System.setProperty("log.file", Files.createTempDirectory("flink-conf-test").resolve("x.log").toString());
        try {
            assertThat(appenderTypes("log4j.properties")).as("flink-daemon.sh: a rolling file")
                    .containsExactly(RollingFileAppender.class.getSimpleName());
            assertThat(appenderTypes("log4j-console.properties")).as("start-foreground and containers: the console first")
                    .containsExactlyInAnyOrder(ConsoleAppender.class.getSimpleName(), RollingFileAppender.class.getSimpleName());
            assertThat(appenderTypes("log4j-cli.properties")).as("bin/flink")
                    .contains(ConsoleAppender.class.getSimpleName());
        } finally {
            System.clearProperty("log.file");
        }
    }

    /** The appenders the root logger writes to, after Log4j parsed and started the file. */
    private static List<String> appenderTypes(String file) throws IOException {
        try (InputStream in = Files.newInputStream(CONF.resolve(file))) {
            LoggerContext context = new LoggerContext("flink-conf-" + file);
            PropertiesConfiguration config = new PropertiesConfigurationFactory().getConfiguration(context,
                    new ConfigurationSource(in, CONF.resolve(file).toFile()));
            try {
                config.initialize();
                config.start();
                List<String> types = new ArrayList<>();
                config.getRootLogger().getAppenders().values().forEach(a -> types.add(a.getClass().getSimpleName()));
                assertThat(config.getRootLogger().getLevel().name()).as(file + " root level").isEqualTo("INFO");
                return types;
            } finally {
                config.stop();
            }
        }
    }

    /** Non-empty lines without their '#' comments, trimmed, as bin/config.sh's extractHostName reads them. */
    private static List<String> hosts(Path file) throws IOException {
        List<String> hosts = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String host = line.split("#", 2)[0].trim();
            if (!host.isEmpty()) {
                hosts.add(host);
            }
        }
        return hosts;
    }
}
