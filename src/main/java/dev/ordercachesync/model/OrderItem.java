package dev.ordercachesync.model;

import java.util.Arrays;
import java.util.Objects;

/** One pizza of an order, as stored in the table's {@code items} list. A Flink POJO. */
public class OrderItem {
    public String size;
    public String crust;
    public String sauce;
    /** An array rather than a List so Flink serializes it without Kryo. */
    public String[] toppings;

    public OrderItem() {}

    public OrderItem(String size, String crust, String sauce, String[] toppings) {
        this.size = size;
        this.crust = crust;
        this.sauce = sauce;
        this.toppings = toppings;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof OrderItem)) return false;
        OrderItem that = (OrderItem) o;
        return Objects.equals(size, that.size)
                && Objects.equals(crust, that.crust)
                && Objects.equals(sauce, that.sauce)
                && Arrays.equals(toppings, that.toppings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, crust, sauce, Arrays.hashCode(toppings));
    }

    @Override
    public String toString() {
        return "OrderItem{" + size + "," + crust + "," + sauce + "," + Arrays.toString(toppings) + "}";
    }
}
