package dev.ordercachesync.e2e;

import dev.ordercachesync.testsupport.EmbeddedDynamoDb;
import dev.ordercachesync.testsupport.LocalStack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * moto with the workshop's OrderTable, as a process of its own for the local-cluster end-to-end script:
 * {@code --ready-file PATH}. Writes {@code endpoint=} and {@code stream-arn=} to the file once the table is
 * ACTIVE, then serves until it is terminated; moto, its child, ends with it.
 */
public final class OrderTableProcess {
    private OrderTableProcess() {}

    public static void main(String[] args) throws Exception {
        String readyFile = ReadyFile.arg(args, "ready-file");
        EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(ddb::close, "order-table-shutdown"));
        String streamArn = ddb.createOrderTable(LocalStack.TABLE);
        Map<String, String> ready = new LinkedHashMap<>();
        ready.put("endpoint", ddb.endpoint().toString());
        ready.put("stream-arn", streamArn);
        ReadyFile.write(readyFile, ready);
        System.out.println("moto listening on " + ddb.endpoint() + ", table " + LocalStack.TABLE + ", stream " + streamArn);
        Thread.currentThread().join();
    }
}
