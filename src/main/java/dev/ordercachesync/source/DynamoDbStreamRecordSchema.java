package dev.ordercachesync.source;

import dev.ordercachesync.model.RawStreamRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;

import java.nio.charset.StandardCharsets;

/**
 * Hands each stream record on as raw JSON with its shard and sequence number. Parsing happens in
 * its own operator so that a bad record becomes a dead letter instead of failing the source.
 */
public class DynamoDbStreamRecordSchema implements KinesisDeserializationSchema<RawStreamRecord> {
    private static final long serialVersionUID = 1L;

    /** The connector's DynamoDB Streams adapter passes the record's ApproximateCreationDateTime as the arrival time. */
    @Override
    public RawStreamRecord deserialize(byte[] recordValue, String partitionKey, String seqNum,
                                       long approxArrivalTimestamp, String stream, String shardId) {
        return new RawStreamRecord(new String(recordValue, StandardCharsets.UTF_8), shardId, seqNum, approxArrivalTimestamp,
                stream);
    }

    @Override
    public TypeInformation<RawStreamRecord> getProducedType() {
        return TypeInformation.of(RawStreamRecord.class);
    }
}
