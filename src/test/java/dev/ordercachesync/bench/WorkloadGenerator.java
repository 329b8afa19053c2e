package dev.ordercachesync.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordercachesync.model.ChangeKind;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderItem;
import dev.ordercachesync.model.RawStreamRecord;
import dev.ordercachesync.source.StreamRecordJson;
import dev.ordercachesync.testsupport.OrderTable;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Builds the benchmark's recordings from one seeded random source, so every run replays the same records.
 *
 * <p>Orders live as in the pizza tracker: created WAITING ON CUSTOMER with 1–3 pizzas, 0–2 item edits, a status
 * walk that mostly ends COMPLETED (sometimes REJECTED or unfinished), now and then a creator change, and 15% are
 * deleted. Creators are skewed (a few regulars order most). Every change moves {@code lastUpdated} forward, so
 * each version of an order renders to a distinct value and can be recognised in the cache.
 *
 * <p>Waves are bursty: most are small, every tenth is a rush. A wave holds at most one change per order (a
 * person does not change an order twice within a wave interval), so an order's changes are spread over waves.
 */
final class WorkloadGenerator {
    static final Instant START = Instant.parse("2026-11-23T17:00:00Z");
    /** DynamoDB sequence numbers are long decimal strings; the job compares them as big integers. */
    private static final BigInteger SEQUENCE_BASE = new BigInteger("49000000000000000000000");
    /** A small table's stream has a few shards; a record's shard is fixed by its key, as in DynamoDB. */
    static final int SHARDS = 4;

    private static final String[] SIZES = {"small", "medium", "large", "x-large"};
    private static final String[] CRUSTS = {"thin", "regular", "deep dish", "stuffed", "gluten free"};
    private static final String[] SAUCES = {"tomato", "white", "bbq", "pesto"};
    private static final String[] TOPPINGS = {"pepperoni", "mushrooms", "onions", "sausage", "bacon",
        "extra cheese", "black olives", "green peppers", "pineapple", "spinach", "jalapenos", "ham"};

    private final Random random;
    private final List<String> creators;
    private long sequence;
    private Instant createdClock = START;
    private Instant changeClock = START;

