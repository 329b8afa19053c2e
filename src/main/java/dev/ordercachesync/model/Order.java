package dev.ordercachesync.model;

import java.util.Arrays;
import java.util.Objects;

/** An order item of the table ({@code sk = "metadata"}, {@code type = "order"}), typed. A Flink POJO. */
public class Order {
    public String id;
    public String creator;
    public String createdAt;
    public String status;
    public long numItems;
    public OrderItem[] items;
    /** Null when the item has no {@code lastUpdated} attribute. */
    public String lastUpdated;

    public Order() {}

    public Order(String id, String creator, String createdAt, String status, long numItems,
                 OrderItem[] items, String lastUpdated) {
        this.id = id;
        this.creator = creator;
        this.createdAt = createdAt;
        this.status = status;
        this.numItems = numItems;
        this.items = items;
        this.lastUpdated = lastUpdated;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Order)) return false;
        Order that = (Order) o;
        return numItems == that.numItems
                && Objects.equals(id, that.id)
                && Objects.equals(creator, that.creator)
                && Objects.equals(createdAt, that.createdAt)
                && Objects.equals(status, that.status)
                && Arrays.equals(items, that.items)
                && Objects.equals(lastUpdated, that.lastUpdated);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, creator, createdAt, status, numItems, Arrays.hashCode(items), lastUpdated);
    }

    @Override
    public String toString() {
        return "Order{id=" + id + ", creator=" + creator + ", createdAt=" + createdAt + ", status=" + status
                + ", numItems=" + numItems + ", items=" + Arrays.toString(items)
                + ", lastUpdated=" + lastUpdated + "}";
    }
}
