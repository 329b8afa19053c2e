package dev.ordercachesync.testsupport;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A moto server seen as DynamoDB and DynamoDB Streams over HTTP, so that clients other than ours (the Flink
 * DynamoDB Streams consumer, a demo) reach it over the network as they would reach AWS. It starts empty: the
 * JVM's shared moto server, reset, or one of its own while another user holds that one ({@link MotoServer#lease()}).
 *
 * <p>moto keeps tables per account and region: every client here signs for {@link #REGION} with dummy keys,
 * which moto maps to its default account. Not thread-safe to start/close concurrently; the clients it hands out
 * are thread-safe and are closed with it.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    /** Region every client signs with; moto keeps one set of tables per region. */
    public static final Region REGION = Region.US_EAST_1;
    public static final String ACCESS_KEY_ID = "dummyAccessKeyId";
    public static final String SECRET_ACCESS_KEY = "dummySecretAccessKey";


    private final MotoServer.Lease lease;
    private final int port;
    private final URI endpoint;
    private final SdkHttpClient httpClient;
    private final DynamoDbClient client;
    private final DynamoDbStreamsClient streamsClient;
    private final OrderTableAdmin tables;
    private boolean closed;

    private EmbeddedDynamoDb(MotoServer.Lease lease) {
        this.lease = lease;
        this.port = lease.server().port();
        this.endpoint = lease.server().endpoint();
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
        this.tables = new OrderTableAdmin(client);
    }

    /** An empty DynamoDB on a loopback port. */
    public static EmbeddedDynamoDb start() {
        return new EmbeddedDynamoDb(MotoServer.lease());
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
        return createOrderTable(name, true);
    }

    /**
     * As {@link #createOrderTable(String)}, with or without its stream; without, it returns null and
     * {@link #enableStream(String)} switches the stream on later (items written before are in no stream).
     */
    public String createOrderTable(String name, boolean withStream) {
        return tables.create(name, withStream);
    }

    /** Enables the table's stream (view NEW_AND_OLD_IMAGES) and returns its new LatestStreamArn. */
    public String enableStream(String name) {
        return tables.enableStream(name);
    }

    /** Deletes the table and waits until it is gone. */
    public void deleteTable(String name) {
        tables.delete(name);
    }

    /** Every item of {@code table}, following LastEvaluatedKey, with consistent reads. */
    public List<Map<String, AttributeValue>> scanAll(String table) {
        return tables.scanAll(table);
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
            lease.close();
        }
    }
}
