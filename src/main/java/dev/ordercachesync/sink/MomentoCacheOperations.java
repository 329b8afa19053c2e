package dev.ordercachesync.sink;

import dev.ordercachesync.model.CacheMutation;
import momento.sdk.CacheClient;
import momento.sdk.exceptions.MomentoErrorCode;
import momento.sdk.exceptions.SdkException;
import momento.sdk.responses.cache.DeleteResponse;
import momento.sdk.responses.cache.SetResponse;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Applies mutations with the Momento SDK and classifies its errors as retryable or permanent. */
public final class MomentoCacheOperations implements CacheWriteOperations {
    /** Transient conditions: the same write can succeed later. */
    static final Set<MomentoErrorCode> RETRYABLE = EnumSet.of(
            MomentoErrorCode.SERVER_UNAVAILABLE,
            MomentoErrorCode.INTERNAL_SERVER_ERROR,
            MomentoErrorCode.TIMEOUT_ERROR,
            MomentoErrorCode.LIMIT_EXCEEDED_ERROR,
            MomentoErrorCode.CONNECTION,
            MomentoErrorCode.CLIENT_RESOURCE_EXHAUSTED,
            MomentoErrorCode.CANCELLED_ERROR,
            MomentoErrorCode.UNKNOWN_SERVICE_ERROR,
            MomentoErrorCode.UNKNOWN);

    private final CacheClient client;
    private final String cacheName;

    public MomentoCacheOperations(CacheClient client, String cacheName) {
        this.client = client;
        this.cacheName = cacheName;
    }

    @Override
    public CompletableFuture<Void> apply(CacheMutation m) {
        if (m.isDelete()) {
            return client.delete(cacheName, m.key).thenApply(r -> {
                if (r instanceof DeleteResponse.Error) {
                    throw classify((SdkException) r);
                }
                return null;
            });
        }
        return client.set(cacheName, m.key, m.value, Duration.ofMillis(m.ttlMillis)).thenApply(r -> {
            if (r instanceof SetResponse.Error) {
                throw classify((SdkException) r);
            }
            return null;
        });
    }

    /** Whether a call that failed with this code can succeed when tried again. */
    public static boolean isRetryable(MomentoErrorCode code) {
        return code == null || RETRYABLE.contains(code);
    }

    static CacheWriteException classify(SdkException e) {
        MomentoErrorCode code = e.getErrorCode() == null ? MomentoErrorCode.UNKNOWN : e.getErrorCode();
        return new CacheWriteException(code.name(), RETRYABLE.contains(code), advice(code, e.getMessage()), null);
    }

    private static String advice(MomentoErrorCode code, String message) {
        switch (code) {
            case NOT_FOUND_ERROR:
                return message + " (does the cache exist? create it or fix momento-cache-name)";
            case AUTHENTICATION_ERROR:
            case PERMISSION_ERROR:
                return message + " (check the Momento API key and its permissions on the cache)";
            case INVALID_ARGUMENT_ERROR:
            case BAD_REQUEST_ERROR:
                return message + " (the value, key or TTL is not accepted; check cache-ttl and value sizes)";
            default:
                return message;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
