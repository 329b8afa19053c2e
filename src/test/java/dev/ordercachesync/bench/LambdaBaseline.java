package dev.ordercachesync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordercachesync.model.ChangeKind;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderChange;
import dev.ordercachesync.model.RawStreamRecord;
import dev.ordercachesync.source.InvalidStreamRecordException;
import dev.ordercachesync.source.StreamRecordParser;
import dev.ordercachesync.views.CacheContract;
import dev.ordercachesync.views.OrderSummary;
import momento.sdk.CacheClient;
import momento.sdk.responses.cache.DeleteResponse;
import momento.sdk.responses.cache.GetResponse;
import momento.sdk.responses.cache.SetResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the workshop Lambda does per stream record, with the real Momento SDK: one record at a time, each call
 * awaited before the next — set the detail, set the admin detail, then get, edit and set {@code all-orders} and
 * the creator's list. Its list bugs are fixed so that its cache can be compared with the contract: a MODIFY
 * replaces the order's entry instead of adding a duplicate, COMPLETED leaves all-orders, REMOVE edits the right
 * list, a creator change leaves the old creator's list, and lists are kept in the contract's order and cap.
 * Unlike the Lambda it does not swallow errors: the benchmark must not report a write that failed.
 */
final class LambdaBaseline implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CacheClient client;
    private final String cache;
    private final CacheContract contract;
    private final StreamRecordParser parser;
    private final int maxListEntries;
    private final Duration ttl;
    private long bytesRead;
    private long meteredReads;
    private long records;

    LambdaBaseline(CacheClient client, String cache, CacheContract contract, int maxListEntries, Duration ttl) {
        this.client = client;
        this.cache = cache;
        this.contract = contract;
        this.parser = new StreamRecordParser(contract);
        this.maxListEntries = maxListEntries;
        this.ttl = ttl;
    }

    /** Metered operations of its reads: per started KiB of each hit, one per miss. */
    long meteredReads() {
        return meteredReads;
    }

    long bytesRead() {
        return bytesRead;
    }

    long recordsHandled() {
        return records;
    }

    /** The Lambda's handler for one record (BatchSize 1). */
    void handle(RawStreamRecord record) {
        OrderChange change;
        try {
            change = parser.parse(record);
        } catch (InvalidStreamRecordException e) {
            throw new IllegalStateException("the recording holds a record the job would dead-letter: " + e.getMessage(), e);
        }
        if (change == null) {
            throw new IllegalStateException("the recording holds a record that is not an order: " + record.json);
        }
        if (change.kind == ChangeKind.REMOVE) {
            Order old = change.oldImage;
            delete(contract.detailKey(change.orderId));
            delete(contract.adminDetailKey(change.orderId));
            updateList(contract.allOrdersKey(), change.orderId, null);
            updateList(contract.creatorListKey(old.creator), change.orderId, null);
        } else {
            Order order = change.newImage;
            set(contract.detailKey(order.id), contract.renderDetail(order));
            set(contract.adminDetailKey(order.id), contract.renderAdminDetail(order));
            OrderSummary summary = CacheContract.summaryOf(order);
            updateList(contract.allOrdersKey(), order.id,
                    CacheContract.listedInAllOrders(order.status) ? summary : null);
            updateList(contract.creatorListKey(order.creator), order.id, summary);
            if (change.oldImage != null && change.oldImage.creator != null
                    && !change.oldImage.creator.equals(order.creator)) {
                updateList(contract.creatorListKey(change.oldImage.creator), order.id, null);
            }
        }
        records++;
    }

    /** The Lambda's updateArrayCacheItem/deleteArrayCacheItem: read the whole list, edit it, write it back. */
    private void updateList(String key, String orderId, OrderSummary summary) {
        List<OrderSummary> list = readList(key);
        list.removeIf(s -> s.id.equals(orderId));
        if (summary != null) {
            list.add(summary);
        }
        if (list.isEmpty() && !key.equals(contract.allOrdersKey())) {
            delete(key);
        } else {
            set(key, contract.renderList(list, maxListEntries));
        }
    }

    private List<OrderSummary> readList(String key) {
        GetResponse response = client.get(cache, key).join();
        List<OrderSummary> list = new ArrayList<>();
        if (response instanceof GetResponse.Miss) {
            meteredReads++;
            return list;
        }
        if (!(response instanceof GetResponse.Hit)) {
            throw new IllegalStateException("get " + key + " failed: " + response);
        }
        String value = ((GetResponse.Hit) response).valueString();
        bytesRead += key.length() + value.length();
        meteredReads += WriteLog.meteredOperations(CacheContract.utf8Length(key) + CacheContract.utf8Length(value));
        try {
            for (JsonNode n : JSON.readTree(value)) {
                list.add(new OrderSummary(n.path("id").asText(), n.path("createdAt").asText(),
                        n.path("status").asText(), n.path("numItems").asLong(),
                        n.hasNonNull("lastUpdated") ? n.get("lastUpdated").asText() : null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list " + key + " is not JSON", e);
        }
        return list;
    }

    private void set(String key, String value) {
        SetResponse response = client.set(cache, key, value, ttl).join();
        if (!(response instanceof SetResponse.Success)) {
            throw new IllegalStateException("set " + key + " failed: " + response);
        }
    }

    private void delete(String key) {
        DeleteResponse response = client.delete(cache, key).join();
        if (!(response instanceof DeleteResponse.Success)) {
            throw new IllegalStateException("delete " + key + " failed: " + response);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
