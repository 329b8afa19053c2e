package dev.ordercachesync.deadletter;

import dev.ordercachesync.aws.AwsErrors;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes dead letters to the dead-letter table in batches of up to {@link #MAX_BATCH} items, within
 * {@link #MAX_TIME_IN_BUFFER_MS} of the first one and before every checkpoint completes, so none is lost.
 *
 * <p>Items are keyed by {@link DeadLetterItems#PK}; a batch holds one item per key (the newest), since DynamoDB
 * refuses a batch that writes one key twice, which a replayed record produces. Throttling, server errors and
 * network failures are retried with backoff for up to {@link RetryPolicy#giveUpAfterMillis}, then fail the job,
 * which replays the records and writes their dead letters again; any other error (a missing table, no permission)
 * fails it at once, naming the table.
 */
final class DeadLetterTableWriter implements SinkWriter<DeadLetter> {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTableWriter.class);
    /** BatchWriteItem's limit. */
    static final int MAX_BATCH = 25;
    /** Dead letters are rare and people wait for them: write within a second rather than batch longer. */
    static final long MAX_TIME_IN_BUFFER_MS = 1000;

    /** How long to keep retrying a failing table, and how fast. */
    static final class RetryPolicy {
        static final RetryPolicy DEFAULT = new RetryPolicy(100, 10_000, 300_000);

        final long firstBackoffMillis;
        final long maxBackoffMillis;
        final long giveUpAfterMillis;

        RetryPolicy(long firstBackoffMillis, long maxBackoffMillis, long giveUpAfterMillis) {
            this.firstBackoffMillis = firstBackoffMillis;
            this.maxBackoffMillis = maxBackoffMillis;
            this.giveUpAfterMillis = giveUpAfterMillis;
        }
    }

    private final DynamoDbClient client;
    private final String table;
    private final ProcessingTimeService time;
    private final RetryPolicy retry;
    private final LinkedHashMap<String, Map<String, AttributeValue>> buffered = new LinkedHashMap<>();
    private boolean timerPending;

    DeadLetterTableWriter(DynamoDbClient client, String table, ProcessingTimeService time, RetryPolicy retry) {
        this.client = client;
        this.table = table;
        this.time = time;
        this.retry = retry;
    }

    @Override
    public void write(DeadLetter deadLetter, Context context) throws IOException, InterruptedException {
        Map<String, AttributeValue> item = DeadLetterItems.item(deadLetter);
        String key = item.get(DeadLetterItems.PK).s();
        buffered.remove(key);
        buffered.put(key, item);
        if (buffered.size() >= MAX_BATCH) {
            writeBuffered();
        } else if (!timerPending) {
            timerPending = true;
            time.registerTimer(time.getCurrentProcessingTime() + MAX_TIME_IN_BUFFER_MS, at -> {
                timerPending = false;
                writeBuffered();
            });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writeBuffered();
    }

    int buffered() {
        return buffered.size();
    }

    private void writeBuffered() throws IOException, InterruptedException {
        while (!buffered.isEmpty()) {
            List<WriteRequest> batch = new ArrayList<>(MAX_BATCH);
            Iterator<Map<String, AttributeValue>> it = buffered.values().iterator();
            while (it.hasNext() && batch.size() < MAX_BATCH) {
                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(it.next()).build()).build());
                it.remove();
            }
            writeBatch(batch);
        }
    }

    private void writeBatch(List<WriteRequest> batch) throws IOException, InterruptedException {
        long started = System.currentTimeMillis();
        long backoff = retry.firstBackoffMillis;
        int failures = 0;
        List<WriteRequest> pending = batch;
        while (true) {
            String problem;
            try {
                BatchWriteItemResponse response = client.batchWriteItem(
                        BatchWriteItemRequest.builder().requestItems(Map.of(table, pending)).build());
                List<WriteRequest> unprocessed = response.unprocessedItems().getOrDefault(table, List.of());
                if (unprocessed.isEmpty()) {
                    if (failures > 0) {
                        LOG.info("dead-letter table '{}' took the writes again after {} failed attempts", table, failures);
                    }
                    return;
                }
                pending = unprocessed;
                problem = unprocessed.size() + " of the batch's items came back unprocessed (throughput exceeded)";
            } catch (SdkException e) {
                if (!AwsErrors.retryable(e)) {
                    throw new IOException("cannot write to the dead-letter table '" + table + "': " + describe(e)
                            + ". Create it with partition key '" + DeadLetterItems.PK + "' (string) in the job's region, "
                            + "grant the job dynamodb:BatchWriteItem on it, or unset dead-letter-table", e);
                }
                problem = describe(e);
            }
            failures++;
            if (System.currentTimeMillis() - started + backoff > retry.giveUpAfterMillis) {
                throw new IOException("the dead-letter table '" + table + "' kept failing for "
                        + (System.currentTimeMillis() - started) / 1000 + " s (" + failures + " attempts, last: " + problem
                        + "); the job restarts and writes these dead letters again. Raise the table's write capacity or "
                        + "check DynamoDB's health in its region");
            }
            LOG.warn("dead-letter table '{}': {}; retrying in {} ms (attempt {})", table, problem, backoff, failures + 1);
            Thread.sleep(backoff);
            backoff = Math.min(retry.maxBackoffMillis, backoff * 2);
        }
    }

    private static String describe(SdkException e) {
        String message = e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null
                ? ((AwsServiceException) e).awsErrorDetails().errorMessage() : e.getMessage();
        return AwsErrors.code(e) + (e instanceof AwsServiceException ? " (HTTP " + ((AwsServiceException) e).statusCode() + ")" : "")
                + ": " + message;
    }

    @Override
    public void close() {
        client.close();
    }
}
