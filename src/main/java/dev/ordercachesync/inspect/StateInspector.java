package dev.ordercachesync.inspect;

import dev.ordercachesync.job.OperatorIds;
import dev.ordercachesync.views.OrderSummary;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints what a savepoint of the job holds: per order its last applied sequence number, creator and tombstone
 * (with its age), per list its members, and where the source resumes. For one order, one list, or everything:
 *
 * <pre>
 * StateInspector --savepoint PATH [--order ID | --list KEY] [--tombstone-retention 48h]
 * </pre>
 *
 * Exit status: 0 printed, 1 the order or list is not in the savepoint, 2 bad arguments.
 */
public final class StateInspector {
    static final String USAGE = "usage: StateInspector --savepoint PATH [--order ID | --list KEY] [--tombstone-retention 48h]";

    private StateInspector() {}

    public static void main(String[] args) throws Exception {
        Query query;
        try {
            query = Query.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        SavepointState state = SavepointState.read(StreamExecutionEnvironment.getExecutionEnvironment(), query.savepoint);
        System.exit(print(state, query, Instant.now(), System.out));
    }

    /** What to print. */
    static final class Query {
        final String savepoint;
        final String orderId;
        final String listKey;
        final Duration tombstoneRetention;

        Query(String savepoint, String orderId, String listKey, Duration tombstoneRetention) {
            this.savepoint = savepoint;
            this.orderId = orderId;
            this.listKey = listKey;
            this.tombstoneRetention = tombstoneRetention;
        }

        static Query parse(String[] args) {
            String savepoint = null;
            String order = null;
            String list = null;
            Duration retention = Duration.ofHours(48);
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--savepoint":
                        savepoint = value;
                        break;
                    case "--order":
                        order = value;
                        break;
                    case "--list":
                        list = value;
                        break;
                    case "--tombstone-retention":
                        try {
                            retention = TimeUtils.parseDuration(value);
                        } catch (RuntimeException e) {
                            throw new IllegalArgumentException("--tombstone-retention: '" + value + "' is not a duration such as 48h");
                        }
                        break;
                    default:
                        throw new IllegalArgumentException("unknown argument " + name);
                }
            }
            if (savepoint == null) {
                throw new IllegalArgumentException("--savepoint is required");
            }
            if (order != null && list != null) {
                throw new IllegalArgumentException("give --order or --list, not both");
            }
            return new Query(savepoint, order, list, retention);
        }
    }

    /** Prints the part of {@code state} the query asks for; returns the exit status. */
    static int print(SavepointState state, Query query, Instant now, PrintStream out) {
        out.println("Savepoint " + query.savepoint);
        if (query.orderId != null) {
            SavepointState.OrderState order = state.orders.get(query.orderId);
            if (order == null) {
                out.println("No state for order " + query.orderId + " (never seen, or its tombstone was cleaned up).");
                return 1;
            }
            out.println(orderLine(order, now, query.tombstoneRetention));
            List<String> in = new ArrayList<>();
            for (Map.Entry<String, List<OrderSummary>> list : state.lists.entrySet()) {
                for (OrderSummary member : list.getValue()) {
                    if (member.id.equals(query.orderId)) {
                        in.add(list.getKey() + " (" + member.status + ")");
                    }
                }
            }
            out.println("  in lists: " + (in.isEmpty() ? "none" : String.join(", ", in)));
            return 0;
        }
        if (query.listKey != null) {
            List<OrderSummary> members = state.lists.get(query.listKey);
            if (members == null) {
                out.println("No list " + query.listKey + " (no members; a creator's list is deleted when empty).");
                return 1;
            }
            printList(query.listKey, members, out);
            return 0;
        }
        out.println("Source shards (" + OperatorIds.SOURCE + "): " + state.shards.size());
        for (SavepointState.ShardPosition shard : state.shards.values()) {
            out.println("  shard " + shard.shardId + " of " + shard.stream + ": resumes after " + shard.position);
        }
        long live = state.orders.values().stream().filter(SavepointState.OrderState::isLive).count();
        out.println("Orders (" + OperatorIds.SEQUENCER + "): " + live + " live, " + (state.orders.size() - live) + " removed");
        for (SavepointState.OrderState order : state.orders.values()) {
            out.println(orderLine(order, now, query.tombstoneRetention));
        }
        out.println("Lists (" + OperatorIds.LIST_MATERIALIZER + "): " + state.lists.size());
        for (Map.Entry<String, List<OrderSummary>> list : state.lists.entrySet()) {
            printList(list.getKey(), list.getValue(), out);
        }
        return 0;
    }

    static String orderLine(SavepointState.OrderState order, Instant now, Duration retention) {
        StringBuilder line = new StringBuilder("  order ").append(order.orderId);
        if (order.isLive()) {
            line.append("  live  last-sequence ").append(order.lastSequence).append("  creator ").append(order.creator);
        }
        if (order.tombstone != null) {
            Instant expires = order.tombstoneWrittenAt.plus(retention);
            line.append(order.isLive() ? "  " : "  removed  ")
                    .append("tombstone ").append(order.tombstone)
                    .append("  written ").append(order.tombstoneWrittenAt)
                    .append(" (age ").append(human(Duration.between(order.tombstoneWrittenAt, now)))
                    .append(now.isBefore(expires)
                            ? "; expires in " + human(Duration.between(now, expires))
                            : "; expired, the job ignores it")
                    .append(" with tombstone-retention ").append(human(retention)).append(')');
        }
        return line.toString();
    }

    /** 2d 3h, 5h 07m, 12m 30s, 45s. */
    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        long days = s / 86_400;
        long hours = s % 86_400 / 3_600;
        long minutes = s % 3_600 / 60;
        long seconds = s % 60;
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        if (hours > 0) {
            return String.format("%dh %02dm", hours, minutes);
        }
        if (minutes > 0) {
            return String.format("%dm %02ds", minutes, seconds);
        }
        return seconds + "s";
    }

    private static void printList(String key, List<OrderSummary> members, PrintStream out) {
        out.println("  list " + key + ": " + members.size() + " members");
        for (OrderSummary m : members) {
            out.println("    " + m.id + "  " + m.status + "  createdAt " + m.createdAt + "  numItems " + m.numItems
                    + (m.lastUpdated == null ? "" : "  lastUpdated " + m.lastUpdated));
        }
    }
}
