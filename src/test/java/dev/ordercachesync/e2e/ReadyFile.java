package dev.ordercachesync.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** How a helper process tells the script it is ready: name=value lines, written whole or not at all. */
final class ReadyFile {
    private ReadyFile() {}

    static void write(String path, Map<String, String> values) throws IOException {
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path target = Paths.get(path);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, text.toString().getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The value after {@code --name} in {@code args}. */
    static String arg(String[] args, String name) {
        String value = arg(args, name, null);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--" + name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
