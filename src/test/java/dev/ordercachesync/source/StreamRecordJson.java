package dev.ordercachesync.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordercachesync.model.RawStreamRecord;

/** Builds DynamoDB Streams records in the JSON shape the source hands over, for tests. */
public final class StreamRecordJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StreamRecordJson() {}

    public static ObjectNode s(String value) {
        return MAPPER.createObjectNode().put("S", value);
    }

    public static ObjectNode n(String value) {
        return MAPPER.createObjectNode().put("N", value);
    }

    public static ObjectNode l(ObjectNode... values) {
        ObjectNode node = MAPPER.createObjectNode();
        ArrayNode list = node.putArray("L");
        for (ObjectNode v : values) {
            list.add(v);
        }
        return node;
    }

    public static ObjectNode m(ObjectNode map) {
        ObjectNode node = MAPPER.createObjectNode();
        node.set("M", map);
        return node;
    }

    public static ObjectNode pizza(String size, String crust, String sauce, String... toppings) {
        ObjectNode item = MAPPER.createObjectNode();
        item.set("size", s(size));
        item.set("crust", s(crust));
        item.set("sauce", s(sauce));
        ObjectNode[] t = new ObjectNode[toppings.length];
        for (int i = 0; i < toppings.length; i++) {
            t[i] = s(toppings[i]);
        }
        item.set("toppings", l(t));
        return m(item);
    }

    /** An order image as the table stores it. */
    public static ObjectNode order(String id, String creator, String createdAt, String status, String lastUpdated,
                                   ObjectNode... pizzas) {
        ObjectNode image = MAPPER.createObjectNode();
        image.set("pk", s(id));
        image.set("sk", s("metadata"));
        image.set("type", s("order"));
        image.set("creator", s(creator));
        image.set("createdAt", s(createdAt));
        image.set("status", s(status));
        image.set("numItems", n(Integer.toString(pizzas.length)));
        image.set("items", l(pizzas));
        if (lastUpdated != null) {
            image.set("lastUpdated", s(lastUpdated));
        }
        return image;
    }

    public static RawStreamRecord record(String eventName, String sequence, ObjectNode newImage, ObjectNode oldImage) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("eventID", "e-" + sequence);
        root.put("eventName", eventName);
        root.put("eventSource", "aws:dynamodb");
        ObjectNode ddb = root.putObject("dynamodb");
        ObjectNode image = newImage != null ? newImage : oldImage;
        ObjectNode keys = ddb.putObject("Keys");
        keys.set("pk", image.get("pk"));
        keys.set("sk", image.get("sk"));
        if (newImage != null) {
            ddb.set("NewImage", newImage);
        }
        if (oldImage != null) {
            ddb.set("OldImage", oldImage);
        }
        ddb.put("SequenceNumber", sequence);
        ddb.put("StreamViewType", "NEW_AND_OLD_IMAGES");
        return new RawStreamRecord(root.toString(), "shardId-000001", sequence);
    }

    public static RawStreamRecord insert(String sequence, ObjectNode image) {
        return record("INSERT", sequence, image, null);
    }

    public static RawStreamRecord modify(String sequence, ObjectNode newImage, ObjectNode oldImage) {
        return record("MODIFY", sequence, newImage, oldImage);
    }

    public static RawStreamRecord remove(String sequence, ObjectNode oldImage) {
        return record("REMOVE", sequence, null, oldImage);
    }
}
