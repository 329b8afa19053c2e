package dev.ordercachesync.local;

import dev.ordercachesync.testsupport.ItemKey;
import dev.ordercachesync.testsupport.OrderTable;
import dev.ordercachesync.testsupport.WorkloadStep;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Traffic shaped like the workshop's load generator, at a steady rate of table writes: each simulated
 * customer (its own creator) creates 1–3 orders, edits their items while they wait on the customer,
 * submits them, and the shop walks each through IN PROGRESS to COMPLETED or REJECTED; some orders
 * are cancelled while waiting or deleted at the end. Many customers are active at once; a finished
 * one is replaced by a new one.
 */
final class DemoTraffic implements AutoCloseable {
    private static final String[] SIZES = {"small", "medium", "large", "x-large"};
    private static final String[] CRUSTS = {"thin", "regular", "deep dish", "stuffed", "gluten free"};
    private static final String[] SAUCES = {"tomato", "white", "bbq", "pesto"};
    private static final String[] TOPPINGS = {"pepperoni", "mushrooms", "onions", "sausage", "bacon",
        "extra cheese", "black olives", "green peppers", "pineapple", "spinach", "jalapenos", "ham"};

    private final DynamoDbClient client;
    private final String table;
    private final double writesPerSecond;
    private final Random random;
    private final LinkedBlockingQueue<Customer> ready = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private long nextWriteAtNanos;

    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong customers = new AtomicLong();
    private final AtomicLong ordersCreated = new AtomicLong();
    private final AtomicLong ordersDeleted = new AtomicLong();
    private final AtomicLong itemEdits = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final List<String> deletedIds = new ArrayList<>();
    private final List<String> creators = new ArrayList<>();
    /** When each write returned, in order: the n-th stream record's age is measured from here. */
    private final List<Long> writeTimes = new ArrayList<>();

    DemoTraffic(DynamoDbClient client, String table, double writesPerSecond, long seed) {
        this.client = client;
        this.table = table;
        this.writesPerSecond = writesPerSecond;
        this.random = new Random(seed);
    }

