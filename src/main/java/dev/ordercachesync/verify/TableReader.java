package dev.ordercachesync.verify;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

/** Read-only access to the orders table: one full scan, and single order items for re-checks. */
interface TableReader {
    /** Every item of the table. */
    Scan scan() throws InterruptedException;

    /** The item {@code pk = orderId, sk = "metadata"}, read consistently; null when absent. */
    Map<String, AttributeValue> orderItem(String orderId) throws InterruptedException;

    /** What a scan returned and what it cost. */
    final class Scan {
        final List<Map<String, AttributeValue>> items;
        final int segments;
        final long pages;
        /** Read capacity units DynamoDB reported as consumed; negative when it reported none. */
        final double consumedReadUnits;
        final long millis;

        Scan(List<Map<String, AttributeValue>> items, int segments, long pages, double consumedReadUnits, long millis) {
            this.items = items;
            this.segments = segments;
            this.pages = pages;
            this.consumedReadUnits = consumedReadUnits;
            this.millis = millis;
        }
    }
}
