package dev.ordercachesync.deadletter;

/** Why a stream record cannot be applied. Each reason has its own counter and dead-letter code. */
public enum RejectReason {
    UNPARSEABLE_RECORD("the record is not a DynamoDB Streams record in JSON"),
    UNKNOWN_EVENT_KIND("eventName is not INSERT, MODIFY or REMOVE"),
    MISSING_ORDER_ID("the key attribute pk is missing or blank"),
    MISSING_SEQUENCE_NUMBER("dynamodb.SequenceNumber is missing or not a decimal number"),
    MISSING_IMAGE("the record lacks the image its event needs (is the stream view NEW_AND_OLD_IMAGES?)"),
    MISSING_ATTRIBUTE("a required order attribute is missing"),
    WRONG_ATTRIBUTE_TYPE("an order attribute has the wrong DynamoDB type or format"),
    MISSING_CREATOR("the order has no creator"),
    RESERVED_CREATOR("the creator collides with a key the job owns"),
    RESERVED_ORDER_ID("the order id collides with a key the job owns"),
    CREATOR_TOO_LONG("the creator is too long to be a cache key"),
    ORDER_ID_TOO_LONG("the order id is too long to be a cache key"),
    VALUE_TOO_LARGE("a rendered view is over max-value-bytes, so its key was deleted instead of written");

    private final String description;

    RejectReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