    void start(int threads) {
        running.set(true);
        nextWriteAtNanos = System.nanoTime();
        // Enough customers in flight that every worker always has one, and their orders interleave.
        int active = Math.max(12, (int) Math.ceil(writesPerSecond));
        for (int i = 0; i < active; i++) {
            ready.add(newCustomer());
        }
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::work, "demo-traffic-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    /** Stops writing; returns when no write is in progress. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : workers) {
            t.interrupt();
        }
        for (Thread t : workers) {
            t.join(10_000);
        }
    }

    private void work() {
        while (running.get()) {
            Customer customer;
            try {
                pace();
                customer = ready.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (customer == null) {
                continue;
            }
            WorkloadStep step = customer.next(Instant.now());
            try {
                step.apply(client, table);
                recordWrite(step);
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                // The outcome is unknown, so this customer's idea of its orders may be wrong: retire it.
                failures.incrementAndGet();
                ready.add(newCustomer());
                continue;
            }
            ready.add(customer.done() ? newCustomer() : customer);
        }
    }

    private void pace() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            nextWriteAtNanos = Math.max(nextWriteAtNanos, now - TimeUnit.SECONDS.toNanos(1));
            nextWriteAtNanos += (long) (TimeUnit.SECONDS.toNanos(1) / writesPerSecond);
            wait = nextWriteAtNanos - now;
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private synchronized void recordWrite(WorkloadStep step) {
        writeTimes.add(System.nanoTime());
        writes.incrementAndGet();
        String what = step.description();
        if (what.startsWith("create")) {
            ordersCreated.incrementAndGet();
        } else if (step.kind() == WorkloadStep.Kind.DELETE) {
            ordersDeleted.incrementAndGet();
            deletedIds.add(step.key().pk());
        } else if (what.startsWith("edit")) {
            itemEdits.incrementAndGet();
        } else if (what.endsWith(OrderTable.STATUS_COMPLETED)) {
            completed.incrementAndGet();
        } else if (what.endsWith(OrderTable.STATUS_REJECTED)) {
            rejected.incrementAndGet();
        }
    }

    /** Ids of the orders deleted so far: verify checks that none of their keys is left behind. */
    synchronized List<String> deletedIds() {
        return new ArrayList<>(deletedIds);
    }

    /** Every creator so far: verify checks that a creator whose orders are all gone has no list left. */
    synchronized List<String> creators() {
        return new ArrayList<>(creators);
    }

    long writes() {
        return writes.get();
    }

    /** Seconds since the write whose stream record is the next unread one, given how many were read. */
    synchronized double lagSeconds(long recordsRead) {
        if (recordsRead >= writeTimes.size() || recordsRead < 0) {
            return 0;
        }
        return (System.nanoTime() - writeTimes.get((int) recordsRead)) / 1e9;
    }

    String summary() {
        return String.format("%d writes from %d customers: %d orders created, %d item edits, %d completed, "
                        + "%d rejected, %d deleted%s", writes.get(), customers.get(), ordersCreated.get(), itemEdits.get(),
                completed.get(), rejected.get(), ordersDeleted.get(),
                failures.get() == 0 ? "" : ", " + failures.get() + " failed writes");
    }

    private synchronized Customer newCustomer() {
        customers.incrementAndGet();
        String creator = "10." + (1 + random.nextInt(254)) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
        creators.add(creator);
        return new Customer(creator, new Random(random.nextLong()));
    }

    /** One customer's orders, each a small state machine; a step is taken from a random unfinished order. */
    private static final class Customer {
        final String creator;
        final Random random;
        final List<PizzaOrder> orders = new ArrayList<>();

        Customer(String creator, Random random) {
            this.creator = creator;
            this.random = random;
            int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                orders.add(new PizzaOrder(random));
            }
        }

        boolean done() {
            return orders.stream().allMatch(o -> o.finished);
        }

        WorkloadStep next(Instant now) {
            List<PizzaOrder> open = new ArrayList<>();
            for (PizzaOrder o : orders) {
                if (!o.finished) {
                    open.add(o);
                }
            }
            return open.get(random.nextInt(open.size())).next(creator, now, random);
        }
    }

    private static final class PizzaOrder {
        final String id;
        String status;
        String createdAt;
        List<AttributeValue> items;
        int editsLeft;
        final boolean cancelWhileWaiting;
        final boolean rejectAtEnd;
        final boolean deleteAtEnd;
        boolean finished;

        PizzaOrder(Random random) {
            this.id = new UUID(random.nextLong(), random.nextLong()).toString();
            this.editsLeft = random.nextInt(3);
            this.cancelWhileWaiting = random.nextInt(100) < 5;
            this.rejectAtEnd = random.nextInt(100) < 15;
            this.deleteAtEnd = random.nextInt(100) < 10;
        }

        WorkloadStep next(String creator, Instant now, Random random) {
            String at = OrderTable.timestamp(now);
            ItemKey key = new ItemKey(id, OrderTable.SK_METADATA);
            if (status == null) {
                status = OrderTable.STATUS_WAITING;
                createdAt = at;
                items = pizzas(random);
                return WorkloadStep.insert(OrderTable.order(id, creator, createdAt, status, items, null), "create " + id);
            }
            if (OrderTable.STATUS_WAITING.equals(status) && editsLeft > 0) {
                editsLeft--;
                items = pizzas(random);
                Map<String, AttributeValue> set = new LinkedHashMap<>();
                set.put(OrderTable.ITEMS, OrderTable.list(items));
                set.put(OrderTable.NUM_ITEMS, OrderTable.n(items.size()));
                set.put(OrderTable.LAST_UPDATED, OrderTable.s(at));
                return WorkloadStep.update(key, set, "edit items of " + id);
            }
            if (OrderTable.STATUS_WAITING.equals(status) && cancelWhileWaiting
                    || isFinal(status) && deleteAtEnd) {
                finished = true;
                return WorkloadStep.delete(key, "delete " + id);
            }
            switch (status) {
                case OrderTable.STATUS_WAITING:
                    status = OrderTable.STATUS_SUBMITTED;
                    break;
                case OrderTable.STATUS_SUBMITTED:
                    status = OrderTable.STATUS_IN_PROGRESS;
                    break;
                default:
                    status = rejectAtEnd ? OrderTable.STATUS_REJECTED : OrderTable.STATUS_COMPLETED;
                    finished = !deleteAtEnd;
                    break;
            }
            Map<String, AttributeValue> set = new LinkedHashMap<>();
            set.put(OrderTable.STATUS, OrderTable.s(status));
            set.put(OrderTable.LAST_UPDATED, OrderTable.s(at));
            return WorkloadStep.update(key, set, id + " -> " + status);
        }

        private static boolean isFinal(String status) {
            return OrderTable.STATUS_COMPLETED.equals(status) || OrderTable.STATUS_REJECTED.equals(status);
        }

        private static List<AttributeValue> pizzas(Random random) {
            List<AttributeValue> pizzas = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                List<String> toppings = new ArrayList<>(Arrays.asList(TOPPINGS));
                java.util.Collections.shuffle(toppings, random);
                pizzas.add(OrderTable.pizza(pick(random, SIZES), pick(random, CRUSTS), pick(random, SAUCES),
                        toppings.subList(0, random.nextInt(4))));
            }
            return pizzas;
        }

        private static String pick(Random random, String[] values) {
            return values[random.nextInt(values.length)];
        }
    }
}
