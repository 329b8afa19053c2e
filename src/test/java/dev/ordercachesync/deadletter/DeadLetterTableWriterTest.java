package dev.ordercachesync.deadletter;

import dev.ordercachesync.aws.AwsErrors;
import dev.ordercachesync.aws.DynamoDbClients;
import dev.ordercachesync.testsupport.EmbeddedDynamoDb;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dead-letter table's writer against moto: what reaches the table, when, and how a bad table fails the job. */
class DeadLetterTableWriterTest {
    private static EmbeddedDynamoDb dynamoDb;

    @BeforeAll
    static void start() {
        dynamoDb = EmbeddedDynamoDb.start();
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
    }

    @Test
    void aCheckpointWritesEveryBufferedLetterAndAReplayedOneOverwritesItsItem() throws Exception {
        String table = createTable("letters-checkpoint");
        TestProcessingTimeService time = new TestProcessingTimeService();
        try (DeadLetterTableWriter writer = writer(table, time)) {
            // More than one batch, and the same stream position twice within it: DynamoDB refuses such a batch.
            for (int i = 0; i < 30; i++) {
                writer.write(letter("o-" + i, Integer.toString(i), "first"), null);
            }
            writer.write(letter("o-29", "29", "replayed"), null);
            writer.flush(false);
            assertThat(writer.buffered()).isZero();
        }
        Map<String, String> messages = messagesByKey(table);
        assertThat(messages).hasSize(30);
        assertThat(messages.get("shard-1#29")).isEqualTo("replayed");
        assertThat(messages.get("shard-1#0")).isEqualTo("first");
    }

    @Test
    void aLoneLetterIsWrittenWithinASecondWithoutWaitingForACheckpoint() throws Exception {
        String table = createTable("letters-timer");
        TestProcessingTimeService time = new TestProcessingTimeService();
        time.setCurrentTime(1_000);
        try (DeadLetterTableWriter writer = writer(table, time)) {
            writer.write(letter("o-1", "1", "alone"), null);
            assertThat(messagesByKey(table)).isEmpty();
            time.setCurrentTime(1_000 + DeadLetterTableWriter.MAX_TIME_IN_BUFFER_MS - 1);
            assertThat(messagesByKey(table)).isEmpty();
            time.setCurrentTime(1_000 + DeadLetterTableWriter.MAX_TIME_IN_BUFFER_MS);
            assertThat(messagesByKey(table)).containsExactly(Map.entry("shard-1#1", "alone"));
            assertThat(writer.buffered()).isZero();
        }
    }

    @Test
    void aMissingTableFailsAtOnceNamingTheTableAndWhatToDo() throws Exception {
        TestProcessingTimeService time = new TestProcessingTimeService();
        try (DeadLetterTableWriter writer = writer("no-such-letters", time)) {
            writer.write(letter("o-1", "1", "lost?"), null);
            assertThatThrownBy(() -> writer.flush(false))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot write to the dead-letter table 'no-such-letters'")
                    .hasMessageContaining("ResourceNotFoundException")
                    .hasMessageContaining("partition key 'pk'")
                    .hasMessageContaining("unset dead-letter-table");
        }
    }

    @Test
    void anUnreachableTableIsRetriedThenFailsTheJobSoTheRecordsAreReplayed() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        DynamoDbClient unreachable = DynamoDbClients.create("us-east-1", "http://127.0.0.1:" + closedPort, true);
        DeadLetterTableWriter.RetryPolicy quick = new DeadLetterTableWriter.RetryPolicy(20, 40, 300);
        try (DeadLetterTableWriter writer = new DeadLetterTableWriter(unreachable, "letters", new TestProcessingTimeService(), quick)) {
            writer.write(letter("o-1", "1", "later"), null);
            assertThatThrownBy(() -> writer.flush(false))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("the dead-letter table 'letters' kept failing")
                    .hasMessageContaining("the job restarts and writes these dead letters again");
        }
    }

    @Test
    void throttlingServerErrorsAndNetworkTroubleAreRetriedButAWrongTableIsNot() {
        assertThat(AwsErrors.retryable(ProvisionedThroughputExceededException.builder()
                .statusCode(400).awsErrorDetails(error("ProvisionedThroughputExceededException")).build())).isTrue();
        assertThat(AwsErrors.retryable(DynamoDbException.builder()
                .statusCode(500).awsErrorDetails(error("InternalServerError")).build())).isTrue();
        assertThat(AwsErrors.retryable(SdkClientException.create("connection reset"))).isTrue();
        assertThat(AwsErrors.retryable(ResourceNotFoundException.builder()
                .statusCode(400).awsErrorDetails(error("ResourceNotFoundException")).build())).isFalse();
        assertThat(AwsErrors.retryable(DynamoDbException.builder()
                .statusCode(400).awsErrorDetails(error("AccessDeniedException")).build())).isFalse();
    }

    private static AwsErrorDetails error(String code) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(code).build();
    }

    private static DeadLetterTableWriter writer(String table, TestProcessingTimeService time) {
        DynamoDbClient client = DynamoDbClients.create(EmbeddedDynamoDb.REGION.id(), dynamoDb.endpoint().toString(), true);
        return new DeadLetterTableWriter(client, table, time, DeadLetterTableWriter.RetryPolicy.DEFAULT);
    }

    private static DeadLetter letter(String orderId, String sequence, String message) {
        return DeadLetter.of(RejectReason.WRONG_ATTRIBUTE_TYPE, message, orderId, "shard-1", sequence, 1_764_000_000_000L, "{}");
    }

    private static String createTable(String name) {
        dynamoDb.client().createTable(r -> r.tableName(name)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(DeadLetterItems.PK)
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(DeadLetterItems.PK).keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        return name;
    }

    private static Map<String, String> messagesByKey(String table) {
        Map<String, String> messages = new TreeMap<>();
        List<Map<String, AttributeValue>> items = dynamoDb.scanAll(table);
        for (Map<String, AttributeValue> item : items) {
            messages.put(item.get(DeadLetterItems.PK).s(), item.get(DeadLetterItems.MESSAGE).s());
        }
        return messages;
    }
}
