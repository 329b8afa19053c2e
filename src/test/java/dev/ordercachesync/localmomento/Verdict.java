package dev.ordercachesync.localmomento;

import io.grpc.Status;

/** What the fault plan decided for one call: answer normally, answer with an error, or never answer; possibly late. */
final class Verdict {

    private static final Verdict PROCEED_NOW = new Verdict(null, 0, false);
    private static final Verdict BLACK_HOLE = new Verdict(null, 0, true);

    private final Status failure;
    private final long delayMillis;
    private final boolean blackHole;

    private Verdict(Status failure, long delayMillis, boolean blackHole) {
        this.failure = failure;
        this.delayMillis = delayMillis;
        this.blackHole = blackHole;
    }

    static Verdict proceed(long delayMillis) {
        return delayMillis == 0 ? PROCEED_NOW : new Verdict(null, delayMillis, false);
    }

    static Verdict fail(Status failure, long delayMillis) {
        return new Verdict(failure, delayMillis, false);
    }

    static Verdict blackHole() {
        return BLACK_HOLE;
    }

    /** The status to answer with instead of serving the call, or null to serve it. */
    Status failure() {
        return failure;
    }

    long delayMillis() {
        return delayMillis;
    }

    boolean isBlackHole() {
        return blackHole;
    }
}
