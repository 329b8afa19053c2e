package dev.ordercachesync.source;

import dev.ordercachesync.deadletter.RejectReason;

/** A stream record that can never be applied; carries the reason code and the order id if known. */
public class InvalidStreamRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final RejectReason reason;
    private final String orderId;

    public InvalidStreamRecordException(RejectReason reason, String orderId, String message) {
        super(message);
        this.reason = reason;
        this.orderId = orderId;
    }

    public RejectReason reason() {
        return reason;
    }

    /** Null when the record was too broken to name its order. */
    public String orderId() {
        return orderId;
    }
}
