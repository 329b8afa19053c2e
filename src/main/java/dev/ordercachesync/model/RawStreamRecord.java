package dev.ordercachesync.model;

/** A stream record as the source hands it over, before parsing. A Flink POJO. */
public class RawStreamRecord {
    /** The DynamoDB Streams record as JSON (eventName, dynamodb.Keys/NewImage/OldImage, ...). */
    public String json;
    public String shardId;
    /** The sequence number the source reports; the record's own dynamodb.SequenceNumber is preferred. */
    public String sequenceNumber;
    /** The stream ARN the source read it from; null when not known (records fed by tests). */
    public String streamArn;

    public RawStreamRecord() {}

    public RawStreamRecord(String json, String shardId, String sequenceNumber, String streamArn) {
        this(json, shardId, sequenceNumber);
        this.streamArn = streamArn;
    }

    public RawStreamRecord(String json, String shardId, String sequenceNumber) {
        this.json = json;
        this.shardId = shardId;
        this.sequenceNumber = sequenceNumber;
    }
}
