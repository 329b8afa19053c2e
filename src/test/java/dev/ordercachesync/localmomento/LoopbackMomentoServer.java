package dev.ordercachesync.localmomento;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory server speaking Momento's gRPC protocol on 127.0.0.1, so tests and local runs can use the real
 * Momento SDK without an account or network. Point the SDK at it with
 * {@code new MomentoLocalProvider("127.0.0.1", server.port())}: that provider speaks plaintext and sends an
 * empty auth token, which this server ignores.
 *
 * <p>Serves get, set and delete per cache name (the {@code cache} header), honours TTLs against an injectable
 * clock, and serves listCaches/createCache/deleteCache/flushCache. Other Momento RPCs answer UNIMPLEMENTED.
 * Faults are injected through {@link #faults()}. Another process has no inspection API: it reads items back
 * through the SDK's get like any client.
 */
public final class LoopbackMomentoServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    /** The entry {@link #writeHistory} records for a delete. */
    public static final String DELETED = Keyspace.DELETED;

    /** The cache {@link #main} creates when none is named. */
    public static final String DEFAULT_CACHE = "pizza";

    private static final Logger LOG = LoggerFactory.getLogger(LoopbackMomentoServer.class);

    private final LongSupplier clockMillis;
    private final CacheStore caches = new CacheStore();
    private final OperationStats stats = new OperationStats();
    private final FaultPlan faults;
    private final ScheduledExecutorService delayedAnswers;
    private final Server server;
    // Cached because gRPC refuses to report the port once the server has terminated, and logs want it then.
    private volatile int boundPort = -1;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LoopbackMomentoServer(Builder builder) {
        this.clockMillis = builder.clockMillis;
        this.faults = new FaultPlan(builder.faultSeed);
        builder.caches.forEach(caches::create);
        this.delayedAnswers = Executors.newScheduledThreadPool(2, daemonThreads("loopback-momento-delay-"));
        CallDispatcher dispatcher = new CallDispatcher(faults, stats, delayedAnswers);
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(HOST, builder.port))
                // The SDK keeps its connection alive with pings even when idle; grpc-java's server defaults (one
                // ping per 5 min, none without calls) answer that with GOAWAY "too_many_pings" after ~30 s idle,
                // which makes the client drop and rebuild its connection and log warnings.
                .permitKeepAliveTime(1, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .addService(ServerInterceptors.intercept(
                        new DataPlaneService(caches, dispatcher, stats, clockMillis, builder.writeListener), new CacheNameInterceptor()))
                .addService(new ControlPlaneService(caches, dispatcher))
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the port and starts serving. */
    public LoopbackMomentoServer start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not bind loopback Momento server", e);
        }
        boundPort = server.getPort();
        LOG.info("loopback Momento server listening on {}:{} with caches {}", HOST, boundPort, caches.names());
        return this;
    }

    /** The bound port; with port 0 requested, the ephemeral port the system chose. */
    public int port() {
        if (boundPort < 0) {
            throw new IllegalStateException("server not started");
        }
        return boundPort;
    }

    /** @return false if the cache already existed */
    public boolean createCache(String name) {
        return caches.create(requireCacheName(name));
    }

    public List<String> cacheNames() {
        return caches.names();
    }

    /** The fault plan consulted on every call; changes apply to calls arriving afterwards. */
    public FaultPlan faults() {
        return faults;
    }

    public void clearFaults() {
        faults.clear();
    }

    /**
     * Every live item of the cache, keys and values decoded as UTF-8, sorted by key.
     *
     * @throws IllegalArgumentException if there is no such cache, which in a test is almost always a typo
     */
    public SortedMap<String, String> snapshot(String cacheName) {
        return existing(cacheName).snapshot(clockMillis.getAsLong());
    }

    /** Sets and deletes applied so far, over all caches (injected failures are not counted). */
    public long writeCount() {
        return stats.appliedWrites();
    }

    /** Data-plane calls served and refused by the quota ({@link FaultPlan#quota}), with their metered operations. */
    public QuotaStats quotaStats() {
        return stats.quotaStats();
    }

    /** Calls received per RPC name ({@link RpcNames}), counted on arrival: retries and failed attempts included. */
    public Map<String, Long> operationCounts() {
        return stats.callsByRpc();
    }

    /**
     * The writes applied to one key, oldest first: the value of each set (UTF-8), or {@link #DELETED}.
     * Only the latest {@value Keyspace#HISTORY_LIMIT_PER_KEY} are kept.
     *
     * @throws IllegalArgumentException if there is no such cache
     */
    public List<String> writeHistory(String cacheName, String key) {
        return existing(cacheName).history(ByteString.copyFromUtf8(key));
    }

    /**
     * Every key of the cache that a set or delete was ever applied to, sorted: what a test checks to prove
     * that nothing wrote outside the keys it should.
     *
     * @throws IllegalArgumentException if there is no such cache
     */
    public SortedSet<String> writtenKeys(String cacheName) {
        return existing(cacheName).writtenKeys();
    }

    /** Stops at once: open calls (black-holed or delayed ones included) are cancelled, pending writes dropped. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.shutdownNow();
        delayedAnswers.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
            delayedAnswers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("loopback Momento server on port {} stopped", boundPort);
    }

    /**
     * Runs the server as its own process: {@code [--port N] [--cache NAME]...}. Port 0 (the default) picks a free
     * port; the one line on stdout tells which. Runs until SIGTERM or Ctrl-C. For example:
     * <pre>
     * mvn -o -q compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
     * java -cp target/classes:$(cat target/cp.txt) dev.ordercachesync.localmomento.LoopbackMomentoServer --port 9090
     * </pre>
     * (slf4j-api is a provided dependency, so the classpath must include provided scope, as that one does.)
     */
    public static void main(String[] args) throws InterruptedException {
        Builder builder = builder();
        List<String> cacheNames = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port":
                        builder.port(Integer.parseInt(valueOf(args, ++i)));
                        break;
                    case "--cache":
                        cacheNames.add(valueOf(args, ++i));
                        break;
                    default:
                        throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: LoopbackMomentoServer [--port N] [--cache NAME]...");
            System.exit(2);
        }
        builder.caches(cacheNames.isEmpty() ? List.of(DEFAULT_CACHE) : cacheNames);

        LoopbackMomentoServer loopback = builder.build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(loopback::close, "loopback-momento-shutdown"));
        // Scripts wait for this exact line to learn the port.
        System.out.println("loopback-momento listening on " + HOST + ":" + loopback.port());
        System.out.flush();
        loopback.server.awaitTermination();
    }

    private Keyspace existing(String cacheName) {
        return caches.find(cacheName)
                .orElseThrow(() -> new IllegalArgumentException("no cache named '" + cacheName + "'"));
    }

    private static String valueOf(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }

    private static String requireCacheName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("cache name must not be blank");
        }
        return name;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    public static final class Builder {
        private int port;
        private LongSupplier clockMillis = System::currentTimeMillis;
        private long faultSeed = 42;
        private WriteListener writeListener = WriteListener.NONE;
        private final Set<String> caches = new LinkedHashSet<>();

        private Builder() {}

        /** 0 (the default) for an ephemeral port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** The clock TTLs are measured against, in epoch milliseconds; tests pass one they can move. */
        public Builder clock(LongSupplier clockMillis) {
            this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
            return this;
        }

        /** Seed of the random draws for probabilistic failures and random latency. */
        public Builder faultSeed(long seed) {
            this.faultSeed = seed;
            return this;
        }

        /** Told of every applied set and delete, e.g. to time when values become visible (benchmarks). */
        public Builder writeListener(WriteListener listener) {
            this.writeListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder cache(String name) {
            caches.add(requireCacheName(name));
            return this;
        }

        public Builder caches(Collection<String> names) {
            names.forEach(this::cache);
            return this;
        }

        public LoopbackMomentoServer build() {
            return new LoopbackMomentoServer(this);
        }
    }
}
