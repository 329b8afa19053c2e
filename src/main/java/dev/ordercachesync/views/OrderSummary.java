package dev.ordercachesync.views;

import java.util.Objects;

/**
 * An order as it appears in a list view: the detail without items or creator. A Flink POJO, held in savepoints:
 * a field may be added (state restored from before has it null or 0) or removed, never renamed or given another
 * type, and the class never renamed or moved.
 */
public class OrderSummary {
    public String id;
    public String createdAt;
    public String status;
    public long numItems;
    public String lastUpdated;

    public OrderSummary() {}

    public OrderSummary(String id, String createdAt, String status, long numItems, String lastUpdated) {
        this.id = id;
        this.createdAt = createdAt;
        this.status = status;
        this.numItems = numItems;
        this.lastUpdated = lastUpdated;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof OrderSummary)) return false;
        OrderSummary that = (OrderSummary) o;
        return numItems == that.numItems
                && Objects.equals(id, that.id)
                && Objects.equals(createdAt, that.createdAt)
                && Objects.equals(status, that.status)
                && Objects.equals(lastUpdated, that.lastUpdated);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, createdAt, status, numItems, lastUpdated);
    }

    @Override
    public String toString() {
        return "OrderSummary{" + id + "," + createdAt + "," + status + "," + numItems + "," + lastUpdated + "}";
    }
}
