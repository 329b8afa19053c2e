package dev.ordercachesync.source;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Carries a gap the stream source found (a shard position DynamoDB Streams has trimmed, or a shard that is gone)
 * to the table scan, whose enumerator starts the run that covers it, and carries the answer back.
 *
 * <p>The stream source is the legacy {@code FlinkDynamoDBStreamsConsumer}, which has no way to talk to the JobManager;
 * the scan's readers do. Both sources run at the job's parallelism in the default slot-sharing group, so every
 * TaskManager that runs a stream subtask runs a scan reader of the same job too, and they meet here, in the JVM,
 * under a channel name the job builds once for both. The stream subtask waits for the answer before it reads past
 * the gap: until then its checkpointed positions are the trimmed ones, and a restore finds the gap again.
 */
public final class StreamGapRelay {
    /** A gap, as the stream source saw it. */
    public static final class Gap implements Serializable {
        private static final long serialVersionUID = 1L;
        public final String id;
        public final String reason;
        /** When it was found, on the TaskManager's clock. */
        public final long detectedAt;

        public Gap(String reason, long detectedAt) {
            this.id = UUID.randomUUID().toString();
            this.reason = Objects.requireNonNull(reason);
            this.detectedAt = detectedAt;
        }

        @Override
        public String toString() {
            return reason;
        }
    }

    /** A scan reader that forwards gaps to its enumerator. */
    public interface Forwarder {
        /** Called on the reporting thread: the forwarder wakes its task and sends {@link #take} gaps from there. */
        void gapWaiting();
    }

    private static final class Channel {
        final List<Forwarder> forwarders = new CopyOnWriteArrayList<>();
        final List<Gap> waitingToBeSent = new ArrayList<>();
        final Map<String, CompletableFuture<Void>> unanswered = new ConcurrentHashMap<>();
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamGapRelay.class);
    private static final long WAIT_LOG_EVERY_SECONDS = 60;
    private static final Map<String, Channel> CHANNELS = new ConcurrentHashMap<>();

    private StreamGapRelay() {}

    /**
     * Reports a gap; the future completes when the enumerator has started a run that covers it and a checkpoint
     * holds that run, or exceptionally when it refuses it ({@code gap-recovery=fail}).
     */
    public static CompletableFuture<Void> report(String channel, Gap gap) {
        Channel c = CHANNELS.computeIfAbsent(channel, k -> new Channel());
        CompletableFuture<Void> answer = new CompletableFuture<>();
        c.unanswered.put(gap.id, answer);
        synchronized (c.waitingToBeSent) {
            c.waitingToBeSent.add(gap);
        }
        for (Forwarder f : c.forwarders) {
            f.gapWaiting();
        }
        return answer;
    }

    /**
     * Reports a gap and blocks until it is covered, logging now and then while it waits; throws the refusal as a
     * {@link StreamGapException}.
     */
    public static void awaitCovered(String channel, Gap gap) throws InterruptedException {
        LOG.warn("Stream gap: {}; waiting for the table scan to cover it before reading on", gap.reason);
        CompletableFuture<Void> answer = report(channel, gap);
        long waited = 0;
        try {
            while (true) {
                try {
                    answer.get(WAIT_LOG_EVERY_SECONDS, TimeUnit.SECONDS);
                    LOG.info("Stream gap covered by a table scan run; reading on ({})", gap.reason);
                    return;
                } catch (TimeoutException e) {
                    waited += WAIT_LOG_EVERY_SECONDS;
                    LOG.warn("Still waiting after {} s for the table scan to cover a stream gap ({}). Needs a "
                            + "checkpoint to complete, and a table-scan-source subtask in this TaskManager", waited, gap.reason);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof StreamGapException) {
                        throw (StreamGapException) e.getCause();
                    }
                    throw new IllegalStateException("stream gap not covered: " + gap.reason, e.getCause());
                }
            }
        } finally {
            if (!answer.isDone()) {
                withdraw(channel, gap);
            }
        }
    }

    /** Withdraws a report whose subtask stopped waiting (cancelled, or failed). */
    public static void withdraw(String channel, Gap gap) {
        Channel c = CHANNELS.get(channel);
        if (c != null) {
            c.unanswered.remove(gap.id);
            synchronized (c.waitingToBeSent) {
                c.waitingToBeSent.remove(gap);
            }
        }
    }

    public static void attach(String channel, Forwarder forwarder) {
        Channel c = CHANNELS.computeIfAbsent(channel, k -> new Channel());
        c.forwarders.add(forwarder);
        boolean waiting;
        synchronized (c.waitingToBeSent) {
            waiting = !c.waitingToBeSent.isEmpty();
        }
        if (waiting) {
            forwarder.gapWaiting();
        }
    }

    public static void detach(String channel, Forwarder forwarder) {
        Channel c = CHANNELS.get(channel);
        if (c != null) {
            c.forwarders.remove(forwarder);
        }
    }

    /** The gaps not yet sent to an enumerator; each is handed to one forwarder only. */
    public static List<Gap> take(String channel) {
        Channel c = CHANNELS.get(channel);
        if (c == null) {
            return List.of();
        }
        synchronized (c.waitingToBeSent) {
            List<Gap> taken = new ArrayList<>(c.waitingToBeSent);
            c.waitingToBeSent.clear();
            return taken;
        }
    }

    /** The enumerator's answer: covered (null) or refused (the reason the job fails with). */
    public static void answer(String channel, String gapId, String refusal) {
        Channel c = CHANNELS.get(channel);
        CompletableFuture<Void> answer = c == null ? null : c.unanswered.remove(gapId);
        if (answer == null) {
            return;
        }
        if (refusal == null) {
            answer.complete(null);
        } else {
            answer.completeExceptionally(new StreamGapException(refusal));
        }
    }
}
