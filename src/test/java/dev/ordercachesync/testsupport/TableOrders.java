package dev.ordercachesync.testsupport;

import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderItem;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads orders out of a table scan with the AWS SDK's own types: the test oracle's path from the table
 * to the contract, independent of how the job parses stream records. The verify command deliberately
 * reads items with the job's own rules instead (so that it and the job agree on rejected items); this
 * class stays separate so the tests keep an oracle that shares no code with the job.
 */
public final class TableOrders {
    private TableOrders() {}

    public static List<Order> fromScan(List<Map<String, AttributeValue>> items) {
        List<Order> orders = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            if (!"metadata".equals(str(item, "sk")) || !"order".equals(str(item, "type"))) {
                continue;
            }
            Order o = new Order();
            o.id = str(item, "pk");
            o.creator = str(item, "creator");
            o.createdAt = str(item, "createdAt");
            o.status = str(item, "status");
            o.numItems = Long.parseLong(item.get("numItems").n());
            List<AttributeValue> list = item.get("items").l();
            o.items = new OrderItem[list.size()];
            for (int i = 0; i < list.size(); i++) {
                Map<String, AttributeValue> m = list.get(i).m();
                String[] toppings = null;
                if (m.containsKey("toppings")) {
                    List<AttributeValue> t = m.get("toppings").l();
                    toppings = new String[t.size()];
                    for (int j = 0; j < t.size(); j++) {
                        toppings[j] = t.get(j).s();
                    }
                }
                o.items[i] = new OrderItem(str(m, "size"), str(m, "crust"), str(m, "sauce"), toppings);
            }
            o.lastUpdated = str(item, "lastUpdated");
            orders.add(o);
        }
        return orders;
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
