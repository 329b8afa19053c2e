package dev.ordercachesync.sink;

import momento.sdk.CacheClient;
import momento.sdk.exceptions.SdkException;
import momento.sdk.responses.cache.control.CacheInfo;
import momento.sdk.responses.cache.control.CacheListResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Fails the sink at start when its cache does not exist, instead of on the first write deep into a run.
 * An API key limited to one cache may not be allowed to list caches; then the first write decides.
 */
final class CacheExistenceCheck {
    private static final Logger LOG = LoggerFactory.getLogger(CacheExistenceCheck.class);

    private CacheExistenceCheck() {}

    static void requireCache(CacheClient client, String cacheName, Duration timeout) {
        CacheListResponse response;
        try {
            response = client.listCaches().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("Could not list Momento caches to check that '{}' exists ({}); the first write will tell",
                    cacheName, e.getClass().getSimpleName());
            return;
        }
        if (response instanceof CacheListResponse.Success) {
            boolean exists = ((CacheListResponse.Success) response).getCaches().stream()
                    .map(CacheInfo::name).anyMatch(cacheName::equals);
            if (!exists) {
                String known = ((CacheListResponse.Success) response).getCaches().stream()
                        .map(CacheInfo::name).sorted().collect(Collectors.joining(", "));
                throw new IllegalStateException("The Momento cache '" + cacheName + "' does not exist (caches "
                        + "visible to this API key: " + (known.isEmpty() ? "none" : known) + "). Create it, or set "
                        + "momento-cache-name to an existing cache.");
            }
        } else {
            SdkException error = (SdkException) response;
            LOG.warn("Could not list Momento caches to check that '{}' exists ({}); the first write will tell",
                    cacheName, error.getErrorCode());
        }
    }
}
