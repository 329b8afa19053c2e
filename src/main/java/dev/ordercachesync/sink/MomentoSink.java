package dev.ordercachesync.sink;

import dev.ordercachesync.model.CacheMutation;
import momento.sdk.CacheClient;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import java.time.Duration;

/**
 * Writes {@link CacheMutation}s to a Momento cache. Stateless: at a checkpoint every mutation
 * emitted before the barrier has been written, so there is nothing to snapshot.
 */
public class MomentoSink implements Sink<CacheMutation> {
    private static final long serialVersionUID = 1L;

    static final Duration RETRY_BASE = Duration.ofMillis(100);
    static final Duration RETRY_CAP = Duration.ofSeconds(5);

    private final MomentoConnection connection;
    private final int maxInFlight;
    private final int maxAttempts;

    public MomentoSink(MomentoConnection connection, int maxInFlight, int maxAttempts) {
        this.connection = connection;
        this.maxInFlight = maxInFlight;
        this.maxAttempts = maxAttempts;
    }

    @Override
    public SinkWriter<CacheMutation> createWriter(WriterInitContext context) {
        return createWriter(context.metricGroup());
    }

    /** Flink 1.20 still requires the deprecated variant; both build the same writer. */
    @Override
    @Deprecated
    public SinkWriter<CacheMutation> createWriter(InitContext context) {
        return createWriter(context.metricGroup());
    }

    private SinkWriter<CacheMutation> createWriter(SinkWriterMetricGroup metrics) {
        CacheClient client = connection.openClient();
        try {
            CacheExistenceCheck.requireCache(client, connection.cacheName(), connection.requestTimeout());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new MomentoSinkWriter(new MomentoCacheOperations(client, connection.cacheName()),
                new RetryBackoff(RETRY_BASE, RETRY_CAP), maxInFlight, maxAttempts, metrics);
    }
}
