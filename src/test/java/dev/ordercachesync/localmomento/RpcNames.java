package dev.ordercachesync.localmomento;

import java.util.Set;

/**
 * Names under which the loopback server counts calls and matches fault rules. They are short
 * camel-case forms of the proto method names so tests read naturally ("set", not "cache_client.Scs/Set").
 */
public final class RpcNames {

    public static final String GET = "get";
    public static final String SET = "set";
    public static final String DELETE = "delete";
    public static final String LIST_CACHES = "listCaches";
    public static final String CREATE_CACHE = "createCache";
    public static final String DELETE_CACHE = "deleteCache";
    public static final String FLUSH_CACHE = "flushCache";

    /** Matches every RPC in a fault rule. */
    public static final String ALL = "*";

    static final Set<String> SERVED =
            Set.of(GET, SET, DELETE, LIST_CACHES, CREATE_CACHE, DELETE_CACHE, FLUSH_CACHE);

    private RpcNames() {}

    /** Rejects typos early: a rule for an RPC the server never serves would silently never fire. */
    static String requireKnown(String rpc) {
        if (!ALL.equals(rpc) && !SERVED.contains(rpc)) {
            throw new IllegalArgumentException("unknown RPC name '" + rpc + "', expected one of " + SERVED + " or '*'");
        }
        return rpc;
    }
}
