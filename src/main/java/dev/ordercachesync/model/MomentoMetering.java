package dev.ordercachesync.model;

/**
 * How Momento meters a call: one operation per started KiB of the item, key and value together, and at least one
 * per call. The sink spends its budget in these units and the loopback server's quota charges them, so both count
 * the same way.
 */
public final class MomentoMetering {
    public static final int BYTES_PER_OPERATION = 1024;

    private MomentoMetering() {}

    /** Operations charged for an item of this many key and value bytes (a delete or get has no value bytes). */
    public static long operations(long keyBytes, long valueBytes) {
        long bytes = keyBytes + valueBytes;
        return Math.max(1, (bytes + BYTES_PER_OPERATION - 1) / BYTES_PER_OPERATION);
    }

    /** Length in UTF-8 bytes, as the Momento SDK encodes string keys and values, without copying the string. */
    public static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
