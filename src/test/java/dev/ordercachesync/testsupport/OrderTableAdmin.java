package dev.ordercachesync.testsupport;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The orders table's life on a DynamoDB endpoint (moto in tests): create, enable its stream, restore, delete. */
public final class OrderTableAdmin {
    private static final Duration TABLE_ACTIVE_TIMEOUT = Duration.ofSeconds(30);

    private final DynamoDbClient client;

    public OrderTableAdmin(DynamoDbClient client) {
        this.client = client;
    }

    /**
     * Creates the workshop's {@code OrderTable} layout under {@code name}: {@code pk} (S, HASH) + {@code sk} (S,
     * RANGE), GSI {@code type} ({@code type} HASH, {@code creator} RANGE, projection ALL), on-demand billing, with or
     * without its stream (NEW_AND_OLD_IMAGES). Waits until the table and its index are ACTIVE. Returns the
     * LatestStreamArn, or null without a stream: {@link #enableStream(String)} switches it on later, and items
     * written before are in no stream.
     */
    public String create(String name, boolean withStream) {
        client.createTable(CreateTableRequest.builder()
                .tableName(name)
                .attributeDefinitions(
                        attribute(OrderTable.PK),
                        attribute(OrderTable.SK),
                        attribute(OrderTable.TYPE),
                        attribute(OrderTable.CREATOR))
                .keySchema(key(OrderTable.PK, KeyType.HASH), key(OrderTable.SK, KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(OrderTable.TYPE_INDEX)
                        .keySchema(key(OrderTable.TYPE, KeyType.HASH), key(OrderTable.CREATOR, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                        .build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(withStream ? newAndOldImages() : StreamSpecification.builder().streamEnabled(false).build())
                .build());
        TableDescription table = awaitActive(name);
        if (!withStream) {
            return null;
        }
        if (table.latestStreamArn() == null) {
            throw new IllegalStateException("Table " + name + " is ACTIVE but has no stream ARN");
        }
        return table.latestStreamArn();
    }

    /** Enables the table's stream (view NEW_AND_OLD_IMAGES) and returns its new LatestStreamArn. */
    public String enableStream(String name) {
        client.updateTable(r -> r.tableName(name).streamSpecification(newAndOldImages()));
        String arn = awaitActive(name).latestStreamArn();
        if (arn == null) {
            throw new IllegalStateException("Table " + name + " has no stream ARN after enabling its stream");
        }
        return arn;
    }

    /** Deletes the table and waits until it is gone. */
    public void delete(String name) {
        client.deleteTable(r -> r.tableName(name));
        client.waiter().waitUntilTableNotExists(r -> r.tableName(name));
    }

    private static StreamSpecification newAndOldImages() {
        return StreamSpecification.builder().streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build();
    }

    /** Every item of {@code table}, following LastEvaluatedKey, with consistent reads. */
    public List<Map<String, AttributeValue>> scanAll(String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(table).consistentRead(true);
            if (startKey != null) {
                request.exclusiveStartKey(startKey);
            }
            ScanResponse page = client.scan(request.build());
            items.addAll(page.items());
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                    ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return Collections.unmodifiableList(items);
    }

    /**
     * Deletes the table and creates it again without a stream, holding the same items: what a restore from a
     * backup gives, a table whose items are in no stream. Returns how many items it holds.
     */
    public int recreate(String name) {
        List<Map<String, AttributeValue>> items = scanAll(name);
        delete(name);
        create(name, false);
        for (Map<String, AttributeValue> item : items) {
            client.putItem(r -> r.tableName(name).item(item));
        }
        return items.size();
    }

    private TableDescription awaitActive(String name) {
        long deadline = System.nanoTime() + TABLE_ACTIVE_TIMEOUT.toNanos();
        while (true) {
            TableDescription table = client.describeTable(r -> r.tableName(name)).table();
            if (table.tableStatus() == TableStatus.ACTIVE && indexesActive(table)) {
                return table;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Table " + name + " not ACTIVE after " + TABLE_ACTIVE_TIMEOUT
                        + ": " + table.tableStatusAsString());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted waiting for table " + name, e);
            }
        }
    }

    private static boolean indexesActive(TableDescription table) {
        for (GlobalSecondaryIndexDescription index : table.globalSecondaryIndexes()) {
            if (index.indexStatus() != IndexStatus.ACTIVE) {
                return false;
            }
        }
        return true;
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
