package dev.ordercachesync.localmomento;

/**
 * Data-plane calls (get, set, delete) counted against the quota: those served, with their metered operations, and
 * those the quota refused with RESOURCE_EXHAUSTED. Calls failed by another injected fault are in neither.
 */
public final class QuotaStats {
    public final long callsAdmitted;
    public final long operationsAdmitted;
    public final long callsRefused;

    QuotaStats(long callsAdmitted, long operationsAdmitted, long callsRefused) {
        this.callsAdmitted = callsAdmitted;
        this.operationsAdmitted = operationsAdmitted;
        this.callsRefused = callsRefused;
    }

    /** Refused calls per served call; 0 before any call. */
    public double refusedPerAdmitted() {
        return callsAdmitted == 0 ? 0 : (double) callsRefused / callsAdmitted;
    }

    @Override
    public String toString() {
        return callsAdmitted + " calls admitted (" + operationsAdmitted + " metered operations), " + callsRefused + " refused for the quota";
    }
}
