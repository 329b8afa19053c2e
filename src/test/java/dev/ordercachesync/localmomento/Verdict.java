package dev.ordercachesync.localmomento;

import io.grpc.Status;

/** What the fault plan decided for one call: answer normally, answer with an error, or never answer; possibly late. */
final class Verdict {

    private static final Verdict PROCEED_NOW = new Verdict(null, 0, false, false);
    private static final Verdict BLACK_HOLE = new Verdict(null, 0, true, false);

    private final Status failure;
    private final long delayMillis;
    private final boolean blackHole;
    private final boolean overQuota;

    private Verdict(Status failure, long delayMillis, boolean blackHole, boolean overQuota) {
        this.failure = failure;
        this.delayMillis = delayMillis;
        this.blackHole = blackHole;
        this.overQuota = overQuota;
    }

    static Verdict proceed(long delayMillis) {
        return delayMillis == 0 ? PROCEED_NOW : new Verdict(null, delayMillis, false, false);
    }

    static Verdict fail(Status failure, long delayMillis) {
        return new Verdict(failure, delayMillis, false, false);
    }

    /** Refused by the metered quota, as opposed to an injected failure. */
    static Verdict throttled(Status failure, long delayMillis) {
        return new Verdict(failure, delayMillis, false, true);
    }

    static Verdict blackHole() {
        return BLACK_HOLE;
    }

    boolean isOverQuota() {
        return overQuota;
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
