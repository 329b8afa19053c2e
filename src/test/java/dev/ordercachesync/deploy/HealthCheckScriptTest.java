package dev.ordercachesync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/msf/health-check.sh against recorded AWS answers: an {@code aws} on PATH (src/test/resources/health-check/
 * fake_aws.py) that checks each call against botocore's service models, as the CLI does, checks each recorded
 * response against the operation's output shape, and answers with the CLI's --query and text output. The scenarios are
 * what a deploy ends in: healthy; counters reset by the deploy itself; RUNNING but in a restart loop on FLINK-2_2
 * (where numRestarts replaces fullRestarts); an update the service rolled back; an update still running; a rollback
 * that left its switches on (a custom snapshot, no snapshot at all, non-restored state allowed).
 */
class HealthCheckScriptTest {
    private static final Path ROOT = Paths.get("").toAbsolutePath();
    private static final Path SCRIPT = ROOT.resolve("deploy/msf/health-check.sh");
    private static final Path RECORDED = ROOT.resolve("src/test/resources/health-check");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static final class Run {
        final int exit;
        final String out;
        final List<JsonNode> calls;

        Run(int exit, String out, List<JsonNode> calls) {
            this.exit = exit;
            this.out = out;
            this.calls = calls;
        }

        List<String> metricsRead() {
            List<String> names = new ArrayList<>();
            calls.stream().filter(c -> c.path("call").asText().startsWith("cloudwatch get-metric-data"))
                    .forEach(c -> names.add(c.at("/params/MetricDataQueries/0/MetricStat/Metric/MetricName").asText()));
            return names;
        }
    }

    private Run run(String scenario, String... args) throws Exception {
        Path python = ROOT.resolve("target/moto/python");
        assertThat(python).as("the Python with botocore that deploy/local/moto.sh records (mvn process-test-resources)")
                .isRegularFile();
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path aws = bin.resolve("aws");
        Files.write(aws, ("#!/usr/bin/env bash\nexec '" + new String(Files.readAllBytes(python), StandardCharsets.UTF_8).trim()
                + "' '" + RECORDED.resolve("fake_aws.py") + "' \"$@\"\n").getBytes(StandardCharsets.UTF_8));
        assertThat(aws.toFile().setExecutable(true)).isTrue();
        Path log = tmp.resolve(scenario + ".calls");
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_AWS_SCENARIO", RECORDED.resolve(scenario + ".json").toString());
        pb.environment().put("FAKE_AWS_LOG", log.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the script ends").isTrue();
        List<JsonNode> calls = new ArrayList<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                calls.add(JSON.readTree(line));
            }
        }
        return new Run(p.exitValue(), out, calls);
    }

    private Run check(String scenario) throws Exception {
        return run(scenario, "--application-name", "order-cache-sync", "--region", "eu-west-1", "--window", "15");
    }

    @Test
    void aHealthyApplicationPasses() throws Exception {
        Run r = check("healthy-flink-1_20");
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("order-cache-sync: RUNNING, FLINK-1_20, version 7", "uptime: 20 minutes", "HEALTHY");
        assertThat(r.metricsRead()).as("FLINK-1_20 counts restarts in fullRestarts")
                .containsExactlyInAnyOrder("fullRestarts", "downtime", "uptime", "numberOfFailedCheckpoints");
        assertThat(r.calls).allMatch(c -> c.at("/options/--region").asText().equals("eu-west-1"));
    }

    @Test
    void countersThatStartAgainAfterTheDeployAreNoRestarts() throws Exception {
        Run r = check("counters-reset-by-a-deploy");
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("restarts in the last 15 minutes (fullRestarts): 0");
    }

    @Test
    void aRunningApplicationInARestartLoopFails() throws Exception {
        Run r = check("restart-loop-flink-2_2");
        assertThat(r.exit).as(r.out).isEqualTo(1);
        assertThat(r.out).contains("RUNNING, FLINK-2_2").contains("UNHEALTHY: the job restarted 9 times in the last 15 minutes");
        assertThat(r.metricsRead()).as("FLINK-2_2 removed fullRestarts").contains("numRestarts").doesNotContain("fullRestarts");
        Run tolerant = run("restart-loop-flink-2_2", "--application-name", "order-cache-sync", "--max-restarts", "9");
        assertThat(tolerant.out).doesNotContain("restarted 9 times");
    }

    @Test
    void aFailedUpdateIsExplainedFromItsOperation() throws Exception {
        Run r = check("failed-update-rolled-back");
        assertThat(r.exit).as(r.out).isEqualTo(1);
        assertThat(r.out).contains("UNHEALTHY: operation UpdateApplication fGUXZHcUKmJXd6Po failed: Job failed to reach RUNNING")
                .contains("(the service rolled back: operation Bz4n7Ypq2WzLcJ8s)");
        assertThat(r.calls).anyMatch(c -> c.path("call").asText().equals("kinesisanalyticsv2 describe-application-operation")
                && c.at("/params/OperationId").asText().equals("fGUXZHcUKmJXd6Po"));
    }

    @Test
    void anUpdateInProgressIsNotSettled() throws Exception {
        Run r = check("update-in-progress");
        assertThat(r.exit).as(r.out).isEqualTo(2);
        assertThat(r.out).contains("NOT SETTLED: the application is UPDATING", "is in progress", "run it again");
    }

    @Test
    void switchesLeftOnAfterARollbackFail() throws Exception {
        Run r = check("switches-left-on");
        assertThat(r.exit).as(r.out).isEqualTo(1);
        assertThat(r.out).contains("UNHEALTHY: RestoreType is still RESTORE_FROM_CUSTOM_SNAPSHOT")
                .contains("UNHEALTHY: AllowNonRestoredState is still true");
        Run skip = check("skip-restore-left-on");
        assertThat(skip.exit).as(skip.out).isEqualTo(1);
        assertThat(skip.out).contains("UNHEALTHY: RestoreType is SKIP_RESTORE_FROM_SNAPSHOT").doesNotContain("AllowNonRestoredState");
    }

    /** The stand-in refuses what the CLI would, so a script calling the CLI wrongly cannot pass. */
    @Test
    void theFakeCliRefusesCallsTheRealOneWould() throws Exception {
        run("healthy-flink-1_20", "--application-name", "order-cache-sync");
        Path aws = tmp.resolve("bin/aws");
        Process p = new ProcessBuilder(aws.toString(), "kinesisanalyticsv2", "describe-application", "--application", "x")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(252);
        assertThat(out).contains("Unknown options: --application");
        p = new ProcessBuilder(aws.toString(), "cloudwatch", "get-metric-data", "--start-time", "2026-12-02T10:00:00Z",
                "--end-time", "2026-12-02T10:15:00Z", "--metric-data-queries", "[{\"Id\":\"m\",\"MetricStat\":{}}]")
                .redirectErrorStream(true).start();
        out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(252);
        assertThat(out).contains("Parameter validation failed");
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyCall() throws Exception {
        Run r = run("healthy-flink-1_20", "--window", "15");
        assertThat(r.exit).isEqualTo(64);
        assertThat(r.out).contains("--application-name is required");
        assertThat(r.calls).isEmpty();
        assertThat(run("healthy-flink-1_20", "--application-name", "x", "--window", "a while").out).contains("'a while'");
    }
}
