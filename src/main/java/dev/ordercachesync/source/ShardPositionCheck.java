package dev.ordercachesync.source;

import dev.ordercachesync.aws.AwsErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Asks DynamoDB Streams whether a shard position (restored, or a running reader's) can still be read. The connector's streams adapter cannot
 * be asked: on a trimmed position it silently starts the shard at its trim horizon, and it takes a shard that is gone
 * for a finished one, so the records in between would be lost without a trace.
 */
final class ShardPositionCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ShardPositionCheck.class);

    private ShardPositionCheck() {}

    /** Why the records after {@code sequenceNumber} can no longer be read, or null when they can (or cannot tell). */
    static String gapAfter(DynamoDbStreamsClient streams, String streamArn, String shardId, String sequenceNumber) {
        try {
            streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(sequenceNumber));
            return null;
        } catch (TrimmedDataAccessException e) {
            return "shard " + shardId + " of " + streamArn + " no longer holds the records after sequence number "
                    + sequenceNumber + ", the job's position: they are past the stream's 24 h retention (trimmed)";
        } catch (ResourceNotFoundException e) {
            return "shard " + shardId + " of " + streamArn + ", which the job had not read to its end (its position is "
                    + "sequence number " + sequenceNumber + "), is gone: it is past the stream's 24 h retention";
        } catch (SdkException e) {
            // Not a verdict: the connector reads the shard as before and retries what fails.
            LOG.warn("Could not check the position after sequence number {} on shard {} of {} ({}); reading on",
                    sequenceNumber, shardId, streamArn, AwsErrors.code(e));
            return null;
        }
    }
}
