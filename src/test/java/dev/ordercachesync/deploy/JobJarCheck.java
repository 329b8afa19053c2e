package dev.ordercachesync.deploy;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks the shaded job jar holds only what runs on a cluster: no Kinesis Producer Library executables, no native
 * library for an operating system other than Linux, no test servers or test code, and no more than the size limit.
 * Run by {@code mvn verify} (exec-maven-plugin, phase verify): {@code JobJarCheck JAR MAX_BYTES}.
 */
public final class JobJarCheck {
    /** Paths that only tests, the demo or the benchmark use, or that only other features of the connector need. */
    static final List<String> FORBIDDEN_PREFIXES = List.of(
            "amazon-kinesis-producer-native-binaries/",
            // Enhanced fan-out's client, which DynamoDB streams never use.
            "org/apache/flink/kinesis/shaded/software/amazon/awssdk/services/kinesis/",
            "org/apache/flink/kinesis/shaded/io/netty/",
            "dev/ordercachesync/localmomento/",
            "dev/ordercachesync/testsupport/",
            "dev/ordercachesync/e2e/",
            "dev/ordercachesync/bench/",
            "dev/ordercachesync/local/",
            "org/junit/",
            "org/assertj/");
    private static final Pattern NATIVE = Pattern.compile(".*\\.(so|dll|dylib|jnilib)$|.*(^|/)kinesis_producer[^/]*$");
    private static final Pattern OTHER_OS = Pattern.compile(".*(osx|macos|darwin|windows|win32|win64|\\.dll$|\\.dylib$|\\.jnilib$).*");
    static final String MAIN_CLASS = "dev/ordercachesync/job/OrderCacheSyncJob.class";
    /**
     * Classes the bundled libraries load by name, which minimizeJar cannot see: the stream consumer's shaded AWS SDK v1
     * loads the first to use web identity credentials (IRSA on Kubernetes), and it needs the second.
     */
    static final List<String> LOADED_BY_NAME = List.of(
            "org.apache.flink.kinesis.shaded.com.amazonaws.services.securitytoken.internal.STSProfileCredentialsService",
            "org.apache.flink.kinesis.shaded.com.amazonaws.auth.STSAssumeRoleWithWebIdentitySessionCredentialsProvider");

    private JobJarCheck() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: JobJarCheck JAR MAX_BYTES");
        }
        List<String> problems = problems(new File(args[0]), Long.parseLong(args[1]));
        problems.addAll(unloadable(new File(args[0])));
        if (!problems.isEmpty()) {
            System.err.println("The job jar " + args[0] + " is not what runs on a cluster:");
            problems.forEach(p -> System.err.println("  - " + p));
            System.exit(1);
        }
        System.out.println("Job jar " + args[0] + ": " + new File(args[0]).length() + " bytes (limit " + args[1]
                + "), no producer binaries, Linux natives only, no test code");
    }

    /** Everything wrong with the jar, each naming the entry or the size and what to do. */
    static List<String> problems(File jar, long maxBytes) throws IOException {
        List<String> problems = new ArrayList<>();
        if (jar.length() > maxBytes) {
            problems.add("it is " + jar.length() + " bytes, over the limit of " + maxBytes
                    + " (job.jar.max.bytes): exclude what the job does not run in the shade plugin's configuration");
        }
        boolean hasMain = false;
        try (ZipFile zip = new ZipFile(jar)) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                hasMain |= name.equals(MAIN_CLASS);
                for (String prefix : FORBIDDEN_PREFIXES) {
                    if (name.startsWith(prefix)) {
                        problems.add(name + ": under " + prefix + ", which the job never runs");
                    }
                }
                String lower = name.toLowerCase(Locale.ROOT);
                if (NATIVE.matcher(lower).matches() && OTHER_OS.matcher(lower).matches()) {
                    problems.add(name + ": a native library for another operating system; Managed Flink runs Linux");
                }
            }
        }
        if (!hasMain) {
            problems.add("no " + MAIN_CLASS + ": this is not the job jar");
        }
        return problems;
    }

    /** The classes of {@link #LOADED_BY_NAME} that the jar alone cannot load and link as the SDK does, each named. */
    static List<String> unloadable(File jar) throws IOException {
        List<String> problems = new ArrayList<>();
        // Class.forName, then a new instance, as the SDK does; the parent is the boot loader: the jar alone.
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toURI().toURL()}, null)) {
            for (String name : LOADED_BY_NAME) {
                try {
                    Class<?> c = Class.forName(name, true, loader);
                    if (name.endsWith("STSProfileCredentialsService")) {
                        c.getConstructor().newInstance();
                    }
                } catch (ReflectiveOperationException | LinkageError e) {
                    problems.add(name + " cannot be loaded from the jar (" + e + "): a library loads it by name, so keep it"
                            + " reachable (see dev.ordercachesync.aws.StreamsConsumerWebIdentity)");
                }
            }
        }
        return problems;
    }
}
