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
    private final int opsPerSecond;

    /** A sink without a budget: it paces itself only by Momento's throttling. */
    public MomentoSink(MomentoConnection connection, int maxInFlight, int maxAttempts) {
        this(connection, maxInFlight, maxAttempts, 0);
    }

    /** @param opsPerSecond the whole sink's budget in metered operations per second, shared by its subtasks; 0 for none */
    public MomentoSink(MomentoConnection connection, int maxInFlight, int maxAttempts, int opsPerSecond) {
        if (opsPerSecond < 0) {
            throw new IllegalArgumentException("opsPerSecond must be positive, or 0 for no budget, got " + opsPerSecond);
        }
        this.connection = connection;
        this.maxInFlight = maxInFlight;
        this.maxAttempts = maxAttempts;
        this.opsPerSecond = opsPerSecond;
    }

    @Override
    public SinkWriter<CacheMutation> createWriter(WriterInitContext context) {
        return createWriter(context.metricGroup(), context.getSubtaskId(), context.getNumberOfParallelSubtasks());
    }

    /** Flink 1.20 still requires the deprecated variant; both build the same writer. */
    @Override
    @Deprecated
    public SinkWriter<CacheMutation> createWriter(InitContext context) {
        return createWriter(context.metricGroup(), context.getSubtaskId(), context.getNumberOfParallelSubtasks());
    }

    private SinkWriter<CacheMutation> createWriter(SinkWriterMetricGroup metrics, int subtask, int parallelism) {
        CacheClient client = connection.openClient();
        try {
            CacheExistenceCheck.requireCache(client, connection.cacheName(), connection.requestTimeout());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new MomentoSinkWriter(new MomentoCacheOperations(client, connection.cacheName()),
                new RetryBackoff(RETRY_BASE, RETRY_CAP), maxInFlight, maxAttempts,
                new SinkBudget(opsPerSecond, subtask, parallelism), connection.requestTimeout(), metrics);
    }
}
