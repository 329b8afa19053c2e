package dev.ordercachesync.sink;

import dev.ordercachesync.config.JobParameters;
import dev.ordercachesync.config.ParameterSources;
import dev.ordercachesync.testsupport.MotoServer;
import momento.sdk.auth.CredentialProvider;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Reads the Momento key through the real AWS SDK from moto's Secrets Manager on loopback. Every log line (at
 * every level) and every exception is checked for the key.
 */
class MomentoApiKeySecretTest {
    /** The inner API key; a v1 Momento key is base64 JSON of it and an endpoint. */
    private static final String API_KEY_MARKER = "apikey-7f3c9b1e-never-print-me";
    private static final String MOMENTO_KEY = Base64.getEncoder().encodeToString(
            ("{\"endpoint\":\"cell-test.example.invalid\",\"api_key\":\"" + API_KEY_MARKER + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
    private static final String REGION = "us-east-1";
    private static final StaticCredentialsProvider DUMMY = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDLOOPBACK", "loopback-secret-access-key"));

    private MotoServer.Lease moto;
    private URI endpoint;
    private SecretsManagerClient admin;
    private final StringWriter logs = new StringWriter();

    @BeforeEach
    void start() {
        moto = MotoServer.lease();
        endpoint = moto.server().endpoint();
        admin = SecretsManagerClient.builder()
                .region(Region.of(REGION))
                .endpointOverride(endpoint)
                .credentialsProvider(DUMMY)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        captureAllLogs();
    }

    @AfterEach
    void stop() {
        restoreLogs();
        admin.close();
        moto.close();
    }

    private void putSecret(String id, String secretString) {
        admin.createSecret(r -> r.name(id).secretString(secretString));
    }

    @Test
    void readsTheWorkshopsJsonShape() {
        putSecret("workshop/momento", "{\"momento\": \"" + MOMENTO_KEY + "\", \"other\": \"x\"}");
        String key = MomentoApiKeySecret.at("workshop/momento", REGION, endpoint, DUMMY).fetchApiKey();
        assertThat(key).isEqualTo(MOMENTO_KEY);
        assertThat(MomentoConnection.credentialsFromKey(key, "test").getAuthToken()).isEqualTo(API_KEY_MARKER);
        assertNoKeyIn(logs.toString());
    }

    @Test
    void readsAPlainStringSecret() {
        putSecret("plain", "  " + MOMENTO_KEY + "\n");
        assertThat(MomentoApiKeySecret.at("plain", REGION, endpoint, DUMMY).fetchApiKey()).isEqualTo(MOMENTO_KEY);
        assertNoKeyIn(logs.toString());
    }

    @Test
    void theJobsOwnPathReadsTheSecretNamedByItsParameters() {
        putSecret("prod/momento", "{\"momento\": \"" + MOMENTO_KEY + "\"}");
        JobParameters params = ParameterSources.load(new String[] {
            "--stream-arn", "arn:aws:dynamodb:us-east-1:123456789012:table/OrderTable/stream/2026-11-23T00:00:00.000",
            "--momento-api-key-secret-id", "prod/momento"}, Collections.emptyMap());
        // The SDK's standard endpoint and credential settings; the job adds no test hook for them.
        System.setProperty("aws.endpointUrlSecretsManager", endpoint.toString());
        System.setProperty("aws.accessKeyId", "AKIDLOOPBACK");
        System.setProperty("aws.secretAccessKey", "loopback-secret-access-key");
        try {
            CredentialProvider credentials = MomentoConnection.from(params).credentials();
            assertThat(credentials.getAuthToken()).isEqualTo(API_KEY_MARKER);
            assertThat(credentials.getCacheEndpoint()).isEqualTo("cache.cell-test.example.invalid");
        } finally {
            System.clearProperty("aws.endpointUrlSecretsManager");
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        assertThat(MomentoConnection.from(params).toString()).contains("secret prod/momento");
        assertNoKeyIn(logs.toString() + params);
    }

    @Test
    void noFailureEverCarriesTheKey() {
        String[][] badSecrets = {
            {"malformed-json", "{\"momento\": \"" + MOMENTO_KEY + "\",, }"},
            {"unterminated-json", "{\"momento\": \"" + MOMENTO_KEY},
            {"wrong-field", "{\"apiKey\": \"" + MOMENTO_KEY + "\"}"},
            {"not-a-string", "{\"momento\": {\"key\": \"" + MOMENTO_KEY + "\"}}"},
            {"empty", "   "},
        };
        String[] expected = {"is not valid JSON", "is not valid JSON", "without a non-empty string field \"momento\"",
            "without a non-empty string field \"momento\"", "has no SecretString"};
        for (int i = 0; i < badSecrets.length; i++) {
            String id = badSecrets[i][0];
            putSecret(id, badSecrets[i][1]);
            Throwable t = catchThrowable(() -> MomentoApiKeySecret.at(id, REGION, endpoint, DUMMY).fetchApiKey());
            assertThat(t).as(badSecrets[i][0]).isInstanceOf(IllegalStateException.class).hasMessageContaining(expected[i]);
            assertNoKeyIn(everything(t));
        }

        // A plain string that is not a Momento key: the SDK's parse error must not leak it either.
        String notAKey = "not-a-momento-key-" + API_KEY_MARKER;
        putSecret("garbage", notAKey);
        String fetched = MomentoApiKeySecret.at("garbage", REGION, endpoint, DUMMY).fetchApiKey();
        Throwable invalid = catchThrowable(() -> MomentoConnection.credentialsFromKey(fetched, "secret garbage"));
        assertThat(invalid).hasMessageContaining("The Momento API key in secret garbage is not a valid key");
        assertNoKeyIn(everything(invalid));
        assertThat(everything(invalid)).doesNotContain(notAKey);

        // A service error other than not-found: the secret is scheduled for deletion.
        putSecret("deleted", "{\"momento\": \"" + MOMENTO_KEY + "\"}");
        admin.deleteSecret(r -> r.secretId("deleted").recoveryWindowInDays(7L));
        Throwable deleted = catchThrowable(() -> MomentoApiKeySecret.at("deleted", REGION, endpoint, DUMMY).fetchApiKey());
        assertThat(deleted).hasMessageContaining("Could not read the Momento API key from secret deleted in us-east-1")
                .hasMessageContaining("InvalidRequestException").hasMessageContaining("marked deleted")
                .hasMessageContaining("needs secretsmanager:GetSecretValue");
        assertNoKeyIn(everything(deleted));

        Throwable missing = catchThrowable(() -> MomentoApiKeySecret.at("nope", REGION, endpoint, DUMMY).fetchApiKey());
        assertThat(missing).hasMessageContaining("ResourceNotFoundException").hasMessageContaining("can't find the specified secret");

        assertNoKeyIn(logs.toString());
        assertThat(logs.toString()).as("the capture works: the SDK logged its calls").contains("GetSecretValue");
    }

    @Test
    void anUnreachableEndpointSaysWhyWithoutTheKey() {
        URI closed = URI.create("http://127.0.0.1:" + MotoServer.freePort());
        Throwable t = catchThrowable(() -> MomentoApiKeySecret.at("any", REGION, closed, DUMMY).fetchApiKey());
        assertThat(t).hasMessageContaining("Could not read the Momento API key from secret any")
                .hasMessageContaining("Connection refused");
    }

    private static void assertNoKeyIn(String text) {
        assertThat(text).doesNotContain(MOMENTO_KEY).doesNotContain(API_KEY_MARKER);
    }

    /** Message, causes, suppressed and stack trace. */
    private static String everything(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private void captureAllLogs() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        Appender capture = WriterAppender.newBuilder()
                .setName("secret-capture")
                .setTarget(logs)
                .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m %ex%n").build())
                .build();
        capture.start();
        config.addAppender(capture);
        // Everything, at every level, to the capture; the console keeps the tests' usual threshold.
        LoggerConfig root = config.getRootLogger();
        Appender console = config.getAppender("ConsoleAppender");
        if (console != null) {
            root.removeAppender("ConsoleAppender");
            root.addAppender(console, Level.WARN, null);
        }
        root.addAppender(capture, Level.ALL, null);
        for (LoggerConfig logger : config.getLoggers().values()) {
            logger.setLevel(Level.ALL);
        }
        context.updateLoggers();
    }

    private void restoreLogs() {
        // Back to log4j2-test.properties for the tests that run after this one in the same JVM.
        ((LoggerContext) LogManager.getContext(false)).reconfigure();
    }
}
