package dev.ordercachesync.source;

import dev.ordercachesync.config.JobParameters;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.net.URI;

/** The orders table as the job reaches it: a DynamoDB client, and the table's current stream. */
public final class TableStreams {
    private TableStreams() {}

    /** A client for the table's region, endpoint and credentials; the caller closes it. */
    public static DynamoDbClient client(JobParameters p) {
        AwsCredentialsProvider credentials = p.awsLocalDummyCredentials
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        JobParameters.LOCAL_DUMMY_ACCESS_KEY, JobParameters.LOCAL_DUMMY_SECRET_KEY))
                : DefaultCredentialsProvider.builder().build();
        // Named, because the SDK refuses to choose when several HTTP clients are on the classpath.
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder())
                .region(Region.of(p.awsRegion));
        if (p.awsEndpoint != null) {
            builder.endpointOverride(URI.create(p.awsEndpoint));
        }
        return builder.build();
    }

    public static TableDescription describe(DynamoDbClient client, String table) {
        return client.describeTable(r -> r.tableName(table)).table();
    }

    /**
     * The table's current stream ARN.
     *
     * @throws IllegalStateException naming the table and what to do, when its stream is off or lacks the images
     */
    public static String currentStreamArn(TableDescription table) {
        StreamSpecification spec = table.streamSpecification();
        if (table.latestStreamArn() == null || spec == null || !Boolean.TRUE.equals(spec.streamEnabled())) {
            throw new IllegalStateException("table '" + table.tableName() + "' has no enabled stream; enable one with "
                    + "view type NEW_AND_OLD_IMAGES (aws dynamodb update-table --table-name " + table.tableName()
                    + " --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES)");
        }
        if (spec.streamViewType() != StreamViewType.NEW_AND_OLD_IMAGES) {
            throw new IllegalStateException("the stream of table '" + table.tableName() + "' has view type "
                    + spec.streamViewTypeAsString() + "; the job needs NEW_AND_OLD_IMAGES (disable the stream and "
                    + "enable it again with that view type)");
        }
        return table.latestStreamArn();
    }
}