    WorkloadGenerator(long seed, int creatorCount) {
        this.random = new Random(seed);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < creatorCount; i++) {
            names.add(i % 2 == 0 ? "10.0." + (i / 512) + "." + (i / 2 % 256) : String.format("customer-%04d", i));
        }
        this.creators = Collections.unmodifiableList(names);
    }

    static String shardOf(String orderId) {
        return "shardId-" + String.format("%020d", Math.floorMod(orderId.hashCode(), SHARDS));
    }

    static int shardNumber(String shardId) {
        return Integer.parseInt(shardId.substring("shardId-".length()));
    }

    // ------------------------------------------------------------------ recordings

    /** The main workload: {@code orders} orders living through bursty waves. */
    Recording lifecycles(String name, int orders) {
        List<Deque<Step>> plans = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            plans.add(lifecyclePlan());
        }
        return new Recording(name, emitInWaves(plans, 40, 200, 1500, 2500));
    }

    /** {@code count} orders created SUBMITTED, so they stay in every list: the live orders a scale step adds. */
    Recording preload(String name, int count) {
        return preload(name, count, OrderTable.STATUS_SUBMITTED);
    }

    /** {@code count} new orders in one status (REJECTED ones stay in all-orders for good). */
    Recording preload(String name, int count, String status) {
        List<Deque<Step>> plans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Deque<Step> plan = new ArrayDeque<>();
            plan.add(Step.insert(status));
            plans.add(plan);
        }
        return new Recording(name, emitInWaves(plans, 1000, 1000, 1000, 1000));
    }

    /**
     * About {@code changes} changes of new orders that each go WAITING → SUBMITTED → IN PROGRESS → COMPLETED, a
     * fifth then deleted: the same shape whatever the number of live orders around them.
     */
    Recording cohort(String name, int changes) {
        List<Deque<Step>> plans = new ArrayList<>();
        int planned = 0;
        while (planned < changes) {
            Deque<Step> plan = new ArrayDeque<>();
            plan.add(Step.insert(OrderTable.STATUS_WAITING));
            plan.add(Step.status(OrderTable.STATUS_SUBMITTED));
            plan.add(Step.status(OrderTable.STATUS_IN_PROGRESS));
            plan.add(Step.status(OrderTable.STATUS_COMPLETED));
            if (random.nextInt(5) == 0) {
                plan.add(Step.remove());
            }
            planned += plan.size();
            plans.add(plan);
        }
        return new Recording(name, emitInWaves(plans, 40, 200, 1500, 2500));
    }

    // ------------------------------------------------------------------ plans

    private Deque<Step> lifecyclePlan() {
        Deque<Step> plan = new ArrayDeque<>();
        plan.add(Step.insert(OrderTable.STATUS_WAITING));
        int edits = random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            plan.add(Step.editItems());
        }
        List<String> walk = statusWalk();
        int creatorChangeAt = random.nextInt(12) == 0 ? random.nextInt(walk.size() + 1) : -1;
        for (int w = 0; w <= walk.size(); w++) {
            if (w == creatorChangeAt) {
                plan.add(Step.changeCreator());
            }
            if (w < walk.size()) {
                plan.add(Step.status(walk.get(w)));
            }
        }
        if (random.nextInt(100) < 15) {
            plan.add(Step.remove());
        }
        return plan;
    }

    private List<String> statusWalk() {
        switch (random.nextInt(10)) {
            case 0:
                return Collections.emptyList();
            case 1:
                return Arrays.asList(OrderTable.STATUS_SUBMITTED);
            case 2:
                return Arrays.asList(OrderTable.STATUS_SUBMITTED, OrderTable.STATUS_IN_PROGRESS);
            case 3:
                return Arrays.asList(OrderTable.STATUS_SUBMITTED, OrderTable.STATUS_REJECTED);
            default:
                return Arrays.asList(OrderTable.STATUS_SUBMITTED, OrderTable.STATUS_IN_PROGRESS,
                        OrderTable.STATUS_COMPLETED);
        }
    }

    /**
     * Plays the plans out in waves: small waves of {@code [smallMin, smallMax]} changes, every tenth a rush of
     * {@code [rushMin, rushMax]}. About a fifth of each wave are new orders, the rest next steps of orders under way.
     */
    private List<Change> emitInWaves(List<Deque<Step>> plans, int smallMin, int smallMax, int rushMin, int rushMax) {
        Deque<Deque<Step>> waiting = new ArrayDeque<>(plans);
        List<LiveOrder> underWay = new ArrayList<>();
        List<Change> out = new ArrayList<>();
        int wave = 0;
        while (!waiting.isEmpty() || !underWay.isEmpty()) {
            int size = wave % 10 == 9 ? between(rushMin, rushMax) : between(smallMin, smallMax);
            int fresh = Math.min(waiting.size(), Math.max(1, size / 5));
            if (underWay.size() < size - fresh) {
                fresh = Math.min(waiting.size(), size - underWay.size());
            }
            Collections.shuffle(underWay, random);
            int going = Math.min(underWay.size(), size - fresh);
            List<LiveOrder> stepping = new ArrayList<>(underWay.subList(0, going));
            for (int i = 0; i < fresh; i++) {
                LiveOrder order = new LiveOrder(newOrderId(), waiting.removeFirst());
                underWay.add(order);
                stepping.add(order);
            }
            for (LiveOrder order : stepping) {
                out.add(apply(order, out.size(), wave));
                if (order.plan.isEmpty()) {
                    underWay.remove(order);
                }
            }
            wave++;
        }
        return out;
    }

    private Change apply(LiveOrder live, int index, int wave) {
        Step step = live.plan.removeFirst();
        Order before = live.current;
        String seq = SEQUENCE_BASE.add(BigInteger.valueOf(++sequence)).toString();
        changeClock = changeClock.plusMillis(1 + random.nextInt(50));
        String shard = shardOf(live.id);
        if (step.kind == StepKind.REMOVE) {
            live.current = null;
            RawStreamRecord r = StreamRecordJson.remove(seq, image(before));
            return new Change(index, wave, withShard(r, shard), live.id, ChangeKind.REMOVE, before, null);
        }
        Order after;
        if (step.kind == StepKind.INSERT) {
            createdClock = createdClock.plusMillis(random.nextInt(20) == 0 ? 0 : 1 + random.nextInt(1500));
            after = new Order(live.id, pickCreator(), OrderTable.timestamp(createdClock), step.status, 0,
                    randomItems(), null);
        } else {
            after = copy(before);
            after.lastUpdated = OrderTable.timestamp(changeClock);
            switch (step.kind) {
                case EDIT_ITEMS:
                    after.items = randomItems();
                    break;
                case STATUS:
                    after.status = step.status;
                    break;
                case CHANGE_CREATOR:
                    String creator;
                    do {
                        creator = creators.get(random.nextInt(creators.size()));
                    } while (creator.equals(before.creator));
                    after.creator = creator;
                    break;
                default:
                    throw new IllegalStateException(step.kind.name());
            }
        }
        after.numItems = after.items.length;
        live.current = after;
        RawStreamRecord r = before == null
                ? StreamRecordJson.insert(seq, image(after))
                : StreamRecordJson.modify(seq, image(after), image(before));
        return new Change(index, wave, withShard(r, shard), live.id,
                before == null ? ChangeKind.INSERT : ChangeKind.MODIFY, before, after);
    }

    private static RawStreamRecord withShard(RawStreamRecord r, String shard) {
        return new RawStreamRecord(r.json, shard, r.sequenceNumber);
    }

    private static ObjectNode image(Order o) {
        ObjectNode[] pizzas = new ObjectNode[o.items.length];
        for (int i = 0; i < pizzas.length; i++) {
            OrderItem item = o.items[i];
            pizzas[i] = StreamRecordJson.pizza(item.size, item.crust, item.sauce, item.toppings);
        }
        ObjectNode image = StreamRecordJson.order(o.id, o.creator, o.createdAt, o.status, o.lastUpdated, pizzas);
        return image;
    }

    private static Order copy(Order o) {
        return new Order(o.id, o.creator, o.createdAt, o.status, o.numItems, o.items, o.lastUpdated);
    }

    /** Skewed: low-numbered creators order more, as regulars do. */
    private String pickCreator() {
        double r = random.nextDouble();
        return creators.get((int) (r * r * creators.size()));
    }

    private OrderItem[] randomItems() {
        OrderItem[] items = new OrderItem[1 + random.nextInt(3)];
        for (int i = 0; i < items.length; i++) {
            String[] toppings = new String[random.nextInt(4)];
            for (int t = 0; t < toppings.length; t++) {
                toppings[t] = TOPPINGS[random.nextInt(TOPPINGS.length)];
            }
            items[i] = new OrderItem(SIZES[random.nextInt(SIZES.length)], CRUSTS[random.nextInt(CRUSTS.length)],
                    SAUCES[random.nextInt(SAUCES.length)], toppings);
        }
        return items;
    }

    private String newOrderId() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    private enum StepKind { INSERT, EDIT_ITEMS, STATUS, CHANGE_CREATOR, REMOVE }

    private static final class Step {
        final StepKind kind;
        final String status;

        private Step(StepKind kind, String status) {
            this.kind = kind;
            this.status = status;
        }

        static Step insert(String status) {
            return new Step(StepKind.INSERT, status);
        }

        static Step editItems() {
            return new Step(StepKind.EDIT_ITEMS, null);
        }

        static Step status(String status) {
            return new Step(StepKind.STATUS, status);
        }

        static Step changeCreator() {
            return new Step(StepKind.CHANGE_CREATOR, null);
        }

        static Step remove() {
            return new Step(StepKind.REMOVE, null);
        }
    }

    private static final class LiveOrder {
        final String id;
        final Deque<Step> plan;
        Order current;

        LiveOrder(String id, Deque<Step> plan) {
            this.id = id;
            this.plan = plan;
        }
    }
}
