package dev.ordercachesync.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Primary key (pk, sk) of an OrderTable item. */
public final class ItemKey implements Comparable<ItemKey> {

    private final String pk;
    private final String sk;

    public ItemKey(String pk, String sk) {
        this.pk = Objects.requireNonNull(pk, "pk");
        this.sk = Objects.requireNonNull(sk, "sk");
    }

    /** The key of a full item, or of a stream record's {@code Keys}. */
    public static ItemKey of(Map<String, AttributeValue> item) {
        AttributeValue pk = item.get(OrderTable.PK);
        AttributeValue sk = item.get(OrderTable.SK);
        if (pk == null || pk.s() == null || sk == null || sk.s() == null) {
            throw new IllegalArgumentException("Not an OrderTable item or key: " + item);
        }
        return new ItemKey(pk.s(), sk.s());
    }

    public String pk() {
        return pk;
    }

    public String sk() {
        return sk;
    }

    /** As DynamoDB wants it in GetItem, UpdateItem and DeleteItem. */
    public Map<String, AttributeValue> toAttributes() {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put(OrderTable.PK, OrderTable.s(pk));
        key.put(OrderTable.SK, OrderTable.s(sk));
        return key;
    }

    @Override
    public int compareTo(ItemKey other) {
        int byPk = pk.compareTo(other.pk);
        return byPk != 0 ? byPk : sk.compareTo(other.sk);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ItemKey)) {
            return false;
        }
        ItemKey other = (ItemKey) o;
        return pk.equals(other.pk) && sk.equals(other.sk);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pk, sk);
    }

    @Override
    public String toString() {
        return pk + "|" + sk;
    }
}
