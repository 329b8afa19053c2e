package dev.ordercachesync.localmomento;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every RPC through the fault plan and answers it now, later, or never.
 *
 * <p>The handler (which reads or writes the store) runs at the moment the answer is sent, not when the request
 * arrived: a delayed write lands late, so a client that sends a second write to the same key before the first
 * was answered can see the two applied in reverse order, as it could against a real, distributed server.
 * A delayed write is applied even if the client has given up waiting for it, for the same reason.
 *
 * <p>Delays are served from a scheduler instead of sleeping on the gRPC executor, so slow calls overlap.
 */
final class CallDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(CallDispatcher.class);

    /** Serves one call against the store; a StatusException becomes the call's error status. */
    interface Handler<T> {
        T handle() throws StatusException;
    }

    private final FaultPlan faults;
    private final OperationStats stats;
    private final ScheduledExecutorService scheduler;

    CallDispatcher(FaultPlan faults, OperationStats stats, ScheduledExecutorService scheduler) {
        this.faults = faults;
        this.stats = stats;
        this.scheduler = scheduler;
    }

    /** A call the quota does not meter (the control plane). */
    <T> void dispatch(String rpc, StreamObserver<T> observer, Handler<T> handler) {
        dispatch(rpc, 0, observer, handler);
    }

    /** @param meteredOperations the call's cost against the quota */
    <T> void dispatch(String rpc, long meteredOperations, StreamObserver<T> observer, Handler<T> handler) {
        stats.recordCall(rpc);
        Verdict verdict = faults.decide(rpc, meteredOperations);
        if (verdict.isOverQuota()) {
            stats.recordOverQuota();
        } else if (meteredOperations > 0 && verdict.failure() == null && !verdict.isBlackHole()) {
            stats.recordAdmitted(meteredOperations);
        }
        if (verdict.isBlackHole()) {
            // Not answering leaves the call open until the client's deadline or cancellation ends it.
            LOG.debug("black-holing a {} call", rpc);
            return;
        }
        if (verdict.delayMillis() == 0) {
            answer(rpc, observer, verdict.failure(), handler);
            return;
        }
        try {
            scheduler.schedule(
                    () -> answer(rpc, observer, verdict.failure(), handler), verdict.delayMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            sendError(rpc, observer, Status.UNAVAILABLE.withDescription("loopback server is shutting down").asException());
        }
    }

    private <T> void answer(String rpc, StreamObserver<T> observer, Status injected, Handler<T> handler) {
        if (injected != null) {
            LOG.debug("injecting {} into a {} call", injected.getCode(), rpc);
            sendError(rpc, observer, injected.asException());
            return;
        }
        T response;
        try {
            response = handler.handle();
        } catch (StatusException refused) {
            sendError(rpc, observer, refused);
            return;
        } catch (RuntimeException bug) {
            LOG.error("loopback {} handler failed", rpc, bug);
            sendError(rpc, observer, Status.INTERNAL.withDescription("loopback server error").withCause(bug).asException());
            return;
        }
        try {
            observer.onNext(response);
            observer.onCompleted();
        } catch (RuntimeException clientGone) {
            // The effect has happened; only the answer is lost, as with a real server when the client hangs up.
            LOG.debug("could not answer a {} call: {}", rpc, clientGone.toString());
        }
    }

    private static void sendError(String rpc, StreamObserver<?> observer, StatusException error) {
        try {
            observer.onError(error);
        } catch (RuntimeException clientGone) {
            LOG.debug("could not send {} to a {} call: {}", error.getStatus().getCode(), rpc, clientGone.toString());
        }
    }
}
