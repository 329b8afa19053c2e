package dev.ordercachesync.deadletter;

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
                        d.reason, printable(d.message), printable(d.orderId), printable(d.shardId),
                        printable(d.sequenceNumber));
            } else {
                suppressed++;
            }
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
    }

    /** Escapes control characters, so a hostile value cannot forge or split log lines. */
    static String printable(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = Character.isISOControl(c) || c == 0x2028 || c == 0x2029;
            if (control && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (control) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
