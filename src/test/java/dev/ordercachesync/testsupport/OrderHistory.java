package dev.ordercachesync.testsupport;

import dev.ordercachesync.localmomento.LoopbackMomentoServer;
import dev.ordercachesync.model.Order;
import dev.ordercachesync.views.CacheContract;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * "No order went backwards": every value the cache ever held for an order's detail keys must be one of the
 * order's states in the table, in the order the table went through them. Replays may repeat a value; they
 * may never bring back an older one.
 */
public final class OrderHistory {
    private OrderHistory() {}

    /**
     * @return one line per key whose write history is not a forward walk through the order's states (empty: fine)
     */
    public static List<String> backwardsWrites(OrderWorkload workload, CacheContract contract,
                                               LoopbackMomentoServer server, String cache) {
        Map<String, List<String>> details = new TreeMap<>();
        Map<String, List<String>> adminDetails = new TreeMap<>();
        Map<ItemKey, Map<String, AttributeValue>> table = new TreeMap<>();
        for (WorkloadStep step : workload.steps()) {
            Map<String, AttributeValue> before = table.get(step.key());
            step.applyTo(table);
            Map<String, AttributeValue> after = table.get(step.key());
            if (!OrderTable.isOrder(before) && !OrderTable.isOrder(after)) {
                continue;
            }
            String id = step.key().pk();
            String detail = LoopbackMomentoServer.DELETED;
            String admin = LoopbackMomentoServer.DELETED;
            if (after != null) {
                Order order = TableOrders.fromScan(List.of(after)).get(0);
                detail = contract.renderDetail(order);
                admin = contract.renderAdminDetail(order);
            }
            details.computeIfAbsent(id, k -> new ArrayList<>()).add(detail);
            adminDetails.computeIfAbsent(id, k -> new ArrayList<>()).add(admin);
        }
        List<String> problems = new ArrayList<>();
        for (String id : details.keySet()) {
            check(contract.detailKey(id), details.get(id), server.writeHistory(cache, contract.detailKey(id)), problems);
            check(contract.adminDetailKey(id), adminDetails.get(id),
                    server.writeHistory(cache, contract.adminDetailKey(id)), problems);
        }
        return problems;
    }

    private static void check(String key, List<String> states, List<String> written, List<String> problems) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < states.size(); i++) {
            // Each change sets lastUpdated, so an order never returns to an earlier value.
            if (position.put(states.get(i), i) != null && !LoopbackMomentoServer.DELETED.equals(states.get(i))) {
                throw new IllegalStateException("workload repeats a value of " + key + "; the check needs distinct states");
            }
        }
        int at = -1;
        for (String value : written) {
            Integer p = position.get(value);
            if (p == null) {
                problems.add(key + ": wrote a value the order never had: " + value);
                return;
            }
            if (p < at) {
                problems.add(key + ": went back from state " + at + " to state " + p + " of " + states.size());
                return;
            }
            at = p;
        }
    }
}
