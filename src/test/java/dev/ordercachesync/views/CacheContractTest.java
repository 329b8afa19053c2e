package dev.ordercachesync.views;

import dev.ordercachesync.model.Order;
import dev.ordercachesync.model.OrderItem;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheContractTest {
    private final CacheContract contract = CacheContract.defaults();

    private static Order order(String id, String creator, String createdAt, String status, String lastUpdated) {
        return new Order(id, creator, createdAt, status, 1,
                new OrderItem[] {new OrderItem("large", "thin", "red", new String[] {"cheese", "ham"})}, lastUpdated);
    }

    @Test
    void keysFollowTheContract() {
        assertThat(contract.detailKey("abc")).isEqualTo("abc");
        assertThat(contract.adminDetailKey("abc")).isEqualTo("ADMIN-abc");
        assertThat(contract.allOrdersKey()).isEqualTo("all-orders");
        assertThat(contract.creatorListKey("10.1.2.3")).isEqualTo("10.1.2.3");
        CacheContract custom = new CacheContract("admin:", "open-orders");
        assertThat(custom.adminDetailKey("abc")).isEqualTo("admin:abc");
        assertThat(custom.allOrdersKey()).isEqualTo("open-orders");
    }

    @Test
    void detailIsRenderedExactly() {
        assertThat(contract.renderDetail(order("o1", "1.2.3.4", "2026-11-23T10:00:00.000Z", "SUBMITTED", null)))
                .isEqualTo("{\"id\":\"o1\",\"createdAt\":\"2026-11-23T10:00:00.000Z\",\"status\":\"SUBMITTED\","
                        + "\"numItems\":1,\"items\":[{\"size\":\"large\",\"crust\":\"thin\",\"sauce\":\"red\","
                        + "\"toppings\":[\"cheese\",\"ham\"]}]}");
    }

    @Test
    void adminDetailAddsCreatorLastAndKeepsLastUpdated() {
        assertThat(contract.renderAdminDetail(order("o1", "1.2.3.4", "2026-11-23T10:00:00.000Z", "IN PROGRESS",
                "2026-11-23T10:09:00.000Z")))
                .isEqualTo("{\"id\":\"o1\",\"createdAt\":\"2026-11-23T10:00:00.000Z\",\"status\":\"IN PROGRESS\","
                        + "\"numItems\":1,\"items\":[{\"size\":\"large\",\"crust\":\"thin\",\"sauce\":\"red\","
                        + "\"toppings\":[\"cheese\",\"ham\"]}],\"lastUpdated\":\"2026-11-23T10:09:00.000Z\","
                        + "\"creator\":\"1.2.3.4\"}");
    }

    @Test
    void stringsAreEscapedAsJson() {
        Order o = order("o\"1", "c", "2026-11-23T10:00:00Z", "SUBMITTED", null);
        o.items = new OrderItem[0];
        o.numItems = 0;
        assertThat(contract.renderDetail(o)).isEqualTo(
                "{\"id\":\"o\\\"1\",\"createdAt\":\"2026-11-23T10:00:00Z\",\"status\":\"SUBMITTED\",\"numItems\":0,\"items\":[]}");
    }

    @Test
    void listsAreNewestFirstWithTiesById() {
        List<OrderSummary> summaries = Arrays.asList(
                new OrderSummary("b", "2026-11-23T10:00:00Z", "SUBMITTED", 1, null),
                new OrderSummary("c", "2026-11-23T11:00:00Z", "SUBMITTED", 2, "2026-11-23T11:30:00Z"),
                new OrderSummary("a", "2026-11-23T10:00:00Z", "COMPLETED", 3, null));
        assertThat(contract.renderList(summaries, 10)).isEqualTo("["
                + "{\"id\":\"c\",\"createdAt\":\"2026-11-23T11:00:00Z\",\"status\":\"SUBMITTED\",\"numItems\":2,\"lastUpdated\":\"2026-11-23T11:30:00Z\"},"
                + "{\"id\":\"a\",\"createdAt\":\"2026-11-23T10:00:00Z\",\"status\":\"COMPLETED\",\"numItems\":3},"
                + "{\"id\":\"b\",\"createdAt\":\"2026-11-23T10:00:00Z\",\"status\":\"SUBMITTED\",\"numItems\":1}]");
        assertThat(contract.renderList(summaries, 1)).isEqualTo("["
                + "{\"id\":\"c\",\"createdAt\":\"2026-11-23T11:00:00Z\",\"status\":\"SUBMITTED\",\"numItems\":2,\"lastUpdated\":\"2026-11-23T11:30:00Z\"}]");
        assertThat(contract.renderList(List.of(), 10)).isEqualTo("[]");
    }

    @Test
    void expectedCacheHoldsEveryViewAndLeavesCompletedOutOfAllOrders() {
        Order open = order("o1", "alice", "2026-11-23T10:00:00Z", "SUBMITTED", null);
        Order done = order("o2", "alice", "2026-11-23T11:00:00Z", "COMPLETED", null);
        Map<String, String> expected = contract.expectedCache(List.of(open, done), 100);

        assertThat(expected).containsOnlyKeys("o1", "ADMIN-o1", "o2", "ADMIN-o2", "alice", "all-orders");
        assertThat(expected.get("all-orders")).contains("\"o1\"").doesNotContain("\"o2\"");
        assertThat(expected.get("alice")).startsWith("[{\"id\":\"o2\"");
        assertThat(contract.expectedCache(List.of(), 100)).containsExactly(Map.entry("all-orders", "[]"));
    }

    @Test
    void reservedNamesAreRecognised() {
        assertThat(contract.reservedCreatorReason("all-orders")).contains("all-orders");
        assertThat(contract.reservedCreatorReason("ADMIN-x")).contains("ADMIN-");
        assertThat(contract.reservedCreatorReason("10.0.0.1")).isNull();
        assertThatThrownBy(() -> new CacheContract("A", "All")).hasMessageContaining("must not start with");
    }

    @Test
    void listsOrderCreatedAtByInstantWhateverItsPrecisionOrOffset() {
        // Newest first by instant: 11:00+02:00 is 09:00Z, older than 10:00:00.5Z, which is newer than 10:00Z.
        List<OrderSummary> summaries = Arrays.asList(
                new OrderSummary("plus-two", "2026-11-23T11:00:00+02:00", "SUBMITTED", 1, null),
                new OrderSummary("half-second", "2026-11-23T10:00:00.5Z", "SUBMITTED", 1, null),
                new OrderSummary("whole", "2026-11-23T10:00:00Z", "SUBMITTED", 1, null),
                new OrderSummary("micros", "2026-11-23T10:00:00.000001Z", "SUBMITTED", 1, null),
                new OrderSummary("no-offset", "2026-11-23T09:30:00", "SUBMITTED", 1, null),
                new OrderSummary("tie-b", "2026-11-23T08:00:00.000Z", "SUBMITTED", 1, null),
                new OrderSummary("tie-a", "2026-11-23T09:00:00+01:00", "SUBMITTED", 1, null));
        List<String> ids = new java.util.ArrayList<>();
        for (OrderSummary s : CacheContract.newestFirst(summaries)) {
            ids.add(s.id);
        }
        assertThat(ids).containsExactly("half-second", "micros", "whole", "no-offset", "plus-two", "tie-a", "tie-b");

        List<OrderSummary> byComparator = new java.util.ArrayList<>(summaries);
        byComparator.sort(CacheContract.LIST_ORDER);
        assertThat(byComparator).isEqualTo(CacheContract.newestFirst(summaries));
    }

    @Test
    void listRankIsCoarserThanListOrderButNeverDisagrees() {
        String[] createdAts = {"2026-11-23T10:00:00.999Z", "2026-11-23T10:00:00.9991Z", "2026-11-23T10:00:01Z",
                "1969-12-31T23:59:59.5Z", "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "not a time"};
        for (String a : createdAts) {
            for (String b : createdAts) {
                int order = CacheContract.LIST_ORDER.compare(new OrderSummary("x", a, "S", 1, null), new OrderSummary("x", b, "S", 1, null));
                long ra = CacheContract.listRank(a);
                long rb = CacheContract.listRank(b);
                assertThat(ra).isNotNegative();
                if (ra < rb) {
                    assertThat(order).as(a + " ranked before " + b).isNegative();
                }
            }
        }
        assertThat(CacheContract.listRank("2026-11-23T10:00:00.999Z")).isEqualTo(CacheContract.listRank("2026-11-23T10:00:00.9991Z"));
        assertThat(CacheContract.listRank("not a time")).isEqualTo(Long.MAX_VALUE);
    }
}
