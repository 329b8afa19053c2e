package dev.ordercachesync.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

class EmbeddedDynamoDbTest {

    private static EmbeddedDynamoDb ddb;

    @BeforeAll
    static void startDynamoDbLocal() {
        ddb = EmbeddedDynamoDb.start();
    }

    @AfterAll
    static void stopDynamoDbLocal() {
        if (ddb != null) {
            ddb.close();
        }
    }

    @Test
    void createsTheWorkshopTableWithStreamAndTypeIndex() {
        String streamArn = ddb.createOrderTable("OrderTableLayout");

        assertThat(ddb.endpoint().toString()).isEqualTo("http://127.0.0.1:" + ddb.port());
        assertThat(streamArn).startsWith("arn:aws:dynamodb:ddblocal:").contains(":table/OrderTableLayout/stream/");
        TableDescription table = ddb.client().describeTable(r -> r.tableName("OrderTableLayout")).table();
        assertThat(table.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(table.globalSecondaryIndexes()).singleElement().satisfies(index -> {
            assertThat(index.indexName()).isEqualTo(OrderTable.TYPE_INDEX);
            assertThat(index.keySchema()).extracting(k -> k.attributeName())
                    .containsExactly(OrderTable.TYPE, OrderTable.CREATOR);
        });
        assertThat(ddb.scanAll("OrderTableLayout")).isEmpty();
    }
}
