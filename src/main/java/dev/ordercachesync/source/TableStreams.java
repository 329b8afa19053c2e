package dev.ordercachesync.source;

import dev.ordercachesync.aws.DynamoDbClients;
import dev.ordercachesync.config.JobParameters;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** The orders table's current stream, as DescribeTable gives it. */
public final class TableStreams {
    private TableStreams() {}

    /** The current stream of the job's table, with a client of its own; for callers that hold none. */
    public static String currentStreamArn(JobParameters p) {
        try (DynamoDbClient client = DynamoDbClients.forJob(p)) {
            return currentStreamArn(describe(client, p.tableName));
        }
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
