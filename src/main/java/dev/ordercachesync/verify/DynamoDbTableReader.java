package dev.ordercachesync.verify;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scans the table in parallel segments, page by page, holding the read capacity it consumes to a
 * rate so that a check of a live table leaves the table's capacity to its applications.
 */
final class DynamoDbTableReader implements TableReader {
    /** Capacity one page is charged up front, before DynamoDB says what it cost. */
    private static final double UNITS_CHARGED_PER_PAGE_UNREPORTED = 1.0;

    private final DynamoDbClient client;
    private final String table;
    private final int segments;
    private final int pageSize;
    private final boolean consistentRead;
    private final RateLimiter readUnits;

    DynamoDbTableReader(DynamoDbClient client, String table, int segments, int pageSize, boolean consistentRead,
                        double readUnitsPerSecond) {
        this.client = client;
        this.table = table;
        this.segments = segments;
        this.pageSize = pageSize;
        this.consistentRead = consistentRead;
        this.readUnits = new RateLimiter(readUnitsPerSecond);
    }

    @Override
    public Scan scan() throws InterruptedException {
        long start = System.nanoTime();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(segments, r -> {
            Thread t = new Thread(r, "verify-scan-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<SegmentResult>> futures = new ArrayList<>();
            for (int segment = 0; segment < segments; segment++) {
                int s = segment;
                futures.add(pool.submit(() -> scanSegment(s)));
            }
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            long pages = 0;
            double units = 0;
            boolean unitsReported = false;
            for (Future<SegmentResult> f : futures) {
                SegmentResult r;
                try {
                    r = f.get();
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                }
                items.addAll(r.items);
                pages += r.pages;
                units += r.units;
                unitsReported |= r.unitsReported;
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Scan(Collections.unmodifiableList(items), segments, pages, unitsReported ? units : -1, millis);
        } finally {
            pool.shutdownNow();
        }
    }

    private SegmentResult scanSegment(int segment) throws InterruptedException {
        SegmentResult result = new SegmentResult();
        Map<String, AttributeValue> startKey = null;
        do {
            readUnits.acquire(UNITS_CHARGED_PER_PAGE_UNREPORTED);
            ScanRequest.Builder request = ScanRequest.builder()
                    .tableName(table)
                    .segment(segment)
                    .totalSegments(segments)
                    .limit(pageSize)
                    .consistentRead(consistentRead)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
            if (startKey != null) {
                request.exclusiveStartKey(startKey);
            }
            ScanResponse page = client.scan(request.build());
            result.items.addAll(page.items());
            result.pages++;
            ConsumedCapacity consumed = page.consumedCapacity();
            if (consumed != null && consumed.capacityUnits() != null) {
                result.units += consumed.capacityUnits();
                result.unitsReported = true;
                readUnits.acquire(consumed.capacityUnits() - UNITS_CHARGED_PER_PAGE_UNREPORTED);
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return result;
    }

    @Override
    public Map<String, AttributeValue> orderItem(String orderId) throws InterruptedException {
        readUnits.acquire(UNITS_CHARGED_PER_PAGE_UNREPORTED);
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put("pk", AttributeValue.builder().s(orderId).build());
        key.put("sk", AttributeValue.builder().s("metadata").build());
        GetItemResponse response = client.getItem(r -> r.tableName(table).key(key).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
    }

    private static RuntimeException rethrow(Throwable cause) throws InterruptedException {
        if (cause instanceof InterruptedException) {
            throw (InterruptedException) cause;
        }
        if (cause instanceof RuntimeException) {
            return (RuntimeException) cause;
        }
        return new IllegalStateException(cause);
    }

    private static final class SegmentResult {
        final List<Map<String, AttributeValue>> items = new ArrayList<>();
        long pages;
        double units;
        boolean unitsReported;
    }
}
