package dev.ordercachesync.verify;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What a check found, printed for people; {@link #exitStatus()} for scripts. */
public final class VerifyReport {
    public static final int CONSISTENT = 0;
    public static final int DIVERGENT = 1;
    /** Some keys could not be judged (unreadable, or their orders kept changing), none found divergent. */
    public static final int INCOMPLETE = 2;

    private static final int VALUE_CHARS = 160;

    TableReader.Scan scan;
    int ordersScanned;
    int rejectedScanned;
    int otherItemsScanned;
    int keysChecked;
    int keysExpectedPresent;
    int keysExpectedAbsent;
    int differingAtFirst;
    int recheckRounds;
    int ordersReread;
    final Set<String> ordersChangedDuringCheck = new TreeSet<>();
    final List<Divergence> divergent = new ArrayList<>();
    final List<Divergence> unsettled = new ArrayList<>();
    final Set<String> settled = new TreeSet<>();
    final Map<String, String> unreadable = new TreeMap<>();
    final Map<String, String> notChecked = new TreeMap<>();
    final Map<String, String> rejected = new TreeMap<>();

    VerifyReport() {}

    /** Keys whose cached value is confirmed not to be the contract's. */
    public Set<String> divergentKeys() {
        Set<String> keys = new TreeSet<>();
        divergent.forEach(d -> keys.add(d.key));
        return keys;
    }

    public Set<String> unsettledKeys() {
        Set<String> keys = new TreeSet<>();
        unsettled.forEach(d -> keys.add(d.key));
        return keys;
    }

    /** Keys that differed at first and matched once their orders were re-read. */
    public Set<String> settledKeys() {
        return settled;
    }

    public Set<String> unreadableKeys() {
        return unreadable.keySet();
    }

    public Map<String, String> notCheckedKeys() {
        return notChecked;
    }

    public int keysChecked() {
        return keysChecked;
    }

    public int keysExpectedAbsent() {
        return keysExpectedAbsent;
    }

    public int ordersScanned() {
        return ordersScanned;
    }

    public Set<String> ordersChangedDuringCheck() {
        return ordersChangedDuringCheck;
    }

    public int exitStatus() {
        if (!divergent.isEmpty()) {
            return DIVERGENT;
        }
        return unreadable.isEmpty() && unsettled.isEmpty() ? CONSISTENT : INCOMPLETE;
    }

    public void print(PrintStream out, String tableName, String cacheDescription) {
        out.printf(Locale.ROOT, "Checked cache %s against table %s (read-only).%n", cacheDescription, tableName);
        out.printf(Locale.ROOT, "Table: %d items in %d segments, %d pages, %s, %s: %d orders, %d orders the job rejects, %d other items.%n",
                scan.items.size(), scan.segments, scan.pages,
                scan.consumedReadUnits < 0 ? "read units not reported"
                        : String.format(Locale.ROOT, "%.1f read units", scan.consumedReadUnits),
                Durations.format(java.time.Duration.ofMillis(scan.millis)),
                ordersScanned, rejectedScanned, otherItemsScanned);
        out.printf(Locale.ROOT, "Cache: read %d keys: %d the contract says must exist, %d that must not exist "
                + "(details of ids named by the scan, list entries or --ids; lists of creators named by admin values, "
                + "rejected items or --creators).%n", keysChecked, keysExpectedPresent, keysExpectedAbsent);
        if (differingAtFirst > 0) {
            out.printf(Locale.ROOT, "Re-check: %s differed at first; %s re-read in %s, %d of them changed "
                    + "during the check; %s then matched.%n", count(differingAtFirst, "key"), count(ordersReread, "order"),
                    count(recheckRounds, "round"), ordersChangedDuringCheck.size(), count(settled.size(), "key"));
        }
        if (!rejected.isEmpty()) {
            out.println("Orders the job rejects (it dead-letters their changes, so their detail keys are not checked):");
            rejected.forEach((id, why) -> out.println("  " + id + "  " + ValueDiff.abbreviate(why, VALUE_CHARS)));
        }
        for (Divergence d : divergent) {
            d.print(out, "DIVERGENT");
        }
        for (Divergence d : unsettled) {
            d.print(out, "UNSETTLED (its orders kept changing; run the check again)");
        }
        unreadable.forEach((key, error) -> out.println("UNREADABLE " + key + "  " + error));
        notChecked.forEach((key, why) -> out.println("NOT CHECKED " + key + "  " + why));
        out.println("Limits: Momento cannot list keys. A key left behind by a deleted order is found only when its id "
                + "is named by an item of the table, an entry of a list in the cache, or --ids; a creator's list only "
                + "when an admin value in the cache, a rejected item or --creators names the creator. Orders created "
                + "after the scan are checked only where the cache already names them.");
        out.printf(Locale.ROOT, "SUMMARY: %d keys checked, %d match, %d divergent, %d unsettled, %d unreadable, %d not checked; "
                        + "%d matched after re-check. RESULT: %s%n",
                keysChecked, keysChecked - divergent.size() - unsettled.size() - unreadable.size() - notChecked.size(),
                divergent.size(), unsettled.size(), unreadable.size(), notChecked.size(), settled.size(),
                exitStatus() == CONSISTENT ? "CONSISTENT" : exitStatus() == DIVERGENT ? "DIVERGENT" : "INCOMPLETE");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** One key whose cached value is not the contract's. */
    public static final class Divergence {
        public final String key;
        final KeyRole role;
        public final String expected;
        public final String actual;
        public final List<String> lines;

        Divergence(String key, KeyRole role, String expected, String actual, List<String> lines) {
            this.key = key;
            this.role = role;
            this.expected = expected;
            this.actual = actual;
            this.lines = lines;
        }

        void print(PrintStream out, String label) {
            out.println(label + " " + key + "  (" + role + ")");
            for (String line : lines) {
                out.println("    " + line);
            }
            out.println("    expected: " + ValueDiff.abbreviate(expected, VALUE_CHARS));
            out.println("    actual:   " + ValueDiff.abbreviate(actual, VALUE_CHARS));
        }
    }
}
