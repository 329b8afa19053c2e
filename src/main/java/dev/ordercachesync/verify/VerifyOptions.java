package dev.ordercachesync.verify;

import dev.ordercachesync.config.HostPort;
import dev.ordercachesync.views.CacheContract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The verify command's options, {@code --name value}, validated in one pass that names every problem. */
public final class VerifyOptions {
    /** Name, default (null: none), meaning; README.md lists the same. */
    static final List<String[]> OPTIONS = Collections.unmodifiableList(Arrays.asList(
            new String[] {"table", null, "Name of the orders table (required)."},
            new String[] {"aws-region", null, "AWS region of the table; when absent, the AWS SDK's default region chain (us-east-1 with aws-endpoint)."},
            new String[] {"aws-endpoint", null, "Endpoint override for DynamoDB, e.g. an emulator's http://127.0.0.1:5000."},
            new String[] {"aws-credentials", "default-chain", "`default-chain` or `local-dummy` (fixed dummy keys, only with aws-endpoint)."},
            new String[] {"consistent-read", "true", "Scan with strongly consistent reads (twice the read units of eventually consistent ones)."},
            new String[] {"scan-segments", "4", "Parallel scan segments."},
            new String[] {"scan-page-size", "500", "Items per scan page."},
            new String[] {"scan-read-units-per-second", "100", "Read capacity units the scan and re-reads may use per second."},
            new String[] {"momento-cache-name", "pizza", "Momento cache to check."},
            new String[] {"momento-api-key-env", "MOMENTO_API_KEY", "Environment variable holding the Momento API key (ignored with momento-local-endpoint)."},
            new String[] {"momento-local-endpoint", null, "`host:port` of a plaintext Momento-protocol server (the loopback server)."},
            new String[] {"momento-request-timeout", "5s", "Deadline of one Momento get."},
            new String[] {"cache-reads-per-second", "50", "Momento gets per second; the account's request limit is shared with the job."},
            new String[] {"cache-read-concurrency", "8", "Momento gets in flight at once."},
            new String[] {"admin-key-prefix", CacheContract.DEFAULT_ADMIN_PREFIX, "As the job's parameter."},
            new String[] {"all-orders-key", CacheContract.DEFAULT_ALL_ORDERS_KEY, "As the job's parameter."},
            new String[] {"list-max-entries", "5000", "As the job's parameter."},
            new String[] {"ids", null, "File of order ids (one per line, # comments) whose keys must be checked too, e.g. ids of deleted orders."},
            new String[] {"creators", null, "File of creators (one per line) whose lists must be checked too."},
            new String[] {"recheck-delay", "5s", "Wait before re-reading the orders of a differing key; make it longer than the job's lag."},
            new String[] {"rechecks", "3", "Re-check rounds for keys whose orders or cached values keep changing (0: none)."}));


    public final String table;
    public final String awsRegion;
    public final String awsEndpoint;
    public final boolean awsLocalDummyCredentials;
    public final boolean consistentRead;
    public final int scanSegments;
    public final int scanPageSize;
    public final double scanReadUnitsPerSecond;
    public final String momentoCacheName;
    public final String momentoApiKeyEnv;
    /** Null unless a plaintext local server is used. */
    public final String momentoLocalHost;
    public final int momentoLocalPort;
    public final Duration momentoRequestTimeout;
    public final double cacheReadsPerSecond;
    public final int cacheReadConcurrency;
    public final CacheContract contract;
    public final int listMaxEntries;
    public final List<String> ids;
    public final List<String> creators;
    public final Duration recheckDelay;
    public final int rechecks;

