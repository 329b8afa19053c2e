package dev.ordercachesync.views;

/**
 * A change to one list view: put an order's summary into the list, or take the order out.
 * A Flink POJO; keyed by {@link #listKey}.
 */
public class ListDelta {
    public String listKey;
    public String orderId;
    /** The order's new summary, or null to take the order out of the list. */
    public OrderSummary summary;
    /**
     * Render the list even when the delta changes nothing: a table scan re-renders every list, so a cache that was
     * flushed or replaced gets its lists back, not only the ones that changed.
     */
    public boolean rerender;

    public ListDelta() {}

    private ListDelta(String listKey, String orderId, OrderSummary summary) {
        this.listKey = listKey;
        this.orderId = orderId;
        this.summary = summary;
    }

    public static ListDelta upsert(String listKey, OrderSummary summary) {
        return new ListDelta(listKey, summary.id, summary);
    }

    public static ListDelta remove(String listKey, String orderId) {
        return new ListDelta(listKey, orderId, null);
    }

    /** This delta, asking for the list to be rendered even if it changes nothing. */
    public ListDelta rerendering() {
        rerender = true;
        return this;
    }

    public boolean isRemoval() {
        return summary == null;
    }

    @Override
    public String toString() {
        return (isRemoval() ? "remove " : "upsert ") + orderId + " in " + listKey;
    }
}
