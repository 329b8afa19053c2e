package dev.ordercachesync.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Says in a few short lines how a cached value differs from the contract's, and which orders the
 * difference is about (those are re-read from the table before the key is called divergent).
 */
final class ValueDiff {
    static final int MAX_INVOLVED_IDS = 200;
    private static final int MAX_NAMED = 5;
    private static final int MAX_VALUE_CHARS = 80;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Short lines saying what differs. */
    final List<String> lines = new ArrayList<>();
    /** Orders the difference is about. */
    final Set<String> involvedIds = new LinkedHashSet<>();

    private ValueDiff() {}

    /** Both values null or equal is not a difference; callers only ask about differing values. */
    static ValueDiff of(KeyRole role, String expected, String actual) {
        ValueDiff diff = new ValueDiff();
        if (role.isList()) {
            diff.compareLists(role, expected, actual);
        } else {
            diff.compareDetails(role, expected, actual);
        }
        return diff;
    }

    private void compareDetails(KeyRole role, String expected, String actual) {
        involvedIds.add(role.subject);
        if (expected == null) {
            lines.add("should not exist: order " + role.subject + " is not an order in the table");
            return;
        }
        if (actual == null) {
            lines.add("missing");
            return;
        }
        JsonNode want = parse(expected);
        JsonNode got = parse(actual);
        if (got == null || !got.isObject()) {
            lines.add("cached value is not a JSON object");
            return;
        }
        Set<String> fields = new LinkedHashSet<>();
        want.fieldNames().forEachRemaining(fields::add);
        got.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            JsonNode w = want.get(field);
            JsonNode g = got.get(field);
            if (!Objects.equals(w, g)) {
                lines.add(field + ": expected " + show(w) + ", actual " + show(g));
            }
        }
        if (lines.isEmpty()) {
            lines.add("same fields and values, different JSON text (field order or formatting)");
        }
    }

    private void compareLists(KeyRole role, String expected, String actual) {
        List<Entry> want = expected == null ? null : entries(parse(expected));
        List<Entry> got = actual == null ? null : entries(parse(actual));
        if (actual != null && got == null) {
            lines.add("cached value is not a JSON array of order summaries");
            if (want != null) {
                want.forEach(e -> involve(e.id));
            }
            return;
        }
        if (expected == null) {
            lines.add("should not exist: creator " + role.subject + " has no orders in the table");
            got.forEach(e -> involve(e.id));
            return;
        }
        if (actual == null) {
            lines.add("missing (expected " + want.size() + " entries)");
            want.forEach(e -> involve(e.id));
            return;
        }
        Map<String, JsonNode> wantById = new LinkedHashMap<>();
        want.forEach(e -> wantById.put(e.id, e.node));
        Map<String, JsonNode> gotById = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Entry e : got) {
            gotById.putIfAbsent(e.id, e.node);
            counts.merge(e.id, 1, Integer::sum);
        }
        List<String> duplicated = new ArrayList<>();
        counts.forEach((id, n) -> {
            if (n > 1) {
                duplicated.add(id + " (x" + n + ")");
                involve(id);
            }
        });
        List<String> missing = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : wantById.entrySet()) {
            JsonNode g = gotById.get(e.getKey());
            if (g == null) {
                missing.add(e.getKey());
                involve(e.getKey());
            } else if (!g.equals(e.getValue())) {
                stale.add(e.getKey() + " " + fieldDiff(e.getValue(), g));
                involve(e.getKey());
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String id : gotById.keySet()) {
            if (!wantById.containsKey(id)) {
                unexpected.add(id);
                involve(id);
            }
        }
        addNamed("duplicated entries", duplicated);
        addNamed("missing entries", missing);
        addNamed("unexpected entries", unexpected);
        addNamed("stale entries", stale);

        List<String> wantOrder = new ArrayList<>();
        for (String id : wantById.keySet()) {
            if (gotById.containsKey(id)) {
                wantOrder.add(id);
            }
        }
        List<String> gotOrder = new ArrayList<>();
        for (String id : gotById.keySet()) {
            if (wantById.containsKey(id)) {
                gotOrder.add(id);
            }
        }
        if (!wantOrder.equals(gotOrder)) {
            List<String> moved = new ArrayList<>();
            for (int i = 0; i < wantOrder.size(); i++) {
                if (!wantOrder.get(i).equals(gotOrder.get(i))) {
                    moved.add(wantOrder.get(i));
                    involve(wantOrder.get(i));
                }
            }
            int first = wantOrder.indexOf(moved.get(0));
            lines.add("out of order (newest createdAt first, ties by id): from position " + (first + 1)
                    + " expected " + named(wantOrder.subList(first, wantOrder.size()))
                    + ", actual " + named(gotOrder.subList(first, gotOrder.size())));
        }
        if (lines.isEmpty()) {
            lines.add("same entries in the same order, different JSON text (field order or formatting)");
        }
    }

    private void involve(String id) {
        if (id != null && involvedIds.size() < MAX_INVOLVED_IDS) {
            involvedIds.add(id);
        }
    }

    private void addNamed(String what, List<String> items) {
        if (!items.isEmpty()) {
            lines.add(what + ": " + named(items));
        }
    }

    private static String fieldDiff(JsonNode want, JsonNode got) {
        Set<String> fields = new TreeSet<>();
        want.fieldNames().forEachRemaining(fields::add);
        got.fieldNames().forEachRemaining(fields::add);
        List<String> parts = new ArrayList<>();
        for (String field : fields) {
            if (!Objects.equals(want.get(field), got.get(field))) {
                parts.add(field + " expected " + show(want.get(field)) + ", actual " + show(got.get(field)));
            }
        }
        return "(" + String.join("; ", parts) + ")";
    }

    static String named(List<String> items) {
        List<String> shown = items.size() > MAX_NAMED ? items.subList(0, MAX_NAMED) : items;
        String text = String.join(", ", shown);
        return items.size() > MAX_NAMED ? text + " and " + (items.size() - MAX_NAMED) + " more" : text;
    }

    private static String show(JsonNode node) {
        return node == null ? "(absent)" : abbreviate(node.toString(), MAX_VALUE_CHARS);
    }

    static String abbreviate(String s, int max) {
        if (s == null) {
            return "(absent)";
        }
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            return null;
        }
    }

    /** Ids (null for an entry without a string id) and entries of a list value; null if it is not a list. */
    static List<Entry> entries(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        List<Entry> entries = new ArrayList<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            JsonNode node = it.next();
            JsonNode id = node.get("id");
            entries.add(new Entry(id != null && id.isTextual() ? id.asText() : null, node));
        }
        return entries;
    }

    /** Ids named by the entries of a list value; empty when it is not a list. */
    static List<String> idsIn(String listValue) {
        List<Entry> entries = listValue == null ? null : entries(parse(listValue));
        List<String> ids = new ArrayList<>();
        if (entries != null) {
            for (Entry e : entries) {
                if (e.id != null) {
                    ids.add(e.id);
                }
            }
        }
        return ids;
    }

    /** The creator an admin detail value names, or null. */
    static String creatorIn(String adminValue) {
        JsonNode node = adminValue == null ? null : parse(adminValue);
        JsonNode creator = node == null ? null : node.get("creator");
        return creator != null && creator.isTextual() ? creator.asText() : null;
    }

    static final class Entry {
        final String id;
        final JsonNode node;

        Entry(String id, JsonNode node) {
            this.id = id;
            this.node = node;
        }
    }
}
