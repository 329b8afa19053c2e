package dev.ordercachesync.testsupport;

import static dev.ordercachesync.testsupport.OrderTable.n;
import static dev.ordercachesync.testsupport.OrderTable.s;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A deterministic, realistic order workload for the OrderTable: the same (orders, creators, seed) always gives the
 * same list of {@link WorkloadStep}s, so tests can write it, split it, and know exactly what the table (and so the
 * cache) must hold afterwards.
 *
 * <p>Each order is created in {@code WAITING ON CUSTOMER} with 1–3 pizzas, then gets 0–2 item edits, a status walk
 * that stops anywhere along {@code SUBMITTED → IN PROGRESS → COMPLETED} (or turns {@code REJECTED} after SUBMITTED or
 * IN PROGRESS), sometimes a creator change, and ~15% are deleted at the end. Edits and status changes are mostly
 * UpdateItem, sometimes a full PutItem. Every change sets {@code lastUpdated}, so none is a no-op that DynamoDB would
 * leave out of the stream. Some orders share their {@code createdAt} with the previous order (every 9th one with the
 * same creator too), so ordering by createdAt needs the id as tie-breaker.
 *
 * <p>Items the job must ignore are mixed in: {@code sk = "item#1"} rows under some order ids (with {@code type =
 * "order"}, so only the sort key tells them apart) and {@code type = "customer"} profiles with {@code sk = "metadata"}
 * (so only the type does); they are inserted, updated and, for one customer, deleted.
 *
 * <p>Changes of up to {@value #IN_FLIGHT} entities are interleaved at random, keeping each entity's own sequence in
 * order, so the stream has many orders in flight at any point, including at {@link #splitIndex()}: for savepoint
 * tests, {@link #runFirstHalf} writes steps {@code [0, splitIndex)} and {@link #runSecondHalf} the rest.
 */
public final class OrderWorkload {

    public static final int DEFAULT_ORDERS = 200;
    public static final int DEFAULT_CREATORS = 12;
    public static final long DEFAULT_SEED = 20261123L;

    static final int IN_FLIGHT = 16;
    static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    private static final String[] SIZES = {"small", "medium", "large", "x-large"};
    private static final String[] CRUSTS = {"thin", "regular", "deep dish", "stuffed", "gluten free"};
    private static final String[] SAUCES = {"tomato", "white", "bbq", "pesto"};
    private static final String[] TOPPINGS = {"pepperoni", "mushrooms", "onions", "sausage", "bacon",
        "extra cheese", "black olives", "green peppers", "pineapple", "spinach", "jalapenos", "ham"};

    private final int orderCount;
    private final int creatorCount;
    private final long seed;
    private final List<String> creators;
    private final List<String> orderIds = new ArrayList<>();
    private final List<WorkloadStep> steps;
    private final Map<ItemKey, Map<String, AttributeValue>> expectedTable;

    public OrderWorkload(int orders, int creators, long seed) {
        if (orders < 1 || creators < 2) {
            throw new IllegalArgumentException("Need at least 1 order and 2 creators, got " + orders + ", " + creators);
        }
        this.orderCount = orders;
        this.creatorCount = creators;
        this.seed = seed;
        Random random = new Random(seed);
        this.creators = Collections.unmodifiableList(makeCreators(random, creators));
        this.steps = Collections.unmodifiableList(interleave(random, plan(random)));
        // Replaying checks every step's precondition, so a planning mistake fails here, not in DynamoDB.
        this.expectedTable = WorkloadStep.replay(steps);
    }

    /** 200 orders, 12 creators, fixed seed. */
    public static OrderWorkload standard() {
        return new OrderWorkload(DEFAULT_ORDERS, DEFAULT_CREATORS, DEFAULT_SEED);
    }

    public int orderCount() {
        return orderCount;
    }

    public int creatorCount() {
        return creatorCount;
    }

    public long seed() {
        return seed;
    }

    /** Creators, alternately "10.0.0.N" and "customer-NN". */
    public List<String> creators() {
        return creators;
    }

    /** Ids of every order the workload creates, in creation order (including deleted ones). */
    public List<String> orderIds() {
        return Collections.unmodifiableList(orderIds);
    }

    public List<WorkloadStep> steps() {
        return steps;
    }

    /** Where the workload is cut in two: the first half is steps {@code [0, splitIndex())}. */
    public int splitIndex() {
        return steps.size() / 2;
    }

    public List<WorkloadStep> firstHalf() {
        return steps.subList(0, splitIndex());
    }

    public List<WorkloadStep> secondHalf() {
        return steps.subList(splitIndex(), steps.size());
    }

    /** Writes every step to {@code table}. */
    public Summary run(DynamoDbClient client, String table) {
        return run(client, table, 0, steps.size());
    }

    /** Writes steps {@code [0, splitIndex())} to an empty {@code table}. */
    public Summary runFirstHalf(DynamoDbClient client, String table) {
        return run(client, table, 0, splitIndex());
    }

    /** Writes steps {@code [splitIndex(), size)} to a table that has had the first half. */
    public Summary runSecondHalf(DynamoDbClient client, String table) {
        return run(client, table, splitIndex(), steps.size());
    }

    /** Writes steps {@code [from, to)}; the table must hold what steps {@code [0, from)} left. */
    public Summary run(DynamoDbClient client, String table, int from, int to) {
        WorkloadStep.applyAll(steps.subList(from, to), client, table);
        return summary(from, to);
    }

    public Summary summary() {
        return summary(0, steps.size());
    }

    /** What steps {@code [from, to)} do, assuming steps {@code [0, from)} ran before. */
    public Summary summary(int from, int to) {
        Summary summary = new Summary();
        Map<ItemKey, Map<String, AttributeValue>> table = new TreeMap<>();
        Set<ItemKey> nonOrderItems = new HashSet<>();
        for (int i = 0; i < to; i++) {
            WorkloadStep step = steps.get(i);
            Map<String, AttributeValue> before = table.get(step.key());
            Map<String, AttributeValue> after = step.after(before);
            step.applyTo(table);
            if (i < from) {
                continue;
            }
            boolean order = OrderTable.isOrder(before) || OrderTable.isOrder(after);
            summary.count(step.kind(), order);
            if (!order) {
                nonOrderItems.add(step.key());
            }
        }
        summary.nonOrderItems = nonOrderItems.size();
        return summary;
    }

    /** Every item of the table after the whole workload, by key. */
    public Map<ItemKey, Map<String, AttributeValue>> expectedTable() {
        return expectedTable;
    }

    /** Every item of the table after the first {@code stepCount} steps, by key. */
    public Map<ItemKey, Map<String, AttributeValue>> expectedTableAfter(int stepCount) {
        return WorkloadStep.replay(steps.subList(0, stepCount));
    }

    /** The orders (what the cache must hold) after the whole workload, by order id. */
    public Map<String, Map<String, AttributeValue>> expectedOrders() {
        return WorkloadStep.ordersById(expectedTable.values());
    }

    /** The orders after the first {@code stepCount} steps, by order id. */
    public Map<String, Map<String, AttributeValue>> expectedOrdersAfter(int stepCount) {
        return WorkloadStep.ordersById(expectedTableAfter(stepCount).values());
    }

    // ---------------------------------------------------------------- planning

    private static List<String> makeCreators(Random random, int count) {
        List<Integer> hosts = new ArrayList<>();
        for (int host = 2; host < 255; host++) {
            hosts.add(host);
        }
        Collections.shuffle(hosts, random);
        List<Integer> customerNumbers = new ArrayList<>();
        for (int number = 1; number < 100; number++) {
            customerNumbers.add(number);
        }
        Collections.shuffle(customerNumbers, random);
        List<String> creators = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            creators.add(i % 2 == 0
                    ? "10.0.0." + hosts.get(i / 2 % hosts.size())
                    : String.format("customer-%02d", customerNumbers.get(i / 2 % customerNumbers.size())));
        }
        return creators;
    }

    /** Per entity (order or customer profile), its own sequence of steps, in the order entities start. */
    private List<List<WorkloadStep>> plan(Random random) {
        List<List<WorkloadStep>> entities = new ArrayList<>();
        Instant createdAt = START;
        String previousCreator = null;
        for (int i = 0; i < orderCount; i++) {
            boolean sameCreatorTie = i % 9 == 4;
            boolean tie = i > 0 && (sameCreatorTie || random.nextInt(20) == 0);
            if (!tie) {
                createdAt = createdAt.plusMillis(1 + random.nextInt(4000));
            }
            String creator = tie && sameCreatorTie ? previousCreator : pickCreator(random);
            String id = uuid(random);
            orderIds.add(id);
            entities.add(planOrder(random, id, creator, createdAt, i == 1 || random.nextInt(12) == 0));
            previousCreator = creator;
        }
        boolean first = true;
        for (int c = 0; c < creators.size(); c += 3) {
            List<WorkloadStep> profile = planCustomer(random, creators.get(c), first);
            entities.add(random.nextInt(entities.size() + 1), profile);
            first = false;
        }
        return entities;
    }

    /** Skewed: low-numbered creators order more, as real customers do. */
    private String pickCreator(Random random) {
        double r = random.nextDouble();
        return creators.get((int) (r * r * creators.size()));
    }

    private List<WorkloadStep> planOrder(Random random, String id, String creator, Instant createdAt,
            boolean withLineItemRow) {
        List<WorkloadStep> ops = new ArrayList<>();
        ItemKey key = new ItemKey(id, OrderTable.SK_METADATA);
        String created = OrderTable.timestamp(createdAt);
        List<AttributeValue> items = randomItems(random);
        String status = OrderTable.STATUS_WAITING;
        String owner = creator;
        Instant clock = createdAt;

        ops.add(WorkloadStep.insert(OrderTable.order(id, owner, created, status, items, null), "create order"));
        Map<String, AttributeValue> lineItemRow = null;
        if (withLineItemRow) {
            lineItemRow = lineItemRow(random, id);
            ops.add(WorkloadStep.insert(lineItemRow, "item#1 row (not an order)"));
        }

        int edits = random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            clock = tick(random, clock);
            items = editItems(random, items);
            String lastUpdated = OrderTable.timestamp(clock);
            if (random.nextInt(4) == 0) {
                ops.add(WorkloadStep.replace(OrderTable.order(id, owner, created, status, items, lastUpdated),
                        "edit items (PutItem)"));
            } else {
                Map<String, AttributeValue> set = new LinkedHashMap<>();
                set.put(OrderTable.ITEMS, OrderTable.list(items));
                set.put(OrderTable.NUM_ITEMS, n(items.size()));
                set.put(OrderTable.LAST_UPDATED, s(lastUpdated));
                ops.add(WorkloadStep.update(key, set, "edit items"));
            }
        }
        if (withLineItemRow && random.nextBoolean()) {
            AttributeValue before = lineItemRow.get(OrderTable.ITEM_TOPPINGS);
            AttributeValue toppings;
            do {
                toppings = OrderTable.list(toppings(random));
            } while (toppings.equals(before));
            Map<String, AttributeValue> set = new LinkedHashMap<>();
            set.put(OrderTable.ITEM_TOPPINGS, toppings);
            ops.add(WorkloadStep.update(new ItemKey(id, "item#1"), set, "edit item#1 row (not an order)"));
        }

        List<String> walk = statusWalk(random);
        int creatorChangeAt = random.nextInt(12) == 0 ? random.nextInt(walk.size() + 1) : -1;
        for (int w = 0; w <= walk.size(); w++) {
            if (w == creatorChangeAt) {
                clock = tick(random, clock);
                String newOwner;
                do {
                    newOwner = creators.get(random.nextInt(creators.size()));
                } while (newOwner.equals(owner));
                owner = newOwner;
                Map<String, AttributeValue> set = new LinkedHashMap<>();
                set.put(OrderTable.CREATOR, s(owner));
                set.put(OrderTable.LAST_UPDATED, s(OrderTable.timestamp(clock)));
                ops.add(WorkloadStep.update(key, set, "change creator"));
            }
            if (w == walk.size()) {
                break;
            }
            clock = tick(random, clock);
            status = walk.get(w);
            String lastUpdated = OrderTable.timestamp(clock);
            if (random.nextInt(7) == 0) {
                ops.add(WorkloadStep.replace(OrderTable.order(id, owner, created, status, items, lastUpdated),
                        "status " + status + " (PutItem)"));
            } else {
                Map<String, AttributeValue> set = new LinkedHashMap<>();
                set.put(OrderTable.STATUS, s(status));
                set.put(OrderTable.LAST_UPDATED, s(lastUpdated));
                ops.add(WorkloadStep.update(key, set, "status " + status));
            }
        }
        if (random.nextInt(100) < 15) {
            ops.add(WorkloadStep.delete(key, "delete order"));
        }
        return ops;
    }

    /** Where the order's status stops: anywhere along the way, most orders completed. */
    private static List<String> statusWalk(Random random) {
        int r = random.nextInt(10);
        switch (r) {
            case 0:
                return Collections.emptyList();
            case 1:
                return Arrays.asList(OrderTable.STATUS_SUBMITTED);
            case 2:
                return Arrays.asList(OrderTable.STATUS_SUBMITTED, OrderTable.STATUS_IN_PROGRESS);
            case 3:
                return Arrays.asList(OrderTable.STATUS_SUBMITTED, OrderTable.STATUS_REJECTED);
            case 4:
                return Arrays.asList(OrderTable.STATUS_SUBMITTED, OrderTable.STATUS_IN_PROGRESS,
                        OrderTable.STATUS_REJECTED);
            default:
                return Arrays.asList(OrderTable.STATUS_SUBMITTED, OrderTable.STATUS_IN_PROGRESS,
                        OrderTable.STATUS_COMPLETED);
        }
    }

    private List<WorkloadStep> planCustomer(Random random, String creator, boolean alsoDelete) {
        List<WorkloadStep> ops = new ArrayList<>();
        Map<String, AttributeValue> profile = new LinkedHashMap<>();
        profile.put(OrderTable.PK, s(creator));
        profile.put(OrderTable.SK, s(OrderTable.SK_METADATA));
        profile.put(OrderTable.TYPE, s(OrderTable.TYPE_CUSTOMER));
        profile.put(OrderTable.CREATOR, s(creator));
        profile.put(OrderTable.CREATED_AT, s(OrderTable.timestamp(START.minusSeconds(86_400))));
        profile.put("loyaltyPoints", n(random.nextInt(500)));
        ops.add(WorkloadStep.insert(profile, "customer profile (not an order)"));
        ops.add(WorkloadStep.update(new ItemKey(creator, OrderTable.SK_METADATA),
                Collections.singletonMap("loyaltyPoints", n(500 + random.nextInt(500))),
                "customer loyalty points (not an order)"));
        if (alsoDelete) {
            ops.add(WorkloadStep.delete(new ItemKey(creator, OrderTable.SK_METADATA),
                    "delete customer profile (not an order)"));
        }
        return ops;
    }

    private static Map<String, AttributeValue> lineItemRow(Random random, String orderId) {
        Map<String, AttributeValue> row = new LinkedHashMap<>();
        row.put(OrderTable.PK, s(orderId));
        row.put(OrderTable.SK, s("item#1"));
        row.put(OrderTable.TYPE, s(OrderTable.TYPE_ORDER));
        row.put(OrderTable.ITEM_SIZE, s(pick(random, SIZES)));
        row.put(OrderTable.ITEM_CRUST, s(pick(random, CRUSTS)));
        row.put(OrderTable.ITEM_SAUCE, s(pick(random, SAUCES)));
        row.put(OrderTable.ITEM_TOPPINGS, OrderTable.list(toppings(random)));
        return row;
    }

    // ----------------------------------------------------------- interleaving

    private static List<WorkloadStep> interleave(Random random, List<List<WorkloadStep>> entities) {
        List<WorkloadStep> out = new ArrayList<>();
        List<Deque<WorkloadStep>> inFlight = new ArrayList<>();
        int next = 0;
        while (next < entities.size() || !inFlight.isEmpty()) {
            while (inFlight.size() < IN_FLIGHT && next < entities.size()) {
                inFlight.add(new ArrayDeque<>(entities.get(next++)));
            }
            int pick = random.nextInt(inFlight.size());
            Deque<WorkloadStep> queue = inFlight.get(pick);
            out.add(queue.removeFirst());
            if (queue.isEmpty()) {
                inFlight.remove(pick);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- values

    private static Instant tick(Random random, Instant clock) {
        return clock.plusMillis(1_000 + random.nextInt(120_000));
    }

    private static String uuid(Random random) {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    private static List<AttributeValue> randomItems(Random random) {
        int count = 1 + random.nextInt(3);
        List<AttributeValue> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(randomPizza(random));
        }
        return items;
    }

    /** Adds, removes or swaps one pizza; the list stays 1–3 long and always differs from before. */
    private static List<AttributeValue> editItems(Random random, List<AttributeValue> items) {
        List<AttributeValue> edited = new ArrayList<>(items);
        int action = random.nextInt(3);
        if (action == 0 && edited.size() < 3) {
            edited.add(randomPizza(random));
        } else if (action == 1 && edited.size() > 1) {
            edited.remove(random.nextInt(edited.size()));
        } else {
            int at = random.nextInt(edited.size());
            AttributeValue replacement;
            do {
                replacement = randomPizza(random);
            } while (replacement.equals(edited.get(at)));
            edited.set(at, replacement);
        }
        return edited;
    }

    private static AttributeValue randomPizza(Random random) {
        List<String> toppings = new ArrayList<>();
        for (AttributeValue topping : toppings(random)) {
            toppings.add(topping.s());
        }
        return OrderTable.pizza(pick(random, SIZES), pick(random, CRUSTS), pick(random, SAUCES), toppings);
    }

    /** 0–4 distinct toppings; a plain cheese pizza has an empty list. */
    private static List<AttributeValue> toppings(Random random) {
        List<String> all = new ArrayList<>(Arrays.asList(TOPPINGS));
        Collections.shuffle(all, random);
        List<AttributeValue> chosen = new ArrayList<>();
        for (String topping : all.subList(0, random.nextInt(5))) {
            chosen.add(s(topping));
        }
        return chosen;
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    // ---------------------------------------------------------------- summary

    /** What a run wrote. Every write changes its item, so each one is exactly one stream record. */
    public static final class Summary {
        private int inserts;
        private int replaces;
        private int updates;
        private int deletes;
        private int orderWrites;
        private int nonOrderWrites;
        private int nonOrderItems;
        private int ordersCreated;
        private int ordersDeleted;

        private void count(WorkloadStep.Kind kind, boolean order) {
            switch (kind) {
                case INSERT:
                    inserts++;
                    break;
                case REPLACE:
                    replaces++;
                    break;
                case UPDATE:
                    updates++;
                    break;
                case DELETE:
                    deletes++;
                    break;
                default:
                    throw new IllegalStateException("Unknown kind " + kind);
            }
            if (order) {
                orderWrites++;
                if (kind == WorkloadStep.Kind.INSERT) {
                    ordersCreated++;
                } else if (kind == WorkloadStep.Kind.DELETE) {
                    ordersDeleted++;
                }
            } else {
                nonOrderWrites++;
            }
        }

        /** PutItem calls (creating or replacing). */
        public int puts() {
            return inserts + replaces;
        }

        /** UpdateItem calls. */
        public int updates() {
            return updates;
        }

        /** DeleteItem calls. */
        public int deletes() {
            return deletes;
        }

        public int total() {
            return inserts + replaces + updates + deletes;
        }

        /** Writes to order items. */
        public int orderWrites() {
            return orderWrites;
        }

        /** Writes to items the job must ignore. */
        public int nonOrderWrites() {
            return nonOrderWrites;
        }

        /** Distinct items written that are not orders. */
        public int nonOrderItems() {
            return nonOrderItems;
        }

        public int ordersCreated() {
            return ordersCreated;
        }

        public int ordersDeleted() {
            return ordersDeleted;
        }

        /** Stream records with eventName INSERT this run produces. */
        public int expectedInsertRecords() {
            return inserts;
        }

        /** Stream records with eventName MODIFY this run produces. */
        public int expectedModifyRecords() {
            return replaces + updates;
        }

        /** Stream records with eventName REMOVE this run produces. */
        public int expectedRemoveRecords() {
            return deletes;
        }

        @Override
        public String toString() {
            return "Summary{puts=" + puts() + " (inserts=" + inserts + ", replaces=" + replaces + "), updates="
                    + updates + ", deletes=" + deletes + ", orderWrites=" + orderWrites + ", nonOrderWrites="
                    + nonOrderWrites + ", nonOrderItems=" + nonOrderItems + ", ordersCreated=" + ordersCreated
                    + ", ordersDeleted=" + ordersDeleted + "}";
        }
    }
}
