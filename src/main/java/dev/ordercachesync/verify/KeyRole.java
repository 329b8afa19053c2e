package dev.ordercachesync.verify;

import java.util.Objects;

/** What a cache key is in the contract: an order's detail or admin view, the all-orders list, or a creator's list. */
final class KeyRole {
    enum Kind { DETAIL, ADMIN_DETAIL, ALL_ORDERS, CREATOR_LIST }

    final Kind kind;
    /** The order id (details) or creator (creator list); null for all-orders. */
    final String subject;

    private KeyRole(Kind kind, String subject) {
        this.kind = kind;
        this.subject = subject;
    }

    static KeyRole detail(String orderId) {
        return new KeyRole(Kind.DETAIL, orderId);
    }

    static KeyRole adminDetail(String orderId) {
        return new KeyRole(Kind.ADMIN_DETAIL, orderId);
    }

    static KeyRole allOrders() {
        return new KeyRole(Kind.ALL_ORDERS, null);
    }

    static KeyRole creatorList(String creator) {
        return new KeyRole(Kind.CREATOR_LIST, creator);
    }

    boolean isList() {
        return kind == Kind.ALL_ORDERS || kind == Kind.CREATOR_LIST;
    }

    @Override
    public String toString() {
        switch (kind) {
            case DETAIL:
                return "detail of order " + subject;
            case ADMIN_DETAIL:
                return "admin detail of order " + subject;
            case ALL_ORDERS:
                return "all-orders list";
            default:
                return "list of creator " + subject;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRole && kind == ((KeyRole) o).kind && Objects.equals(subject, ((KeyRole) o).subject);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, subject);
    }
}
