package dev.ordercachesync.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code host:port} address, as the job and the verify command accept for a local Momento server. */
public final class HostPort {
    private static final Pattern HOST_PORT = Pattern.compile("^([A-Za-z0-9.\\-]+|\\[[0-9a-fA-F:]+\\]):(\\d{1,5})$");

    public final String host;
    public final int port;

    private HostPort(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** The address, or null when {@code value} is not host:port with a port from 1 to 65535. */
    public static HostPort parseOrNull(String value) {
        Matcher m = HOST_PORT.matcher(value);
        if (!m.matches()) {
            return null;
        }
        int port = Integer.parseInt(m.group(2));
        return port > 0 && port < 65536 ? new HostPort(m.group(1), port) : null;
    }
}
