package dev.ordercachesync.views;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ordercachesync.model.MomentoMetering;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderItem;

import java.io.IOException;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
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

    /**
     * Longest key the job writes, in UTF-8 bytes. Momento documents no key limit of its own: its 5 MB item
     * limit counts key and value together (docs.momentohq.com/cache/manage/limits). 1 KiB is DynamoDB's limit
     * for the creator as the sort key of the table's {@code type} index, so no creator of the workshop table
     * is longer, and anything longer in a stream record is a mistake or an attack.
     */
    public static final int MAX_KEY_BYTES = 1024;
    /** Momento's item limit, "5 MB", read as the smaller 5,000,000 bytes; includes the key. */
    public static final int MOMENTO_MAX_ITEM_BYTES = 5_000_000;
    /** Default bound on a rendered value: far under Momento's item limit. */
    public static final int DEFAULT_MAX_VALUE_BYTES = 1_048_576;

    /**
     * Newest {@code createdAt} instant first, ties broken by id, so every render of a list is identical. The job,
     * verify and the tests all order lists by this one comparator. A {@code createdAt} that does not parse (only
     * state written before the parser checked it can hold one) sorts after every instant, by its text.
     */
    public static final Comparator<OrderSummary> LIST_ORDER = (a, b) -> Ranked.ORDER.compare(
            new Ranked(a, createdAtInstant(a.createdAt)), new Ranked(b, createdAtInstant(b.createdAt)));

    /** Bound of {@link #listRank}'s millisecond range, far beyond any real timestamp (about 146 million years). */
    private static final long RANK_MILLIS_BOUND = 1L << 62;

    private static final JsonFactory JSON = new JsonFactory();

    private final String adminPrefix;
    private final String allOrdersKey;
    private final int maxValueBytes;

    public CacheContract(String adminPrefix, String allOrdersKey) {
        this(adminPrefix, allOrdersKey, DEFAULT_MAX_VALUE_BYTES);
    }

    public CacheContract(String adminPrefix, String allOrdersKey, int maxValueBytes) {
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
        if (maxValueBytes < 1 || maxValueBytes > MOMENTO_MAX_ITEM_BYTES - MAX_KEY_BYTES) {
            throw new IllegalArgumentException("max value bytes " + maxValueBytes + " must be from 1 to "
                    + (MOMENTO_MAX_ITEM_BYTES - MAX_KEY_BYTES));
        }
        this.adminPrefix = adminPrefix;
        this.allOrdersKey = allOrdersKey;
        this.maxValueBytes = maxValueBytes;
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

    /** Why a creator's list key would be longer than {@link #MAX_KEY_BYTES}, or null when it is short enough. */
    public String creatorTooLongReason(String creator) {
        int bytes = utf8Length(creatorListKey(creator));
        return bytes <= MAX_KEY_BYTES ? null
                : "creator '" + abbreviate(creator) + "' is " + bytes + " bytes as a cache key, over the " + MAX_KEY_BYTES + " allowed";
    }

    /** Why an order's admin key (its longest) would be longer than {@link #MAX_KEY_BYTES}, or null. */
    public String orderIdTooLongReason(String orderId) {
        int bytes = utf8Length(adminDetailKey(orderId));
        return bytes <= MAX_KEY_BYTES ? null
                : "order id '" + abbreviate(orderId) + "' makes the admin key " + bytes + " bytes long, over the " + MAX_KEY_BYTES + " allowed";
    }

    /**
     * Whether a creator may have a list view at all. The sequencer checks it again for creators read from old
     * images, which the parser reads leniently.
     */
    public boolean hasListView(String creator) {
        return creator != null && !creator.isBlank()
                && reservedCreatorReason(creator) == null && creatorTooLongReason(creator) == null;
    }

    /** Largest rendered value written, in UTF-8 bytes; larger ones are deleted instead (see the sequencer and lists). */
    public int maxValueBytes() {
        return maxValueBytes;
    }

    /** Whether a rendered value may be written: at most {@link #maxValueBytes()} in UTF-8. */
    public boolean fits(String value) {
        // Each char is at most 3 UTF-8 bytes: skip the count for the common small value.
        return value.length() * 3L <= maxValueBytes || utf8Length(value) <= maxValueBytes;
    }

    /** Length in UTF-8 bytes, as the Momento SDK encodes string keys and values. */
    public static int utf8Length(String s) {
        return MomentoMetering.utf8Length(s);
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
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

    // ---- list order ----

    /**
     * The instant of a {@code createdAt}, as the parser accepts it ({@link DateTimeFormatter#ISO_DATE_TIME}: any
     * precision, an offset or a zone id); a value without offset or zone is read as UTC. Null when it does not parse.
     */
    public static Instant createdAtInstant(String createdAt) {
        if (createdAt == null) {
            return null;
        }
        try {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(createdAt, ZonedDateTime::from, LocalDateTime::from);
            return t instanceof ZonedDateTime ? ((ZonedDateTime) t).toInstant() : ((LocalDateTime) t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * A non-negative number that orders summaries like {@link #LIST_ORDER} but coarser: a smaller rank is a newer
     * {@code createdAt}, equal ranks (the same millisecond, or no instant) need {@link #LIST_ORDER} to break them.
     * Non-negative longs serialize big-endian in Flink, so state sorted by serialized bytes is sorted by rank.
     */
    public static long listRank(String createdAt) {
        Instant instant = createdAtInstant(createdAt);
        if (instant == null) {
            return Long.MAX_VALUE;
        }
        long seconds = Math.max(-RANK_MILLIS_BOUND / 1000, Math.min(RANK_MILLIS_BOUND / 1000, instant.getEpochSecond()));
        long millis = Math.max(-RANK_MILLIS_BOUND, Math.min(RANK_MILLIS_BOUND - 1, seconds * 1000 + instant.getNano() / 1_000_000));
        return (RANK_MILLIS_BOUND - 1) - millis;
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
        List<OrderSummary> sorted = newestFirst(summaries);
        return renderSorted(sorted.size() > maxEntries ? sorted.subList(0, maxEntries) : sorted);
    }

    /** A list view of summaries already in {@link #LIST_ORDER}, all shown. */
    public String renderSorted(List<OrderSummary> shown) {
        return render(g -> {
            g.writeStartArray();
            for (OrderSummary s : shown) {
                writeSummary(g, s);
            }
            g.writeEndArray();
        });
    }

    /** The summaries in {@link #LIST_ORDER}, each {@code createdAt} parsed once rather than per comparison. */
    public static List<OrderSummary> newestFirst(Collection<OrderSummary> summaries) {
        List<Ranked> ranked = new ArrayList<>(summaries.size());
        for (OrderSummary s : summaries) {
            ranked.add(new Ranked(s, createdAtInstant(s.createdAt)));
        }
        ranked.sort(Ranked.ORDER);
        List<OrderSummary> sorted = new ArrayList<>(ranked.size());
        for (Ranked r : ranked) {
            sorted.add(r.summary);
        }
        return sorted;
    }

    /** A summary with its parsed instant; the same order as {@link #LIST_ORDER}. */
    private static final class Ranked {
        static final Comparator<Ranked> ORDER = (a, b) -> {
            int byInstant;
            if (a.instant != null && b.instant != null) {
                byInstant = b.instant.compareTo(a.instant);
            } else if (a.instant != null || b.instant != null) {
                byInstant = a.instant != null ? -1 : 1;
            } else {
                byInstant = Comparator.nullsLast(Comparator.<String>naturalOrder()).compare(a.summary.createdAt, b.summary.createdAt);
            }
            return byInstant != 0 ? byInstant : a.summary.id.compareTo(b.summary.id);
        };

        final OrderSummary summary;
        final Instant instant;

        Ranked(OrderSummary summary, Instant instant) {
            this.summary = summary;
            this.instant = instant;
        }
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
        return adminPrefix.equals(that.adminPrefix) && allOrdersKey.equals(that.allOrdersKey)
                && maxValueBytes == that.maxValueBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(adminPrefix, allOrdersKey, maxValueBytes);
    }
}
