package dev.ordercachesync.config;

import dev.ordercachesync.views.CacheContract;
import org.apache.flink.util.TimeUtils;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The job's parameters, typed and validated. Every parameter is declared in {@link #PARAMETERS};
 * README.md's parameter table lists the same names and defaults.
 */
public final class JobParameters implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String STREAM_ARN = "stream-arn";
    public static final String TABLE_NAME_PARAM = "table-name";
    public static final String BOOTSTRAP_SEGMENTS = "bootstrap-segments";
    public static final String BOOTSTRAP_PAGE_SIZE = "bootstrap-page-size";
    public static final String BOOTSTRAP_READ_CAPACITY = "bootstrap-read-capacity";
    public static final String BOOTSTRAP_RUN_ID = "bootstrap-run-id";
    public static final String GAP_RECOVERY = "gap-recovery";
    public static final String STREAM_CHECK_INTERVAL = "stream-check-interval";
    public static final String AWS_REGION = "aws-region";
    public static final String AWS_ENDPOINT = "aws-endpoint";
    public static final String AWS_CREDENTIALS = "aws-credentials";
    public static final String STREAM_INITIAL_POSITION = "stream-initial-position";
    public static final String SHARD_DISCOVERY_INTERVAL = "shard-discovery-interval";
    public static final String MOMENTO_CACHE_NAME = "momento-cache-name";
    public static final String MOMENTO_API_KEY_ENV = "momento-api-key-env";
    public static final String MOMENTO_API_KEY_SECRET_ID = "momento-api-key-secret-id";
    public static final String MOMENTO_LOCAL_ENDPOINT = "momento-local-endpoint";
    public static final String MOMENTO_REQUEST_TIMEOUT = "momento-request-timeout";
    public static final String CACHE_TTL = "cache-ttl";
    public static final String ADMIN_KEY_PREFIX = "admin-key-prefix";
    public static final String ALL_ORDERS_KEY = "all-orders-key";
    public static final String LIST_MAX_ENTRIES = "list-max-entries";
    public static final String LIST_FLUSH_INTERVAL = "list-flush-interval";
    public static final String LIST_WRITE_KIB_PER_SECOND = "list-write-kib-per-second";
    public static final String TOMBSTONE_RETENTION = "tombstone-retention";
    public static final String SINK_MAX_IN_FLIGHT = "sink-max-in-flight";
    public static final String SINK_MAX_ATTEMPTS = "sink-max-attempts";
    public static final String SINK_OPS_PER_SECOND = "sink-ops-per-second";
    /** The value of {@link #SINK_OPS_PER_SECOND} that sets no budget. */
    public static final String ADAPTIVE = "adaptive";
    public static final String PARALLELISM = "parallelism";
    public static final String MAX_PARALLELISM = "max-parallelism";
    public static final String DEAD_LETTER_TABLE = "dead-letter-table";
    public static final String MAX_VALUE_BYTES = "max-value-bytes";
    public static final String CHECKPOINT_INTERVAL = "checkpoint-interval";

    /** Longest TTL Momento accepts on on-demand caches. */
    static final Duration MAX_TTL = Duration.ofHours(24);
    /** DynamoDB Streams keeps records this long; tombstones must outlive it. */
    static final Duration STREAM_RETENTION = Duration.ofHours(24);

    public static final List<Parameter> PARAMETERS = Collections.unmodifiableList(Arrays.asList(
            Parameter.optional(TABLE_NAME_PARAM, "Name of the orders table; the job reads the table's current stream (found with DescribeTable) and scans the table when it starts without state. When absent, the table named in stream-arn; one of the two is required."),
            Parameter.optional(STREAM_ARN, "ARN of the orders table's DynamoDB stream (view NEW_AND_OLD_IMAGES). Optional with table-name; when given, it is checked against the table's current stream, the difference is logged and the current stream is read."),
            Parameter.optional(AWS_REGION, "AWS region of the table; when absent, the region in the stream ARN (required with table-name alone)."),
            Parameter.optional(AWS_ENDPOINT, "Endpoint override for DynamoDB Streams and the dead-letter table, e.g. a local emulator's http://127.0.0.1:5000."),
            Parameter.withDefault(AWS_CREDENTIALS, "default-chain", "`default-chain` (the AWS SDK's default credentials) or `local-dummy` (fixed dummy keys, only with `aws-endpoint`, for a local emulator such as moto)."),
            Parameter.withDefault(STREAM_INITIAL_POSITION, "TRIM_HORIZON", "Where a job without state starts reading: `TRIM_HORIZON` (oldest record) or `LATEST`."),
            Parameter.withDefault(SHARD_DISCOVERY_INTERVAL, "10s", "How often the source looks for new shards (after splits)."),
            Parameter.withDefault(MOMENTO_CACHE_NAME, "pizza", "Momento cache the views are written to."),
            Parameter.withDefault(MOMENTO_API_KEY_ENV, "MOMENTO_API_KEY", "Environment variable that holds the Momento API key (ignored with momento-api-key-secret-id or momento-local-endpoint)."),
            Parameter.optional(MOMENTO_API_KEY_SECRET_ID, "AWS Secrets Manager secret (ARN or name) holding the Momento API key, as JSON `{\"momento\": \"<key>\"}` or the plain key; when set, used instead of the environment variable."),
            Parameter.optional(MOMENTO_LOCAL_ENDPOINT, "`host:port` of a plaintext Momento-protocol server (the loopback server); no API key is used."),
            Parameter.withDefault(MOMENTO_REQUEST_TIMEOUT, "5s", "Deadline of one Momento request."),
            Parameter.withDefault(CACHE_TTL, "1h", "TTL of every value written. Every live view (details and lists) is re-written between a quarter and three quarters of this age after its last write, so it never expires while the job is healthy. At most 24h."),
            Parameter.withDefault(ADMIN_KEY_PREFIX, CacheContract.DEFAULT_ADMIN_PREFIX, "Prefix of the admin detail key `ADMIN-<id>`."),
            Parameter.withDefault(ALL_ORDERS_KEY, CacheContract.DEFAULT_ALL_ORDERS_KEY, "Key of the list of every order not COMPLETED."),
            Parameter.withDefault(LIST_MAX_ENTRIES, "5000", "Most entries a list view holds (newest first); keeps values far under Momento's 5 MB item limit."),
            Parameter.withDefault(LIST_FLUSH_INTERVAL, "250ms", "A list re-renders at most once per this interval, however many changes arrive."),
            Parameter.withDefault(LIST_WRITE_KIB_PER_SECOND, "20", "Metered KiB per second one list may be written at: a list whose last write cost more than this many KiB times list-flush-interval waits ceil(bytes / 1024) / this seconds between writes. The default keeps a 5000-entry all-orders (about 733 KiB) at about one write per 37 s."),
            Parameter.withDefault(TOMBSTONE_RETENTION, "48h", "How long a deleted order's sequence number is kept; must exceed the stream's 24h retention."),
            Parameter.withDefault(SINK_MAX_IN_FLIGHT, "64", "Most Momento writes in flight per sink subtask (one per key at most)."),
            Parameter.withDefault(SINK_MAX_ATTEMPTS, "10", "Attempts for a retryable Momento error before the job fails and restarts from its last checkpoint; calls Momento refuses for its quota (throttling) do not use them up."),
            Parameter.withDefault(SINK_OPS_PER_SECOND, ADAPTIVE, "Momento operations per second the job may spend (metered per started KiB of key and value), shared evenly by the sink subtasks; at most the namespace's quota less what its readers use. `adaptive`: no budget, the sink finds the rate Momento accepts from its throttling."),
            Parameter.optional(PARALLELISM, "Parallelism of the job; when absent, the cluster's default."),
            Parameter.withDefault(MAX_PARALLELISM, "128", "Max parallelism (key groups). Fixed for the life of the job's state: a savepoint does not restore into another value."),
            Parameter.optional(DEAD_LETTER_TABLE, "DynamoDB table that receives every dead letter (partition key `pk`, a string); when absent, dead letters are only logged and counted. Reached with the same aws-region, aws-endpoint and aws-credentials as the stream."),
            Parameter.withDefault(MAX_VALUE_BYTES, Integer.toString(CacheContract.DEFAULT_MAX_VALUE_BYTES), "Largest value written to the cache, in UTF-8 bytes; a larger view is deleted instead and dead-lettered (VALUE_TOO_LARGE). At most 4998976 (Momento's 5 MB item limit less the longest key)."),
            Parameter.withDefault(BOOTSTRAP_SEGMENTS, "4", "Parallel Scan segments of a bootstrap (the units of work spread over the subtasks)."),
            Parameter.withDefault(BOOTSTRAP_PAGE_SIZE, "100", "Most items one Scan page of a bootstrap reads."),
            Parameter.withDefault(BOOTSTRAP_READ_CAPACITY, "100", "Read capacity units per second a bootstrap may consume, over all subtasks (strongly consistent reads: one unit per started 4 KB)."),
            Parameter.optional(BOOTSTRAP_RUN_ID, "Any text; when set and different from the last value the job ran with (a restart from a savepoint or snapshot), the job scans the table again and re-renders every view, keeping its state. For a flushed or replaced cache. Leaving it unset (or emptying it) asks for nothing: the job keeps the last value."),
            Parameter.withDefault(GAP_RECOVERY, "rebootstrap", "What the job does when its stream positions no longer cover the table (stream replaced, or stopped longer than the stream's 24h retention): `rebootstrap` (scan the table again and reconcile) or `fail` (stop with a message saying what to do)."),
            Parameter.withDefault(STREAM_CHECK_INTERVAL, "1min", "How often the running job checks with DescribeTable that the table's stream is still the one it reads."),
            Parameter.withDefault(CHECKPOINT_INTERVAL, "10s", "Checkpoint interval when the cluster configures none (Managed Flink and flink-conf/ do); without checkpoints a restart would lose state and the sink's delivery guarantee.")));

    private static final Pattern ARN_TABLE = Pattern.compile(":table/([^/]+)/stream/");
    private static final Pattern ARN_REGION = Pattern.compile("^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):");
    private static final Pattern SECRET_ARN_REGION = Pattern.compile("^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\\d{12}:secret:.+$");
    private static final Pattern ENV_VAR_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,127}$");
    /** Momento API keys are base64 of a JSON object, so they start like this; no secret name does. */
    private static final String API_KEY_PREFIX = "eyJ";
    private static final Pattern SECRET_NAME = Pattern.compile("^[A-Za-z0-9/_+=.@-]{1,512}$");
    /** DynamoDB's rule for table names. */
    private static final Pattern TABLE_NAME = Pattern.compile("^[A-Za-z0-9_.-]{3,255}$");

    /** The stream-arn parameter as given; null when only the table is named. */
    public final String streamArn;
    public final String tableName;
    public final int bootstrapSegments;
    public final int bootstrapPageSize;
    public final int bootstrapReadCapacity;
    /** Empty when not set. */
    public final String bootstrapRunId;
    /** True with gap-recovery=rebootstrap, false with fail. */
    public final boolean gapRecoveryRebootstrap;
    public final Duration streamCheckInterval;
    public final String awsRegion;
    public final String awsEndpoint;
    /** Fixed keys for an emulator; never used against AWS (validation requires aws-endpoint with them). */
    public static final String LOCAL_DUMMY_ACCESS_KEY = "local";
    public static final String LOCAL_DUMMY_SECRET_KEY = "local";

    public final boolean awsLocalDummyCredentials;
    public final String streamInitialPosition;
    public final Duration shardDiscoveryInterval;
    public final String momentoCacheName;
    public final String momentoApiKeyEnv;
    /** Null unless the API key comes from Secrets Manager. */
    public final String momentoApiKeySecretId;
    /** Region of that secret: the one in its ARN, else {@link #awsRegion}. */
    public final String momentoApiKeySecretRegion;
    /** Null unless a plaintext local server is used. */
    public final String momentoLocalHost;
    public final int momentoLocalPort;
    public final Duration momentoRequestTimeout;
    public final Duration cacheTtl;
    public final String adminKeyPrefix;
    public final String allOrdersKey;
    public final int listMaxEntries;
    public final Duration listFlushInterval;
    public final int listWriteKibPerSecond;
    public final Duration tombstoneRetention;
    public final int sinkMaxInFlight;
    public final int sinkMaxAttempts;
    /** The whole job's budget in metered operations per second; 0 with {@code adaptive}. */
    public final int sinkOpsPerSecond;
    /** -1 when the cluster's default applies. */
    public final int parallelism;
    public final int maxParallelism;
    /** Null when dead letters are only logged. */
    public final String deadLetterTable;
    public final int maxValueBytes;
    /** Used only when the cluster has not switched checkpointing on itself. */
    public final Duration checkpointInterval;

    private JobParameters(Reader r) {
        streamArn = r.string(STREAM_ARN);
        awsEndpoint = r.string(AWS_ENDPOINT);
        String region = r.string(AWS_REGION);
        if (region == null && streamArn != null) {
            Matcher m = ARN_REGION.matcher(streamArn);
            if (m.find()) {
                region = m.group(1);
            } else {
                r.problem(STREAM_ARN, streamArn, "a DynamoDB stream ARN (arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>)");
            }
        }
        if ("ddblocal".equals(region)) {
            r.problems.add("aws-region: the stream ARN names the region 'ddblocal' (DynamoDB Local), which the AWS client rejects; "
                    + "set aws-region to any real region, e.g. us-east-1");
        }
        String table = r.string(TABLE_NAME_PARAM);
        if (table == null && streamArn != null) {
            Matcher m = ARN_TABLE.matcher(streamArn);
            if (m.find()) {
                table = m.group(1);
            }
        }
        if (table == null && streamArn == null) {
            r.problems.add(TABLE_NAME_PARAM + ": required but missing; name the orders table (or give " + STREAM_ARN + ")");
        } else if (table != null && !TABLE_NAME.matcher(table).matches()) {
            r.problem(TABLE_NAME_PARAM, table, "a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -)");
        }
        if (region == null && streamArn == null && table != null) {
            // Managed Flink and other AWS compute set AWS_REGION; that is the SDK's default region chain.
            try {
                region = new DefaultAwsRegionProviderChain().getRegion().id();
            } catch (RuntimeException e) {
                r.problems.add(AWS_REGION + ": required with " + TABLE_NAME_PARAM + " alone: no stream ARN names the "
                        + "region and the AWS SDK's default region chain (AWS_REGION, profile) found none");
            }
        }
        tableName = table;
        awsRegion = region;
        bootstrapSegments = r.integer(BOOTSTRAP_SEGMENTS, 1, 1_000_000);
        bootstrapPageSize = r.integer(BOOTSTRAP_PAGE_SIZE, 1, 10_000);
        bootstrapReadCapacity = r.integer(BOOTSTRAP_READ_CAPACITY, 1, 1_000_000);
        String runId = r.string(BOOTSTRAP_RUN_ID);
        bootstrapRunId = runId == null ? "" : runId;
        gapRecoveryRebootstrap = "rebootstrap".equals(r.oneOf(GAP_RECOVERY, "rebootstrap", "fail"));
        streamCheckInterval = r.duration(STREAM_CHECK_INTERVAL, Duration.ofSeconds(1), Duration.ofHours(1));
        String credentials = r.oneOf(AWS_CREDENTIALS, "default-chain", "local-dummy");
        awsLocalDummyCredentials = "local-dummy".equals(credentials);
        if (awsLocalDummyCredentials && awsEndpoint == null) {
            r.problems.add("aws-credentials: 'local-dummy' only works against a local endpoint; set aws-endpoint too");
        }
        streamInitialPosition = r.oneOf(STREAM_INITIAL_POSITION, "TRIM_HORIZON", "LATEST");
        shardDiscoveryInterval = r.duration(SHARD_DISCOVERY_INTERVAL, Duration.ofMillis(100), Duration.ofHours(1));
        momentoCacheName = r.string(MOMENTO_CACHE_NAME);
        // A key pasted where its name or secret id belongs must not reach a log line: these two values are
        // checked without ever being repeated in a message.
        String apiKeyEnv = r.string(MOMENTO_API_KEY_ENV);
        if (apiKeyEnv != null && !ENV_VAR_NAME.matcher(apiKeyEnv).matches()) {
            r.problems.add(MOMENTO_API_KEY_ENV + ": the value is not an environment variable name (letters, digits and _, "
                    + "not starting with a digit). Give the name of the variable that holds the Momento API key, never the "
                    + "key itself; the value is not repeated here in case it is one.");
            apiKeyEnv = null;
        }
        momentoApiKeyEnv = apiKeyEnv;
        String secretId = r.string(MOMENTO_API_KEY_SECRET_ID);
        String secretRegion = null;
        if (secretId != null) {
            Matcher m = SECRET_ARN_REGION.matcher(secretId);
            if (m.matches()) {
                secretRegion = m.group(1);
            } else if (secretId.startsWith("arn:") || secretId.startsWith(API_KEY_PREFIX)
                    || !SECRET_NAME.matcher(secretId).matches()) {
                r.problems.add(MOMENTO_API_KEY_SECRET_ID + ": the value is not a secret ARN "
                        + "(arn:aws:secretsmanager:<region>:<account>:secret:<name>) or a secret name. Give the secret "
                        + "that holds the Momento API key, never the key itself; the value is not repeated here in case it is one.");
                secretId = null;
            } else {
                secretRegion = region;
            }
        }
        momentoApiKeySecretId = secretId;
        momentoApiKeySecretRegion = secretRegion;
        String local = r.string(MOMENTO_LOCAL_ENDPOINT);
        String host = null;
        int port = -1;
        if (local != null) {
            HostPort address = HostPort.parseOrNull(local);
            if (address != null) {
                host = address.host;
                port = address.port;
            } else {
                r.problem(MOMENTO_LOCAL_ENDPOINT, local, "host:port, e.g. 127.0.0.1:9090");
            }
        }
        momentoLocalHost = host;
        momentoLocalPort = port;
        momentoRequestTimeout = r.duration(MOMENTO_REQUEST_TIMEOUT, Duration.ofMillis(50), Duration.ofMinutes(5));
        cacheTtl = r.duration(CACHE_TTL, Duration.ofSeconds(10), MAX_TTL);
        adminKeyPrefix = r.string(ADMIN_KEY_PREFIX);
        allOrdersKey = r.string(ALL_ORDERS_KEY);
        if (adminKeyPrefix != null && allOrdersKey != null && allOrdersKey.startsWith(adminKeyPrefix)) {
            r.problems.add(ALL_ORDERS_KEY + ": '" + allOrdersKey + "' must not start with " + ADMIN_KEY_PREFIX + " '" + adminKeyPrefix + "'");
        }
        listMaxEntries = r.integer(LIST_MAX_ENTRIES, 1, 1_000_000);
        listFlushInterval = r.duration(LIST_FLUSH_INTERVAL, Duration.ofMillis(1), Duration.ofMinutes(10));
        listWriteKibPerSecond = r.integer(LIST_WRITE_KIB_PER_SECOND, 1, 1_000_000);
        tombstoneRetention = r.duration(TOMBSTONE_RETENTION, Duration.ofMillis(1), Duration.ofDays(365));
        if (tombstoneRetention != null && tombstoneRetention.compareTo(STREAM_RETENTION) <= 0) {
            r.problems.add(TOMBSTONE_RETENTION + ": '" + r.raw(TOMBSTONE_RETENTION) + "' must be longer than the stream's 24h retention, "
                    + "or a stale change replayed after a delete could bring the order back");
        }
        sinkMaxInFlight = r.integer(SINK_MAX_IN_FLIGHT, 1, 10_000);
        sinkMaxAttempts = r.integer(SINK_MAX_ATTEMPTS, 1, 1000);
        if (ADAPTIVE.equalsIgnoreCase(r.string(SINK_OPS_PER_SECOND))) {
            sinkOpsPerSecond = 0;
        } else {
            Integer budget = r.optionalInteger(SINK_OPS_PER_SECOND, 1, 10_000_000, "or '" + ADAPTIVE + "' for no budget");
            sinkOpsPerSecond = budget == null ? -1 : budget;
        }
        Integer p = r.optionalInteger(PARALLELISM, 1, 32_768);
        parallelism = p == null ? -1 : p;
        maxParallelism = r.integer(MAX_PARALLELISM, 1, 32_768);
        if (p != null && maxParallelism > 0 && p > maxParallelism) {
            r.problems.add(PARALLELISM + ": " + p + " exceeds " + MAX_PARALLELISM + " " + maxParallelism);
        }
        String deadLetters = r.string(DEAD_LETTER_TABLE);
        if (deadLetters != null && !TABLE_NAME.matcher(deadLetters).matches()) {
            r.problem(DEAD_LETTER_TABLE, deadLetters, "a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -)");
        }
        deadLetterTable = deadLetters;
        maxValueBytes = r.integer(MAX_VALUE_BYTES, 1024, CacheContract.MOMENTO_MAX_ITEM_BYTES - CacheContract.MAX_KEY_BYTES);
        checkpointInterval = r.duration(CHECKPOINT_INTERVAL, Duration.ofMillis(100), Duration.ofHours(1));
        r.rejectUnknown();
        if (!r.problems.isEmpty()) {
            throw new InvalidParametersException(r.problems);
        }
    }

    /** Reads and validates the parameters; throws listing every problem at once. */
    public static JobParameters from(Map<String, String> values) {
        return new JobParameters(new Reader(values));
    }

    public CacheContract cacheContract() {
        return new CacheContract(adminKeyPrefix, allOrdersKey, maxValueBytes);
    }

    public boolean usesLocalMomento() {
        return momentoLocalHost != null;
    }

    /** Collects problems instead of stopping at the first. */
    private static final class Reader {
        private final Map<String, String> values;
        private final Map<String, Parameter> known = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> values) {
            this.values = values;
            for (Parameter p : PARAMETERS) {
                known.put(p.name(), p);
                if (p.isRequired() && blank(values.get(p.name()))) {
                    problems.add(p.name() + ": required but missing (" + p.description() + ")");
                }
            }
        }

        String raw(String key) {
            return values.get(key);
        }

        String string(String key) {
            String v = values.get(key);
            if (blank(v)) {
                return known.get(key).defaultValue();
            }
            return v.trim();
        }

        void problem(String key, String value, String expected) {
            problems.add(key + ": '" + value + "' is not valid; expected " + expected);
        }

        String oneOf(String key, String... allowed) {
            String v = string(key);
            for (String a : allowed) {
                if (a.equalsIgnoreCase(v)) {
                    return a;
                }
            }
            problem(key, v, "one of " + String.join(", ", allowed));
            return null;
        }

        Duration duration(String key, Duration min, Duration max) {
            String v = string(key);
            Duration d;
            try {
                d = TimeUtils.parseDuration(v);
            } catch (RuntimeException e) {
                problem(key, v, "a duration such as 250ms, 30s, 5min, 1h or 2d");
                return null;
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                problem(key, v, "a duration between " + TimeUtils.formatWithHighestUnit(min)
                        + " and " + TimeUtils.formatWithHighestUnit(max));
                return null;
            }
            return d;
        }

        int integer(String key, int min, int max) {
            Integer i = optionalInteger(key, min, max);
            return i == null ? -1 : i;
        }

        Integer optionalInteger(String key, int min, int max) {
            return optionalInteger(key, min, max, null);
        }

        Integer optionalInteger(String key, int min, int max, String alternative) {
            String v = string(key);
            if (v == null) {
                return null;
            }
            try {
                int i = Integer.parseInt(v);
                if (i >= min && i <= max) {
                    return i;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problem(key, v, "a whole number from " + min + " to " + max + (alternative == null ? "" : ", " + alternative));
            return null;
        }

        void rejectUnknown() {
            for (String key : values.keySet()) {
                if (!known.containsKey(key)) {
                    problems.add(key + ": unknown parameter; known parameters are " + String.join(", ", known.keySet()));
                }
            }
        }

        private static boolean blank(String s) {
            return s == null || s.trim().isEmpty();
        }
    }

    @Override
    public String toString() {
        // No secret is held here: the API key is read on the TaskManagers when the sink opens.
        return String.format(Locale.ROOT,
                "JobParameters{table=%s, stream=%s, bootstrap=%d segments/%d per page/%d RCU/s run '%s' gaps %s, region=%s, endpoint=%s, cache=%s, apiKey=%s, localMomento=%s, ttl=%s, listMax=%d, flush=%s, listKiBps=%d, tombstones=%s, sinkOpsPerSecond=%s, maxValueBytes=%d, deadLetterTable=%s, parallelism=%d, maxParallelism=%d}",
                tableName, streamArn, bootstrapSegments, bootstrapPageSize, bootstrapReadCapacity, bootstrapRunId,
                gapRecoveryRebootstrap ? "rebootstrap" : "fail", awsRegion, awsEndpoint, momentoCacheName,
                momentoApiKeySecretId != null ? "secret " + momentoApiKeySecretId : "env " + momentoApiKeyEnv,
                usesLocalMomento() ? momentoLocalHost + ":" + momentoLocalPort : "no", cacheTtl, listMaxEntries,
                listFlushInterval, listWriteKibPerSecond, tombstoneRetention, sinkOpsPerSecond == 0 ? ADAPTIVE : Integer.toString(sinkOpsPerSecond),
                maxValueBytes, deadLetterTable, parallelism, maxParallelism);
    }
}