    private VerifyOptions(Map<String, String> v, List<String> problems) {
        table = v.get("table");
        if (table == null) {
            problems.add("--table: required");
        }
        awsRegion = v.get("aws-region");
        awsEndpoint = v.get("aws-endpoint");
        String credentials = v.get("aws-credentials");
        awsLocalDummyCredentials = "local-dummy".equals(credentials);
        if (!awsLocalDummyCredentials && !"default-chain".equals(credentials)) {
            problems.add("--aws-credentials: '" + credentials + "' is not default-chain or local-dummy");
        }
        if (awsLocalDummyCredentials && awsEndpoint == null) {
            problems.add("--aws-credentials: local-dummy only works with --aws-endpoint");
        }
        consistentRead = bool(v, "consistent-read", problems);
        scanSegments = integer(v, "scan-segments", 1, 1000, problems);
        scanPageSize = integer(v, "scan-page-size", 1, 10_000, problems);
        scanReadUnitsPerSecond = integer(v, "scan-read-units-per-second", 1, 1_000_000, problems);
        momentoCacheName = v.get("momento-cache-name");
        momentoApiKeyEnv = v.get("momento-api-key-env");
        String local = v.get("momento-local-endpoint");
        String host = null;
        int port = -1;
        if (local != null) {
            HostPort address = HostPort.parseOrNull(local);
            if (address != null) {
                host = address.host;
                port = address.port;
            } else {
                problems.add("--momento-local-endpoint: '" + local + "' is not host:port");
            }
        }
        momentoLocalHost = host;
        momentoLocalPort = port;
        momentoRequestTimeout = duration(v, "momento-request-timeout", problems);
        cacheReadsPerSecond = integer(v, "cache-reads-per-second", 1, 1_000_000, problems);
        cacheReadConcurrency = integer(v, "cache-read-concurrency", 1, 1000, problems);
        CacheContract c = null;
        try {
            c = new CacheContract(v.get("admin-key-prefix"), v.get("all-orders-key"));
        } catch (IllegalArgumentException e) {
            problems.add("--admin-key-prefix/--all-orders-key: " + e.getMessage());
        }
        contract = c;
        listMaxEntries = integer(v, "list-max-entries", 1, 1_000_000, problems);
        ids = lines(v, "ids", problems);
        creators = lines(v, "creators", problems);
        recheckDelay = duration(v, "recheck-delay", problems);
        rechecks = integer(v, "rechecks", 0, 100, problems);
    }

    /** Parses {@code --name value} pairs; throws listing every problem. */
    public static VerifyOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, String[]> known = new LinkedHashMap<>();
        for (String[] option : OPTIONS) {
            known.put(option[0], option);
            if (option[1] != null) {
                values.put(option[0], option[1]);
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.startsWith("--") ? arg.substring(2) : null;
            String value = null;
            if (name != null && name.contains("=")) {
                value = name.substring(name.indexOf('=') + 1);
                name = name.substring(0, name.indexOf('='));
            } else if (name != null && i + 1 < args.length) {
                value = args[++i];
            }
            if (name == null || !known.containsKey(name)) {
                problems.add(arg + ": unknown option");
            } else if (value == null || value.trim().isEmpty()) {
                problems.add(arg + ": needs a value");
            } else {
                values.put(name, value.trim());
            }
        }
        VerifyOptions options = new VerifyOptions(values, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return options;
    }

    static String usage() {
        StringBuilder s = new StringBuilder("usage: java -cp 'order-cache-sync.jar:verify-lib/*' "
                + "dev.ordercachesync.verify.VerifyCommand --table NAME [--option value ...]\n");
        for (String[] option : OPTIONS) {
            s.append(String.format("  --%-28s %s%s%n", option[0], option[2],
                    option[1] == null ? "" : " Default: " + option[1] + "."));
        }
        s.append("Exit status: 0 consistent, 1 divergent keys found, 2 some keys could not be judged or bad options.\n");
        return s.toString();
    }

    public String cacheDescription() {
        return "'" + momentoCacheName + "' " + (momentoLocalHost != null
                ? "at " + momentoLocalHost + ":" + momentoLocalPort
                : "on Momento (key from $" + momentoApiKeyEnv + ")");
    }

    private static boolean bool(Map<String, String> v, String name, List<String> problems) {
        String s = v.get(name);
        if (!"true".equals(s) && !"false".equals(s)) {
            problems.add("--" + name + ": '" + s + "' is not true or false");
        }
        return "true".equals(s);
    }

    private static int integer(Map<String, String> v, String name, int min, int max, List<String> problems) {
        String s = v.get(name);
        try {
            int i = Integer.parseInt(s);
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("--" + name + ": '" + s + "' is not a whole number from " + min + " to " + max);
        return min;
    }

    private static Duration duration(Map<String, String> v, String name, List<String> problems) {
        try {
            return Durations.parse(v.get(name));
        } catch (IllegalArgumentException e) {
            problems.add("--" + name + ": " + e.getMessage());
            return Duration.ZERO;
        }
    }

    private static List<String> lines(Map<String, String> v, String name, List<String> problems) {
        String file = v.get(name);
        if (file == null) {
            return Collections.emptyList();
        }
        try {
            List<String> result = new ArrayList<>();
            for (String line : Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8)) {
                String t = line.trim();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    result.add(t);
                }
            }
            return result;
        } catch (IOException e) {
            problems.add("--" + name + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            return Collections.emptyList();
        }
    }
}
