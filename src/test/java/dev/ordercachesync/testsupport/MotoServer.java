package dev.ordercachesync.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A moto server (DynamoDB, DynamoDB Streams and Secrets Manager over HTTP) as a child process on a free
 * loopback port, run by {@code deploy/local/moto_launcher.py}. Its log goes to {@code target/moto/}. The child
 * exits when its standard input closes, so it ends with this JVM however the JVM ends (Ctrl-C, a failed test, a
 * kill); {@link #close()} ends it sooner.
 *
 * <p>The interpreter is the one {@code deploy/local/moto.sh python} chose (it installs the version pinned in
 * pom.xml when none is found); Maven runs that script before the tests, and this class runs it when the file
 * it leaves is missing (a run from an IDE).
 */
public final class MotoServer implements AutoCloseable {
    static final String PYTHON_PROPERTY = "moto.python";
    private static final Path PROJECT = Paths.get("").toAbsolutePath();
    private static final Path CHOSEN_PYTHON = PROJECT.resolve("target/moto/python");
    private static final Path RESOLVER = PROJECT.resolve("deploy/local/moto.sh");
    private static final Path LAUNCHER = PROJECT.resolve("deploy/local/moto_launcher.py");
    private static final Path LOG_DIR = PROJECT.resolve("target/moto");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One server per JVM, lent to one user at a time and reset between users. */
    private static MotoServer shared;
    private static boolean sharedLent;

    private final Process process;
    private final OutputStream lifeline;
    private final int port;
    private final URI endpoint;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.lifeline = process.getOutputStream();
        this.port = port;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.log = log;
    }

    /**
     * An empty server for one user: this JVM's shared one, reset, when nobody else holds it (starting it costs
     * about a second), or a new one of the caller's own while it is lent out, so users never see each other's data.
     */
    public static synchronized Lease lease() {
        if (sharedLent) {
            return new Lease(start(), false);
        }
        if (shared == null || !shared.isAlive()) {
            shared = start();
            MotoServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "moto-shutdown"));
        } else {
            shared.reset();
        }
        sharedLent = true;
        return new Lease(shared, true);
    }

    private static synchronized void giveBack() {
        sharedLent = false;
    }

    /** The use of a server until {@link #close()}: gives the shared one back, or stops one of the caller's own. */
    public static final class Lease implements AutoCloseable {
        private final MotoServer server;
        private final boolean isShared;
        private boolean closed;

        private Lease(MotoServer server, boolean isShared) {
            this.server = server;
            this.isShared = isShared;
        }

        public MotoServer server() {
            return server;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (isShared) {
                giveBack();
            } else {
                server.close();
            }
        }
    }

    /** Starts a server of its own and waits until it answers. */
    public static MotoServer start() {
        String python = python();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int port = freePort();
            try {
                return launch(python, port);
            } catch (IllegalStateException e) {
                // Most likely the port was taken between probing and binding it: try another.
                last = e;
            }
        }
        throw last;
    }

    private static MotoServer launch(String python, int port) {
        Path log = LOG_DIR.resolve("moto-" + port + ".log");
        Process process;
        try {
            Files.createDirectories(LOG_DIR);
            List<String> command = new ArrayList<>(List.of(python, LAUNCHER.toString(), Integer.toString(port)));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // Keep AWS settings of the developer's shell out of the emulator.
            builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + python + " to start moto: " + e.getMessage()
                    + ". Run deploy/local/moto.sh python to see what is missing.", e);
        }
        MotoServer server = new MotoServer(process, port, log);
        server.awaitReady();
        return server;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited during start-up with status " + process.exitValue()
                        + "; its log: " + log + "\n" + tail(log));
            }
            try {
                if (HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while waiting for moto to start", e);
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("moto did not answer on " + endpoint + " within " + READY_TIMEOUT
                        + "; its log: " + log + "\n" + tail(log));
            }
            sleep(50);
        }
    }

    /** http://127.0.0.1:PORT */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Forgets every table, stream and secret (moto's own reset call), so the next user starts empty. */
    public void reset() {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                throw new IllegalStateException("moto's reset on " + endpoint + " answered HTTP " + status);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not reset moto on " + endpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted resetting moto", e);
        }
    }

    @Override
    public void close() {
        try {
            lifeline.close();
        } catch (IOException ignored) {
            // the child is going away either way
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The Python that runs moto: -Dmoto.python, else what deploy/local/moto.sh chose (running it if needed). */
    static String python() {
        String configured = System.getProperty(PYTHON_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (!Files.isRegularFile(CHOSEN_PYTHON)) {
            runResolver();
        }
        try {
            String python = new String(Files.readAllBytes(CHOSEN_PYTHON), StandardCharsets.UTF_8).trim();
            if (python.isEmpty()) {
                throw new IllegalStateException(CHOSEN_PYTHON + " is empty; delete it and run deploy/local/moto.sh python");
            }
            return python;
        } catch (IOException e) {
            throw new IllegalStateException("Could not read " + CHOSEN_PYTHON + ": " + e.getMessage(), e);
        }
    }

    private static void runResolver() {
        if (!Files.isRegularFile(RESOLVER)) {
            throw new IllegalStateException("No " + RESOLVER + ": run from the project's root, or pass -D"
                    + PYTHON_PROPERTY + "=/path/to/python (a Python that imports moto).");
        }
        try {
            Process resolve = new ProcessBuilder("bash", RESOLVER.toString(), "python").inheritIO().start();
            int status = resolve.waitFor();
            if (status != 0) {
                throw new IllegalStateException(RESOLVER + " python failed (exit " + status + "); its message is above.");
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + RESOLVER + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while finding moto", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** A loopback port nothing listens on (at the time of asking). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free loopback port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
