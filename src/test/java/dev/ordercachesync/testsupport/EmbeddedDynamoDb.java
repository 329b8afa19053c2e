package dev.ordercachesync.testsupport;

import com.amazonaws.services.dynamodbv2.local.main.CommandLineInput;
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * DynamoDB Local running in this JVM as a real HTTP server, so that clients other than ours (the Flink DynamoDB
 * Streams consumer, a demo) can reach it over the network like they would reach AWS.
 *
 * <p>The server is started with {@code -inMemory -sharedDb -disableTelemetry}: {@code -sharedDb} because DynamoDB
 * Local otherwise keeps one database per access key and region, and a consumer configured with different (dummy)
 * credentials or region would not see our table; {@code -disableTelemetry} so tests never try to reach AWS. It
 * listens on all interfaces (DynamoDB Local has no bind-address option); {@link #endpoint()} uses 127.0.0.1.
 *
 * <p>Not thread-safe to start/close concurrently; the clients it hands out are thread-safe and are closed with it.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    /** Region our clients sign with. DynamoDB Local ignores it, and reports stream ARNs in region "ddblocal". */
    public static final Region REGION = Region.US_EAST_1;
    public static final String ACCESS_KEY_ID = "dummyAccessKeyId";
    public static final String SECRET_ACCESS_KEY = "dummySecretAccessKey";

    static final String SQLITE_PROPERTY = "sqlite4java.library.path";
    static final String DEFAULT_NATIVE_LIBS = "target/native-libs";

    /**
     * DynamoDB Local's AWS SDK v1 warns through java.util.logging, on first use of its stream code, that JAXB is
     * missing on Java 9+ and it falls back to its own Base64: harmless, so keep it out of test output. Held in a field
     * because java.util.logging only keeps weak references to loggers.
     */
    private static final Logger SDK_V1_BASE64_LOGGER = Logger.getLogger("com.amazonaws.util.Base64");

    static {
        SDK_V1_BASE64_LOGGER.setLevel(Level.SEVERE);
    }

    private static final Duration TABLE_ACTIVE_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 5;

    private final DynamoDBProxyServer server;
    private final int port;
    private final URI endpoint;
    private final SdkHttpClient httpClient;
    private final DynamoDbClient client;
    private final DynamoDbStreamsClient streamsClient;
    private boolean closed;

    private EmbeddedDynamoDb(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        // Apache, url-connection and netty (async) HTTP clients are all on the test classpath; the SDK refuses to
        // guess between several, so name one. One shared connection pool serves both clients.
        this.httpClient = ApacheHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
        this.client = DynamoDbClient.builder()
                .region(REGION)
                .credentialsProvider(credentials)
                .endpointOverride(endpoint)
                .httpClient(httpClient)
                .build();
        this.streamsClient = DynamoDbStreamsClient.builder()
                .region(REGION)
                .credentialsProvider(credentials)
                .endpointOverride(endpoint)
                .httpClient(httpClient)
                .build();
    }

    /** Starts DynamoDB Local in memory on a free port. */
    public static EmbeddedDynamoDb start() {
        ensureSqliteNativeLibrary();
        Exception last = null;
        // A free port found by binding port 0 can be taken by someone else before Jetty binds it: retry.
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int port = freePort();
            DynamoDBProxyServer server = null;
            try {
                server = createServer(port);
                server.start();
                return new EmbeddedDynamoDb(server, port);
            } catch (Exception e) {
                last = e;
                stopQuietly(server);
            }
        }
        throw new IllegalStateException("Could not start DynamoDB Local after " + START_ATTEMPTS + " attempts", last);
    }

    /**
     * What {@link ServerRunner#createServerFromCommandLineArgs(String[])} does for these arguments, minus the
     * configuration banner it prints to System.out.
     */
    private static DynamoDBProxyServer createServer(int port) throws Exception {
        CommandLineInput input = new CommandLineInput(new String[] {
            "-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(port)});
        if (!input.init()) {
            throw new IllegalArgumentException("DynamoDB Local rejected its command line");
        }
        return ServerRunner.createServer(input);
    }

    /** http://127.0.0.1:PORT */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return port;
    }

    /** Shared client (us-east-1, dummy static credentials); closed by {@link #close()}. */
    public DynamoDbClient client() {
        return client;
    }

    /** Shared streams client, same settings as {@link #client()}; closed by {@link #close()}. */
    public DynamoDbStreamsClient streamsClient() {
        return streamsClient;
    }

    /**
     * Creates the workshop's {@code OrderTable} layout under {@code name}: {@code pk} (S, HASH) + {@code sk} (S,
     * RANGE), GSI {@code type} ({@code type} HASH, {@code creator} RANGE, projection ALL), on-demand billing, stream
     * NEW_AND_OLD_IMAGES. Waits until the table and its index are ACTIVE.
     *
     * @return the table's LatestStreamArn
     */
    public String createOrderTable(String name) {
        client.createTable(CreateTableRequest.builder()
                .tableName(name)
                .attributeDefinitions(
                        attribute(OrderTable.PK),
                        attribute(OrderTable.SK),
                        attribute(OrderTable.TYPE),
                        attribute(OrderTable.CREATOR))
                .keySchema(key(OrderTable.PK, KeyType.HASH), key(OrderTable.SK, KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(OrderTable.TYPE_INDEX)
                        .keySchema(key(OrderTable.TYPE, KeyType.HASH), key(OrderTable.CREATOR, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                        .build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(StreamSpecification.builder()
                        .streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                        .build())
                .build());
        TableDescription table = awaitActive(name);
        if (table.latestStreamArn() == null) {
            throw new IllegalStateException("Table " + name + " is ACTIVE but has no stream ARN");
        }
        return table.latestStreamArn();
    }

    /** Every item of {@code table}, following LastEvaluatedKey, with consistent reads. */
    public List<Map<String, AttributeValue>> scanAll(String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(table).consistentRead(true);
            if (startKey != null) {
                request.exclusiveStartKey(startKey);
            }
            ScanResponse page = client.scan(request.build());
            items.addAll(page.items());
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                    ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return Collections.unmodifiableList(items);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            client.close();
            streamsClient.close();
            httpClient.close();
        } finally {
            stopQuietly(server);
        }
    }

    private TableDescription awaitActive(String name) {
        long deadline = System.nanoTime() + TABLE_ACTIVE_TIMEOUT.toNanos();
        while (true) {
            TableDescription table = client.describeTable(r -> r.tableName(name)).table();
            if (table.tableStatus() == TableStatus.ACTIVE && indexesActive(table)) {
                return table;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Table " + name + " not ACTIVE after " + TABLE_ACTIVE_TIMEOUT
                        + ": " + table.tableStatusAsString());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted waiting for table " + name, e);
            }
        }
    }

    private static boolean indexesActive(TableDescription table) {
        for (GlobalSecondaryIndexDescription index : table.globalSecondaryIndexes()) {
            if (index.indexStatus() != IndexStatus.ACTIVE) {
                return false;
            }
        }
        return true;
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    /**
     * sqlite4java loads its .so from {@code sqlite4java.library.path}. Surefire sets it; an IDE or a plain
     * {@code java} run may not, so fall back to where maven-dependency-plugin copies the library.
     */
    static void ensureSqliteNativeLibrary() {
        String configured = System.getProperty(SQLITE_PROPERTY);
        if (configured == null || configured.isEmpty()) {
            File dir = new File(DEFAULT_NATIVE_LIBS).getAbsoluteFile();
            if (!dir.isDirectory()) {
                throw new IllegalStateException("DynamoDB Local needs the sqlite4java native library: system property "
                        + SQLITE_PROPERTY + " is not set and " + dir + " does not exist. Run `mvn process-test-resources`"
                        + " (it copies the library to target/native-libs) or pass -D" + SQLITE_PROPERTY + "=DIR.");
            }
            System.setProperty(SQLITE_PROPERTY, dir.getPath());
            configured = dir.getPath();
        }
        File dir = new File(configured);
        String[] libraries = dir.list((d, fileName) -> fileName.contains("sqlite4java"));
        if (libraries == null || libraries.length == 0) {
            throw new IllegalStateException(SQLITE_PROPERTY + "=" + configured + " holds no sqlite4java native library."
                    + " Run `mvn process-test-resources` (it copies the library to target/native-libs).");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }

    private static void stopQuietly(DynamoDBProxyServer server) {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception ignored) {
            // best effort: nothing useful to do if Jetty fails to stop
        }
    }
}
