package dev.ordercachesync.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordercachesync.aws.AwsErrors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.net.URI;
import java.time.Duration;

/**
 * Reads the Momento API key from AWS Secrets Manager: either JSON {@code {"momento": "<key>"}} (what the
 * workshop stored) or the plain key. No message it produces, and no exception it throws, carries the
 * secret's value: parse errors and SDK errors are replaced by a description of what went wrong.
 */
public final class MomentoApiKeySecret {
    /** The field of a JSON secret that holds the key. */
    public static final String JSON_FIELD = "momento";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String secretId;
    private final String region;
    private final URI endpointOverride;
    private final AwsCredentialsProvider credentials;

    private MomentoApiKeySecret(String secretId, String region, URI endpointOverride, AwsCredentialsProvider credentials) {
        if (secretId == null || secretId.isBlank()) {
            throw new IllegalArgumentException("secret id must not be blank");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("no region for secret " + secretId
                    + ": give its full ARN or set aws-region");
        }
        this.secretId = secretId;
        this.region = region;
        this.endpointOverride = endpointOverride;
        this.credentials = credentials;
    }

    /** The secret in the real service, read with the default AWS credentials (the application's role on Managed Flink). */
    public static MomentoApiKeySecret of(String secretId, String region) {
        return new MomentoApiKeySecret(secretId, region, null, null);
    }

    /** For tests against a server that speaks Secrets Manager's protocol on another endpoint. */
    static MomentoApiKeySecret at(String secretId, String region, URI endpoint, AwsCredentialsProvider credentials) {
        return new MomentoApiKeySecret(secretId, region, endpoint, credentials);
    }

    public String secretId() {
        return secretId;
    }

    /** Fetches the current version of the secret and returns the key in it. */
    public String fetchApiKey() {
        // One call per subtask start: a client (and default credentials) of its own, closed right after.
        DefaultCredentialsProvider defaults = credentials == null ? DefaultCredentialsProvider.builder().build() : null;
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .region(Region.of(region))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(10)))
                .credentialsProvider(credentials != null ? credentials : defaults);
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        GetSecretValueResponse response;
        try (SecretsManagerClient client = builder.build()) {
            response = client.getSecretValue(r -> r.secretId(secretId));
        } catch (SdkServiceException e) {
            // Service errors (not found, access denied, KMS) say nothing of the value; keep their code and message.
            throw new IllegalStateException("Could not read the Momento API key from secret " + secretId + " in " + region
                    + ": " + AwsErrors.code(e) + " (HTTP " + e.statusCode() + "): " + e.getMessage()
                    + ". The job's role needs secretsmanager:GetSecretValue on this secret.");
        } catch (SdkException e) {
            throw new IllegalStateException("Could not read the Momento API key from secret " + secretId + " in " + region
                    + ": " + describeClientError(e));
        } finally {
            if (defaults != null) {
                defaults.close();
            }
        }
        return apiKeyFrom(response.secretString(), secretId);
    }

    /**
     * The key in a secret string: the {@value #JSON_FIELD} field of a JSON object, or the whole string
     * when it is not JSON.
     */
    static String apiKeyFrom(String secretString, String secretId) {
        if (secretString == null || secretString.isBlank()) {
            throw new IllegalStateException("Secret " + secretId + " has no SecretString (binary secrets are not supported);"
                    + " store {\"" + JSON_FIELD + "\": \"<key>\"} or the plain key.");
        }
        String trimmed = secretString.trim();
        if (!trimmed.startsWith("{")) {
            return trimmed;
        }
        JsonNode node;
        try {
            node = JSON.readTree(trimmed);
        } catch (JsonProcessingException e) {
            // Jackson quotes the input around the error, so neither its message nor the exception is kept.
            throw new IllegalStateException("Secret " + secretId + " starts with '{' but is not valid JSON (error at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + "); store {\"" + JSON_FIELD + "\": \"<key>\"} or the plain key.");
        }
        JsonNode key = node.get(JSON_FIELD);
        if (key == null || !key.isTextual() || key.asText().isBlank()) {
            throw new IllegalStateException("Secret " + secretId + " is a JSON object without a non-empty string field \""
                    + JSON_FIELD + "\" (it has " + node.size() + " fields).");
        }
        return key.asText().trim();
    }

    /**
     * Client-side errors include response parsing, whose messages can quote the response (the secret):
     * only network errors, which never hold it, keep their message.
     */
    private static String describeClientError(Throwable e) {
        StringBuilder out = new StringBuilder(e.getClass().getSimpleName());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            out.append(" <- ").append(c.getClass().getSimpleName());
            String type = c.getClass().getName();
            if (type.startsWith("java.net.") || type.startsWith("javax.net.ssl.")) {
                out.append(": ").append(c.getMessage());
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "secret " + secretId + " in " + region;
    }
}
