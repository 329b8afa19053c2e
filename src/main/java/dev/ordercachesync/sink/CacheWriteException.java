package dev.ordercachesync.sink;

/** A cache write that failed; says whether trying again can help. Never carries a value or a secret. */
public class CacheWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The SDK's code for Momento's RESOURCE_EXHAUSTED: the namespace's quota refused the call. */
    public static final String THROTTLED = "LIMIT_EXCEEDED_ERROR";

    private final String errorCode;
    private final boolean retryable;

    public CacheWriteException(String errorCode, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.retryable = retryable;
    }

    public String errorCode() {
        return errorCode;
    }

    public boolean isRetryable() {
        return retryable;
    }

    /** Refused for the quota: the same call succeeds once the sink slows down, so it is not a failure. */
    public boolean isThrottled() {
        return THROTTLED.equals(errorCode);
    }
}
