package dev.ordercachesync.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** What the job reads from an AWS SDK failure: its error code for messages, and whether waiting can cure it. */
public final class AwsErrors {
    private AwsErrors() {}

    /** The service's error code (ResourceNotFoundException, ...), or the exception's class when there is none. */
    public static String code(SdkException e) {
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            if (service.awsErrorDetails() != null && service.awsErrorDetails().errorCode() != null) {
                return service.awsErrorDetails().errorCode();
            }
        }
        return e.getClass().getSimpleName();
    }

    /** Throttling, server-side failures and network trouble pass with time; a wrong name, key or permission does not. */
    public static boolean retryable(SdkException e) {
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return e instanceof SdkClientException;
    }
}
