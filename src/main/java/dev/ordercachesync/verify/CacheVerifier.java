package dev.ordercachesync.verify;

import dev.ordercachesync.model.Order;
import dev.ordercachesync.verify.CacheReader.CachedValue;
import dev.ordercachesync.views.CacheContract;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a cache against its table: scans the table, computes every key and value of the contract,
 * reads those keys (and keys that must not exist) from the cache, and re-checks differing keys
 * against fresh reads of their orders before calling them divergent. Never writes.
 *
 * <p>Momento cannot list keys, so a key that must not exist is found only if something names it: an
 * id seen in the scan (any item's {@code pk}), an entry of a list read from the cache, or an id the
 * caller passes; a creator named by an admin value read from the cache, by a rejected item, or by the
 * caller.
 */
final class CacheVerifier {
    static final String ORDER_SORT_KEY = "metadata";
    /** Discovery follows lists to details to creator lists; a few rounds reach every key they name. */
    private static final int MAX_DISCOVERY_ROUNDS = 10;

    private final TableReader table;
    private final CacheReader cache;
    private final CacheContract contract;
    private final int maxListEntries;
    private final Set<String> givenIds;
    private final Set<String> givenCreators;
    private final Duration recheckDelay;
    private final int rechecks;

    /** Order items by id ({@code sk = "metadata"}), as last read. */
    private final Map<String, TableItem> orderItems = new TreeMap<>();
    private final Map<String, KeyRole> roles = new LinkedHashMap<>();
    private final Map<String, CachedValue> actual = new TreeMap<>();
    private final Set<String> expectedPresent = new HashSet<>();

    CacheVerifier(TableReader table, CacheReader cache, CacheContract contract, int maxListEntries,
                  Collection<String> givenIds, Collection<String> givenCreators, Duration recheckDelay, int rechecks) {
        this.table = table;
        this.cache = cache;
        this.contract = contract;
        this.maxListEntries = maxListEntries;
        this.givenIds = new TreeSet<>(givenIds);
        this.givenCreators = new TreeSet<>(givenCreators);
        this.recheckDelay = recheckDelay;
        this.rechecks = rechecks;
    }

    VerifyReport run() throws InterruptedException {
        VerifyReport report = new VerifyReport();
        TableReader.Scan scan = table.scan();
        report.scan = scan;
        Set<String> idsSeen = new TreeSet<>();
        for (Map<String, AttributeValue> item : scan.items) {
            AttributeValue pk = item.get("pk");
            AttributeValue sk = item.get("sk");
            if (pk != null && pk.s() != null) {
                idsSeen.add(pk.s());
            }
            TableItem classified = TableItem.classify(item, contract);
            if (classified.kind == TableItem.Kind.ORDER) {
                report.ordersScanned++;
            } else if (classified.kind == TableItem.Kind.REJECTED) {
                report.rejectedScanned++;
            } else {
                report.otherItemsScanned++;
            }
            if (pk != null && pk.s() != null && sk != null && ORDER_SORT_KEY.equals(sk.s())) {
                orderItems.put(pk.s(), classified);
            }
        }

        Map<String, String> expected = expected();
        assignRoles();
        for (String key : expected.keySet()) {
            expectedPresent.add(key);
        }
        discoverAndRead(idsSeen);
        report.keysExpectedPresent = expectedPresent.size();
        report.keysExpectedAbsent = roles.size() - expectedPresent.size();

        Map<String, Pending> pending = new LinkedHashMap<>();
        for (Map.Entry<String, KeyRole> e : roles.entrySet()) {
            judge(e.getKey(), e.getValue(), expected, report, pending);
        }
        report.differingAtFirst = pending.size();

        for (int round = 1; round <= rechecks && !pending.isEmpty(); round++) {
            report.recheckRounds = round;
            sleep(recheckDelay);
            Set<String> ids = new TreeSet<>();
            for (Pending p : pending.values()) {
                ids.addAll(p.diff.involvedIds);
            }
            Set<String> changed = new HashSet<>();
            for (String id : ids) {
                Map<String, AttributeValue> item = table.orderItem(id);
                TableItem now = item == null ? null : TableItem.classify(item, contract);
                TableItem before = orderItems.get(id);
                if (now == null ? before != null : !now.sameAs(before)) {
                    changed.add(id);
                    if (now == null) {
                        orderItems.remove(id);
                    } else {
                        orderItems.put(id, now);
                    }
                }
            }
            report.ordersReread += ids.size();
            report.ordersChangedDuringCheck.addAll(changed);
            expected = expected();
            actual.putAll(cache.read(pending.keySet()));
            Map<String, Pending> still = new LinkedHashMap<>();
            for (Map.Entry<String, Pending> e : pending.entrySet()) {
                String key = e.getKey();
                Pending before = e.getValue();
                Map<String, Pending> next = new LinkedHashMap<>();
                if (!judge(key, roles.get(key), expected, report, next)) {
                    continue;
                }
                if (next.isEmpty()) {
                    report.settled.add(key);
                    continue;
                }
                Pending now = next.get(key);
                boolean moving = !Objects.equals(before.actual, now.actual)
                        || before.diff.involvedIds.stream().anyMatch(changed::contains)
                        || now.diff.involvedIds.stream().anyMatch(changed::contains);
                if (moving) {
                    still.put(key, now);
                } else {
                    report.divergent.add(now.toDivergence(key, roles.get(key)));
                }
            }
            pending = still;
        }
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            if (rechecks == 0) {
                report.divergent.add(e.getValue().toDivergence(e.getKey(), roles.get(e.getKey())));
            } else {
                report.unsettled.add(e.getValue().toDivergence(e.getKey(), roles.get(e.getKey())));
            }
        }
        for (TableItem item : orderItems.values()) {
            if (item.kind == TableItem.Kind.REJECTED) {
                report.rejected.put(item.id, item.reason + ": " + item.message);
            }
        }
        report.keysChecked = actual.size();
        return report;
    }

    /**
     * Compares one key. Returns false when the key cannot be judged (unreadable, or about an order the
     * job rejects); otherwise puts it into {@code differing} when its value is not the contract's.
     */
    private boolean judge(String key, KeyRole role, Map<String, String> expected, VerifyReport report,
                          Map<String, Pending> differing) {
        CachedValue got = actual.get(key);
        if (!got.readable()) {
            report.unreadable.put(key, got.error);
            return false;
        }
        if (!role.isList() && isRejected(role.subject)) {
            report.notChecked.put(key, "order " + role.subject + " is rejected by the job");
            return false;
        }
        String want = expected.get(key);
        if (Objects.equals(want, got.value)) {
            return true;
        }
        ValueDiff diff = ValueDiff.of(role, want, got.value);
        if (role.isList() && !diff.involvedIds.isEmpty() && diff.involvedIds.stream().allMatch(this::isRejected)) {
            report.notChecked.put(key, "differs only in entries of orders the job rejects: "
                    + ValueDiff.named(new ArrayList<>(diff.involvedIds)));
            return false;
        }
        differing.put(key, new Pending(want, got.value, diff));
        return true;
    }

    private boolean isRejected(String id) {
        TableItem item = orderItems.get(id);
        return item != null && item.kind == TableItem.Kind.REJECTED;
    }

    private Map<String, String> expected() {
        List<Order> orders = new ArrayList<>();
        for (TableItem item : orderItems.values()) {
            if (item.kind == TableItem.Kind.ORDER) {
                orders.add(item.order);
            }
        }
        return contract.expectedCache(orders, maxListEntries);
    }

    /** The role of every key the scan says must exist; all-orders first, as the list most read. */
    private void assignRoles() {
        roles.put(contract.allOrdersKey(), KeyRole.allOrders());
        for (TableItem item : orderItems.values()) {
            if (item.kind == TableItem.Kind.ORDER) {
                roles.putIfAbsent(contract.detailKey(item.order.id), KeyRole.detail(item.order.id));
                roles.putIfAbsent(contract.adminDetailKey(item.order.id), KeyRole.adminDetail(item.order.id));
                roles.putIfAbsent(contract.creatorListKey(item.order.creator), KeyRole.creatorList(item.order.creator));
            }
        }
    }

    /** Reads every key with a role, then the keys that values read name, until no new key turns up. */
    private void discoverAndRead(Set<String> idsSeen) throws InterruptedException {
        Set<String> ids = new TreeSet<>(idsSeen);
        ids.addAll(givenIds);
        Set<String> creators = new TreeSet<>(givenCreators);
        for (TableItem item : orderItems.values()) {
            if (item.kind == TableItem.Kind.REJECTED && item.creator != null) {
                creators.add(item.creator);
            }
        }
        for (int round = 0; round < MAX_DISCOVERY_ROUNDS; round++) {
            for (String id : ids) {
                if (id != null && contract.reservedOrderIdReason(id) == null) {
                    roles.putIfAbsent(contract.detailKey(id), KeyRole.detail(id));
                    roles.putIfAbsent(contract.adminDetailKey(id), KeyRole.adminDetail(id));
                }
            }
            for (String creator : creators) {
                if (!creator.isEmpty() && contract.reservedCreatorReason(creator) == null) {
                    roles.putIfAbsent(contract.creatorListKey(creator), KeyRole.creatorList(creator));
                }
            }
            Set<String> unread = new LinkedHashSet<>(roles.keySet());
            unread.removeAll(actual.keySet());
            if (unread.isEmpty()) {
                return;
            }
            actual.putAll(cache.read(unread));
            for (String key : unread) {
                KeyRole role = roles.get(key);
                String value = actual.get(key).value;
                if (role.isList()) {
                    ids.addAll(ValueDiff.idsIn(value));
                } else if (role.kind == KeyRole.Kind.ADMIN_DETAIL) {
                    String creator = ValueDiff.creatorIn(value);
                    if (creator != null) {
                        creators.add(creator);
                    }
                }
            }
        }
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isZero()) {
            Thread.sleep(d.toMillis());
        }
    }

    private static final class Pending {
        final String expected;
        final String actual;
        final ValueDiff diff;

        Pending(String expected, String actual, ValueDiff diff) {
            this.expected = expected;
            this.actual = actual;
            this.diff = diff;
        }

        VerifyReport.Divergence toDivergence(String key, KeyRole role) {
            return new VerifyReport.Divergence(key, role, expected, actual, diff.lines);
        }
    }
}
