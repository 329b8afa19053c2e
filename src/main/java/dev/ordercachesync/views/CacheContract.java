package dev.ordercachesync.views;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderItem;

import java.io.IOException;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The cache contract in one place: every key the job writes and the exact JSON of every value.
 *
 * <p>Values match what the workshop's read APIs compute on a cache miss, so a hit and a miss give
 * the same answer. Field order follows the workshop's object literals.
 */
public final class CacheContract implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_ADMIN_PREFIX = "ADMIN-";
    public static final String DEFAULT_ALL_ORDERS_KEY = "all-orders";
    public static final String COMPLETED = "COMPLETED";

    /** Newest {@code createdAt} first; ties broken by id so every render of a list is identical. */
    public static final Comparator<OrderSummary> LIST_ORDER =
            Comparator.comparing((OrderSummary s) -> s.createdAt, Comparator.nullsLast(Comparator.reverseOrder()))
                    .thenComparing(s -> s.id);

    private static final JsonFactory JSON = new JsonFactory();

    private final String adminPrefix;
    private final String allOrdersKey;

    public CacheContract(String adminPrefix, String allOrdersKey) {
        if (adminPrefix == null || adminPrefix.isEmpty()) {
            throw new IllegalArgumentException("admin key prefix must not be empty: admin views would overwrite user views");
        }
        if (allOrdersKey == null || allOrdersKey.isEmpty()) {
            throw new IllegalArgumentException("all-orders key must not be empty");
        }
        if (allOrdersKey.startsWith(adminPrefix)) {
            throw new IllegalArgumentException("all-orders key '" + allOrdersKey
                    + "' must not start with the admin key prefix '" + adminPrefix + "'");
        }
        this.adminPrefix = adminPrefix;
        this.allOrdersKey = allOrdersKey;
    }

    public static CacheContract defaults() {
        return new CacheContract(DEFAULT_ADMIN_PREFIX, DEFAULT_ALL_ORDERS_KEY);
    }

    // ---- keys ----

    public String detailKey(String orderId) {
        return orderId;
    }

    public String adminDetailKey(String orderId) {
        return adminPrefix + orderId;
    }

    public String allOrdersKey() {
        return allOrdersKey;
    }

    public String creatorListKey(String creator) {
        return creator;
    }

    public String adminPrefix() {
        return adminPrefix;
    }

    /**
     * Why a creator would collide with the job's own keys, or null when it is safe. A creator named
     * like the all-orders key or with the admin prefix would overwrite another view.
     */
    public String reservedCreatorReason(String creator) {
        if (creator.equals(allOrdersKey)) {
            return "creator '" + creator + "' equals the all-orders list key";
        }
        if (creator.startsWith(adminPrefix)) {
            return "creator '" + creator + "' starts with the admin key prefix '" + adminPrefix + "'";
        }
        return null;
    }

    /** Why an order id would collide with the job's own keys, or null when it is safe. */
    public String reservedOrderIdReason(String orderId) {
        if (orderId.equals(allOrdersKey)) {
            return "order id '" + orderId + "' equals the all-orders list key";
        }
        if (orderId.startsWith(adminPrefix)) {
            return "order id '" + orderId + "' starts with the admin key prefix '" + adminPrefix + "'";
        }
        return null;
    }

    /** Whether an order with this status is listed in all-orders. */
    public static boolean listedInAllOrders(String status) {
        return !COMPLETED.equals(status);
    }

    // ---- values ----

    public static OrderSummary summaryOf(Order order) {
        return new OrderSummary(order.id, order.createdAt, order.status, order.numItems, order.lastUpdated);
    }

    /** {@code <id>}: {@code {id, createdAt, status, numItems, items, lastUpdated?}}. */
    public String renderDetail(Order order) {
        return render(g -> writeDetail(g, order, false));
    }

    /** {@code ADMIN-<id>}: the detail plus {@code creator}. */
    public String renderAdminDetail(Order order) {
        return render(g -> writeDetail(g, order, true));
    }

    /** A list view: summaries, newest first, at most {@code maxEntries}. */
    public String renderList(Collection<OrderSummary> summaries, int maxEntries) {
        List<OrderSummary> sorted = new ArrayList<>(summaries);
        sorted.sort(LIST_ORDER);
        List<OrderSummary> shown = sorted.size() > maxEntries ? sorted.subList(0, maxEntries) : sorted;
        return render(g -> {
            g.writeStartArray();
            for (OrderSummary s : shown) {
                writeSummary(g, s);
            }
            g.writeEndArray();
        });
    }

    /**
     * Every key and value the contract demands for a set of orders (e.g. a scan of the table).
     * Used to check a cache, never to write one.
     */
    public Map<String, String> expectedCache(Collection<Order> orders, int maxListEntries) {
        Map<String, String> expected = new TreeMap<>();
        List<OrderSummary> open = new ArrayList<>();
        Map<String, List<OrderSummary>> byCreator = new TreeMap<>();
        for (Order order : orders) {
            expected.put(detailKey(order.id), renderDetail(order));
            expected.put(adminDetailKey(order.id), renderAdminDetail(order));
            OrderSummary summary = summaryOf(order);
            if (listedInAllOrders(order.status)) {
                open.add(summary);
            }
            byCreator.computeIfAbsent(order.creator, c -> new ArrayList<>()).add(summary);
        }
        for (Map.Entry<String, List<OrderSummary>> e : byCreator.entrySet()) {
            expected.put(creatorListKey(e.getKey()), renderList(e.getValue(), maxListEntries));
        }
        expected.put(allOrdersKey, renderList(open, maxListEntries));
        return expected;
    }

    private static void writeDetail(JsonGenerator g, Order order, boolean withCreator) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", order.id);
        g.writeStringField("createdAt", order.createdAt);
        g.writeStringField("status", order.status);
        g.writeNumberField("numItems", order.numItems);
        g.writeArrayFieldStart("items");
        if (order.items != null) {
            for (OrderItem item : order.items) {
                writeItem(g, item);
            }
        }
        g.writeEndArray();
        if (order.lastUpdated != null) {
            g.writeStringField("lastUpdated", order.lastUpdated);
        }
        if (withCreator) {
            g.writeStringField("creator", order.creator);
        }
        g.writeEndObject();
    }

    private static void writeItem(JsonGenerator g, OrderItem item) throws IOException {
        g.writeStartObject();
        writeOptional(g, "size", item.size);
        writeOptional(g, "crust", item.crust);
        writeOptional(g, "sauce", item.sauce);
        if (item.toppings != null) {
            g.writeArrayFieldStart("toppings");
            for (String topping : item.toppings) {
                g.writeString(topping);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void writeSummary(JsonGenerator g, OrderSummary s) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", s.id);
        g.writeStringField("createdAt", s.createdAt);
        g.writeStringField("status", s.status);
        g.writeNumberField("numItems", s.numItems);
        if (s.lastUpdated != null) {
            g.writeStringField("lastUpdated", s.lastUpdated);
        }
        g.writeEndObject();
    }

    private static void writeOptional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private interface JsonWriting {
        void write(JsonGenerator g) throws IOException;
    }

    private static String render(JsonWriting writing) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writing.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("rendering a cache value failed", e);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CacheContract)) return false;
        CacheContract that = (CacheContract) o;
        return adminPrefix.equals(that.adminPrefix) && allOrdersKey.equals(that.allOrdersKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(adminPrefix, allOrdersKey);
    }
}
