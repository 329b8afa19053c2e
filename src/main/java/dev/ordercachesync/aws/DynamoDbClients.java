package dev.ordercachesync.aws;

import dev.ordercachesync.config.JobParameters;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClientBuilder;

import java.net.URI;

/**
 * The one way the job and its tools build a DynamoDB client: the table scan, the stream lookup and position check,
 * the dead-letter table and {@code verify} all reach DynamoDB with the same region, endpoint and credentials.
 */
public final class DynamoDbClients {
    private DynamoDbClients() {}

    /** A client for the job's region, endpoint and credentials; the caller closes it. */
    public static DynamoDbClient forJob(JobParameters p) {
        return create(p.awsRegion, p.awsEndpoint, p.awsLocalDummyCredentials);
    }

    /**
     * @param region   the region, or null for the SDK's region chain (us-east-1 when an endpoint is given)
     * @param endpoint an endpoint such as an emulator's, or null for the region's
     * @param localDummyCredentials fixed dummy credentials for an emulator instead of the default chain
     */
    public static DynamoDbClient create(String region, String endpoint, boolean localDummyCredentials) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder();
        configure(builder, region, endpoint, localDummyCredentials);
        return builder.build();
    }

    /** A DynamoDB Streams client for the job's region, endpoint and credentials; the caller closes it. */
    public static DynamoDbStreamsClient streamsForJob(JobParameters p) {
        DynamoDbStreamsClientBuilder builder = DynamoDbStreamsClient.builder();
        configure(builder, p.awsRegion, p.awsEndpoint, p.awsLocalDummyCredentials);
        return builder.build();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> void configure(
            B builder, String region, String endpoint, boolean localDummyCredentials) {
        AwsCredentialsProvider credentials = localDummyCredentials
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        JobParameters.LOCAL_DUMMY_ACCESS_KEY, JobParameters.LOCAL_DUMMY_SECRET_KEY))
                : DefaultCredentialsProvider.builder().build();
        // Named, because the SDK refuses to choose when several HTTP clients are on the classpath.
        builder.httpClientBuilder(ApacheHttpClient.builder());
        builder.credentialsProvider(credentials);
        if (region != null) {
            builder.region(Region.of(region));
        } else if (endpoint != null) {
            builder.region(Region.US_EAST_1);
        }
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
    }
}
