package dev.ordercachesync.aws;

import org.apache.flink.kinesis.shaded.com.amazonaws.services.securitytoken.internal.STSProfileCredentialsService;

/**
 * Keeps in the shaded jar the class the stream consumer's AWS SDK v1 (shaded inside flink-connector-kinesis) loads by
 * name to use web identity credentials: IRSA on EKS, where the default credential chain finds AWS_ROLE_ARN and
 * AWS_WEB_IDENTITY_TOKEN_FILE. minimizeJar cannot see a class loaded by name and dropped it, so the chain skipped web
 * identity ("the aws-java-sdk-sts module must be on the class path") and the stream was read with the node's role, or
 * not at all. This class literal makes it, and everything it uses, reachable; JobJarCheck checks it is there.
 */
final class StreamsConsumerWebIdentity {
    static final Class<?> LOADED_BY_NAME = STSProfileCredentialsService.class;

    private StreamsConsumerWebIdentity() {}
}
