package dev.ordercachesync.deadletter;

import dev.ordercachesync.config.JobParameters;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.aws.config.AWSConfigConstants;
import org.apache.flink.connector.dynamodb.sink.DynamoDbSink;

import java.util.Collections;
import java.util.Properties;

/**
 * Builds the sink of the optional dead-letter table: Flink's DynamoDB sink, reaching DynamoDB with the
 * same region, endpoint and credentials as the stream source.
 */
public final class DeadLetterTableSink {
    /** Dead letters are rare and people wait for them: flush within a second rather than batch. */
    static final long MAX_TIME_IN_BUFFER_MS = 1000;

    private DeadLetterTableSink() {}

    public static Sink<DeadLetter> create(JobParameters p) {
        if (p.deadLetterTable == null) {
            throw new IllegalArgumentException(JobParameters.DEAD_LETTER_TABLE + " is not set");
        }
        return DynamoDbSink.<DeadLetter>builder()
                .setTableName(p.deadLetterTable)
                .setElementConverter(new DeadLetterItems())
                .setDynamoDbProperties(clientProperties(p))
                // One batch may not hold two writes of one key, which a replayed record can produce.
                .setOverwriteByPartitionKeys(Collections.singletonList(DeadLetterItems.PK))
                // Throttling and other retryable errors are retried; a missing table or bad credentials fail the job.
                .setFailOnError(false)
                .setMaxTimeInBufferMS(MAX_TIME_IN_BUFFER_MS)
                .build();
    }

    static Properties clientProperties(JobParameters p) {
        Properties props = new Properties();
        props.setProperty(AWSConfigConstants.AWS_REGION, p.awsRegion);
        if (p.awsEndpoint != null) {
            props.setProperty(AWSConfigConstants.AWS_ENDPOINT, p.awsEndpoint);
        }
        if (p.awsLocalDummyCredentials) {
            props.setProperty(AWSConfigConstants.AWS_CREDENTIALS_PROVIDER, AWSConfigConstants.CredentialProvider.BASIC.name());
            props.setProperty(AWSConfigConstants.AWS_ACCESS_KEY_ID, JobParameters.LOCAL_DUMMY_ACCESS_KEY);
            props.setProperty(AWSConfigConstants.AWS_SECRET_ACCESS_KEY, JobParameters.LOCAL_DUMMY_SECRET_KEY);
        } else {
            props.setProperty(AWSConfigConstants.AWS_CREDENTIALS_PROVIDER, AWSConfigConstants.CredentialProvider.AUTO.name());
        }
        return props;
    }
}
