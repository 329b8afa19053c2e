package dev.ordercachesync.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/** What the figures were measured on. */
final class Machine {
    private Machine() {}

    /** CPU time this process has used, all threads: server, SDK clients, Flink and baseline alike. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
    }

    /** The 1, 5 and 15 minute load averages, as uptime prints them. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException e) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return String.format("%.2f (1 min)", one);
        }
    }

    static void describe(Map<String, String> into) {
        into.put("cores (nproc)", Integer.toString(Runtime.getRuntime().availableProcessors()));
        into.put("CPU", firstValue("/proc/cpuinfo", "model name"));
        String mem = firstValue("/proc/meminfo", "MemTotal");
        if (mem.endsWith("kB")) {
            mem = String.format("%.1f GiB", Long.parseLong(mem.replace("kB", "").trim()) / 1024.0 / 1024.0);
        }
        into.put("memory", mem);
        into.put("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        into.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }

    private static String firstValue(String file, String field) {
        try {
            List<String> lines = Files.readAllLines(Paths.get(file));
            for (String line : lines) {
                if (line.startsWith(field)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: say so below
        }
        return "unknown";
    }
}
