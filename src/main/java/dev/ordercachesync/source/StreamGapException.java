package dev.ordercachesync.source;

/** The stream no longer covers the job's positions, and the job was told not to recover by itself. */
public class StreamGapException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StreamGapException(String message) {
        super(message);
    }
}
