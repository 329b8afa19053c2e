package dev.ordercachesync.deadletter;

import dev.ordercachesync.aws.DynamoDbClients;
import dev.ordercachesync.config.JobParameters;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The sink of the optional dead-letter table, writing with the same DynamoDB client, region, endpoint and
 * credentials as the table scan. Dead letters are rare, so a synchronous client is enough, and the job jar needs no
 * asynchronous HTTP stack for them.
 */
public final class DeadLetterTableSink implements Sink<DeadLetter> {
    private static final long serialVersionUID = 1L;

    private final JobParameters params;

    private DeadLetterTableSink(JobParameters params) {
        this.params = params;
    }

    public static DeadLetterTableSink create(JobParameters p) {
        if (p.deadLetterTable == null) {
            throw new IllegalArgumentException(JobParameters.DEAD_LETTER_TABLE + " is not set");
        }
        return new DeadLetterTableSink(p);
    }

    @Override
    public SinkWriter<DeadLetter> createWriter(WriterInitContext context) {
        return writer(context.getProcessingTimeService());
    }

    @Override
    @Deprecated
    public SinkWriter<DeadLetter> createWriter(InitContext context) {
        return writer(context.getProcessingTimeService());
    }

    private SinkWriter<DeadLetter> writer(ProcessingTimeService time) {
        return new DeadLetterTableWriter(DynamoDbClients.forJob(params), params.deadLetterTable, time,
                DeadLetterTableWriter.RetryPolicy.DEFAULT);
    }
}
