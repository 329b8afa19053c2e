package dev.ordercachesync.sink;

import dev.ordercachesync.config.JobParameters;
import momento.sdk.CacheClient;
import momento.sdk.auth.CredentialProvider;
import momento.sdk.auth.MomentoLocalProvider;
import momento.sdk.config.Configuration;
import momento.sdk.config.Configurations;

import java.io.Serializable;
import java.time.Duration;

/**
 * How to reach Momento: the real service with an API key from an environment variable or from AWS
 * Secrets Manager, or a plaintext Momento-protocol server at host:port. Holds the variable's name or
 * the secret's id, never the key: it is read on the TaskManager when a client opens.
 */
public final class MomentoConnection implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String cacheName;
    private final String apiKeyEnvVar;
    /** Null when the key comes from the environment variable. */
    private final String apiKeySecretId;
    private final String apiKeySecretRegion;
    private final String localHost;
    private final int localPort;
    private final Duration requestTimeout;
    private final Duration defaultTtl;

    private MomentoConnection(String cacheName, String apiKeyEnvVar, String apiKeySecretId, String apiKeySecretRegion,
                              String localHost, int localPort, Duration requestTimeout, Duration defaultTtl) {
        this.cacheName = cacheName;
        this.apiKeyEnvVar = apiKeyEnvVar;
        this.apiKeySecretId = apiKeySecretId;
        this.apiKeySecretRegion = apiKeySecretRegion;
        this.localHost = localHost;
        this.localPort = localPort;
        this.requestTimeout = requestTimeout;
        this.defaultTtl = defaultTtl;
    }

    public static MomentoConnection from(JobParameters p) {
        return new MomentoConnection(p.momentoCacheName, p.momentoApiKeyEnv, p.momentoApiKeySecretId,
                p.momentoApiKeySecretRegion, p.momentoLocalHost, p.momentoLocalPort, p.momentoRequestTimeout, p.cacheTtl);
    }

    public static MomentoConnection local(String cacheName, String host, int port, Duration requestTimeout, Duration defaultTtl) {
        return new MomentoConnection(cacheName, null, null, null, host, port, requestTimeout, defaultTtl);
    }

    /** The real service, with the API key read from {@code apiKeyEnvVar} when a client is opened. */
    public static MomentoConnection service(String cacheName, String apiKeyEnvVar, Duration requestTimeout, Duration defaultTtl) {
        return new MomentoConnection(cacheName, apiKeyEnvVar, null, null, null, -1, requestTimeout, defaultTtl);
    }

    public String cacheName() {
        return cacheName;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Opens a client; the caller closes it. */
    public CacheClient openClient() {
        Configuration configuration = Configurations.InRegion.latest().withTimeout(requestTimeout);
        return CacheClient.create(credentials(), configuration, defaultTtl);
    }

    /** Package-private so tests can check where the key comes from without opening a connection. */
    CredentialProvider credentials() {
        if (localHost != null) {
            return new MomentoLocalProvider(localHost, localPort);
        }
        if (apiKeySecretId != null) {
            MomentoApiKeySecret secret = MomentoApiKeySecret.of(apiKeySecretId, apiKeySecretRegion);
            return credentialsFromKey(secret.fetchApiKey(), secret.toString());
        }
        String key = System.getenv(apiKeyEnvVar);
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("The environment variable " + apiKeyEnvVar
                    + " that should hold the Momento API key is not set or empty. Set it on every TaskManager, "
                    + "set " + JobParameters.MOMENTO_API_KEY_SECRET_ID + " to read it from AWS Secrets Manager, "
                    + "or set " + JobParameters.MOMENTO_LOCAL_ENDPOINT + " to use a local Momento-protocol server.");
        }
        return credentialsFromKey(key, "$" + apiKeyEnvVar);
    }

    /** @param origin where the key came from, for the error message */
    static CredentialProvider credentialsFromKey(String key, String origin) {
        try {
            return CredentialProvider.fromString(key);
        } catch (RuntimeException e) {
            // The SDK's message could echo the key, so neither it nor the exception is passed on.
            throw new IllegalStateException("The Momento API key in " + origin
                    + " is not a valid key (" + e.getClass().getSimpleName() + "); create a new key in the Momento console.");
        }
    }

    @Override
    public String toString() {
        return localHost != null ? "momento-local://" + localHost + ":" + localPort + "/" + cacheName
                : "momento://" + cacheName + " (key from "
                        + (apiKeySecretId != null ? "secret " + apiKeySecretId : "$" + apiKeyEnvVar) + ")";
    }
}
