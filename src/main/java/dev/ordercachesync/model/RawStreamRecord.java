package dev.ordercachesync.model;

/** A stream record as the source hands it over, before parsing. A Flink POJO. */
public class RawStreamRecord {
    /** The DynamoDB Streams record as JSON (eventName, dynamodb.Keys/NewImage/OldImage, ...). */
    public String json;
    public String shardId;
    /** The sequence number the source reports; the record's own dynamodb.SequenceNumber is preferred. */
    public String sequenceNumber;
    /** The record's dynamodb.ApproximateCreationDateTime in epoch milliseconds; 0 when the source does not say. */
    public long approximateCreationMillis;
    /** The stream ARN the source read it from; null when not known (records fed by tests). */
    public String streamArn;

    public RawStreamRecord() {}

    public RawStreamRecord(String json, String shardId, String sequenceNumber, long approximateCreationMillis,
                           String streamArn) {
        this(json, shardId, sequenceNumber, approximateCreationMillis);
        this.streamArn = streamArn;
    }

    public RawStreamRecord(String json, String shardId, String sequenceNumber) {
        this(json, shardId, sequenceNumber, 0L);
    }

    public RawStreamRecord(String json, String shardId, String sequenceNumber, long approximateCreationMillis) {
        this.json = json;
        this.shardId = shardId;
        this.sequenceNumber = sequenceNumber;
        this.approximateCreationMillis = approximateCreationMillis;
    }
}
