package dev.ordercachesync.source;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs dead letters one line each, at most {@link #MAX_LINES_PER_SECOND} per subtask; the rest are counted. */
public class DeadLetterLogger implements Sink<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLogger.class);
    static final int MAX_LINES_PER_SECOND = 10;

    @Override
    public SinkWriter<DeadLetter> createWriter(WriterInitContext context) {
        return new Writer();
    }

    @Override
    @Deprecated
    public SinkWriter<DeadLetter> createWriter(InitContext context) {
        return new Writer();
    }

    private static final class Writer implements SinkWriter<DeadLetter> {
        private long windowStart;
        private int linesInWindow;
        private long suppressed;

        @Override
        public void write(DeadLetter d, Context context) {
            long now = System.currentTimeMillis();
            if (now - windowStart >= 1000) {
                if (suppressed > 0) {
                    LOG.warn("{} more dead letters were not logged (rate limit); see the deadLetters metrics", suppressed);
                }
                windowStart = now;
                linesInWindow = 0;
                suppressed = 0;
            }
            if (linesInWindow++ < MAX_LINES_PER_SECOND) {
                LOG.warn("Dead letter {}: {} (order {}, shard {}, sequence {})",
                        d.reason, d.message, d.orderId, d.shardId, d.sequenceNumber);
            } else {
                suppressed++;
            }
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
    }
}
