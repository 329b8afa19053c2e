package dev.ordercachesync.localmomento;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import momento.sdk.CacheClient;
import momento.sdk.auth.MomentoLocalProvider;
import momento.sdk.config.Configuration;
import momento.sdk.config.Configurations;
import momento.sdk.exceptions.MomentoErrorCode;
import momento.sdk.exceptions.SdkException;
import momento.sdk.responses.cache.DeleteResponse;
import momento.sdk.responses.cache.GetResponse;
import momento.sdk.responses.cache.SetResponse;
import momento.sdk.responses.cache.control.CacheCreateResponse;
import momento.sdk.responses.cache.control.CacheInfo;
import momento.sdk.responses.cache.control.CacheListResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the loopback server with the real Momento SDK, so the tests also pin down what the SDK does. */
class LoopbackMomentoServerTest {

    private static final String CACHE = "pizza";
    private static final Duration DEFAULT_TTL = Duration.ofMinutes(1);

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private LoopbackMomentoServer server;
    private CacheClient client;

    @BeforeEach
    void startServerAndClient() {
        server = LoopbackMomentoServer.builder().cache(CACHE).clock(clock::get).faultSeed(7).build().start();
        client = clientWith(Configurations.Laptop.latest());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void setGetDeleteRoundTrip() {
        assertThat(await(client.set(CACHE, "order-1", "{\"status\":\"NEW\"}"))).isInstanceOf(SetResponse.Success.class);

        GetResponse hit = await(client.get(CACHE, "order-1"));
        assertThat(hit).isInstanceOf(GetResponse.Hit.class);
        assertThat(((GetResponse.Hit) hit).valueString()).isEqualTo("{\"status\":\"NEW\"}");
        assertThat(server.snapshot(CACHE)).containsExactly(Map.entry("order-1", "{\"status\":\"NEW\"}"));

        assertThat(await(client.delete(CACHE, "order-1"))).isInstanceOf(DeleteResponse.Success.class);
        assertThat(await(client.get(CACHE, "order-1"))).isInstanceOf(GetResponse.Miss.class);
        assertThat(server.snapshot(CACHE)).isEmpty();
        assertThat(server.writeCount()).isEqualTo(2);
        assertThat(server.writeHistory(CACHE, "order-1")).containsExactly("{\"status\":\"NEW\"}", LoopbackMomentoServer.DELETED);
        assertThat(server.operationCounts()).containsEntry("get", 2L).containsEntry("set", 1L).containsEntry("delete", 1L);
    }

    @Test
    void writtenKeysIncludeDeletedOnesAndNeverReadOnes() {
        await(client.set(CACHE, "b", "1"));
        await(client.set(CACHE, "a", "2"));
        await(client.delete(CACHE, "a"));
        await(client.delete(CACHE, "never-set"));
        await(client.get(CACHE, "only-read"));
        assertThat(server.writtenKeys(CACHE)).containsExactly("a", "b", "never-set");
        assertThat(server.snapshot(CACHE)).containsOnlyKeys("b");
    }

    @Test
    void writeListenerIsToldOfEveryAppliedWriteInOrder() {
        List<String> told = new ArrayList<>();
        try (LoopbackMomentoServer listened = LoopbackMomentoServer.builder().cache(CACHE)
                .writeListener((cache, key, value, nanos) -> told.add(cache + " " + key.toStringUtf8() + "="
                        + (value == null ? "deleted" : value.toStringUtf8())))
                .build().start();
             CacheClient listenedClient = CacheClient.create(new MomentoLocalProvider(LoopbackMomentoServer.HOST,
                     listened.port()), Configurations.Laptop.latest(), DEFAULT_TTL)) {
            listened.faults().failNext(RpcNames.SET, 1, Status.Code.PERMISSION_DENIED);
            await(listenedClient.set(CACHE, "k", "refused"));
            await(listenedClient.set(CACHE, "k", "v1"));
            await(listenedClient.get(CACHE, "k"));
            await(listenedClient.delete(CACHE, "k"));

            assertThat(told).containsExactly("pizza k=v1", "pizza k=deleted");
        }
    }

    @Test
    void absentKeyIsAMiss() {
        assertThat(await(client.get(CACHE, "never-written"))).isInstanceOf(GetResponse.Miss.class);
    }

    @Test
    void keysAndValuesAreBytes() {
        byte[] key = {0, 1, 2, (byte) 0xff};
        byte[] value = {(byte) 0xc3, 0x28, 0};
        await(client.set(CACHE, key, value));

        GetResponse hit = await(client.get(CACHE, key));
        assertThat(((GetResponse.Hit) hit).valueByteArray()).containsExactly(value);
    }

    @Test
    void itemExpiresAfterItsTtlOnTheInjectedClock() {
        await(client.set(CACHE, "order-2", "v", Duration.ofSeconds(10)));

        clock.addAndGet(9_999);
        assertThat(await(client.get(CACHE, "order-2"))).isInstanceOf(GetResponse.Hit.class);
        assertThat(server.snapshot(CACHE)).containsKey("order-2");

        clock.addAndGet(1);
        assertThat(await(client.get(CACHE, "order-2"))).isInstanceOf(GetResponse.Miss.class);
        assertThat(server.snapshot(CACHE)).isEmpty();
    }

    @Test
    void unknownCacheIsNotFoundAndNamedInTheMessage() {
        GetResponse get = await(client.get("no-such-cache", "k"));
        assertThat(errorCode(get)).isEqualTo(MomentoErrorCode.NOT_FOUND_ERROR);
        assertThat(((SdkException) get).getTransportErrorDetails())
                .hasValueSatisfying(details -> assertThat(details.getGrpcErrorDetails().getDetails()).contains("no-such-cache"));

        assertThat(errorCode(await(client.set("no-such-cache", "k", "v")))).isEqualTo(MomentoErrorCode.NOT_FOUND_ERROR);
        assertThat(errorCode(await(client.delete("no-such-cache", "k")))).isEqualTo(MomentoErrorCode.NOT_FOUND_ERROR);
        assertThat(server.writeCount()).isZero();
    }

    @Test
    void cachesAreSeparateKeyspaces() {
        server.createCache("menu");
        await(client.set(CACHE, "k", "pizza-value"));
        await(client.set("menu", "k", "menu-value"));

        assertThat(server.snapshot(CACHE)).containsExactly(Map.entry("k", "pizza-value"));
        assertThat(server.snapshot("menu")).containsExactly(Map.entry("k", "menu-value"));
    }

    @Test
    void listCachesShowsCachesCreatedEitherWay() {
        assertThat(server.createCache("menu")).isTrue();
        assertThat(await(client.createCache("orders"))).isInstanceOf(CacheCreateResponse.Success.class);
        assertThat(errorCode(await(client.createCache("orders")))).isEqualTo(MomentoErrorCode.ALREADY_EXISTS_ERROR);

        CacheListResponse list = await(client.listCaches());
        assertThat(list).isInstanceOf(CacheListResponse.Success.class);
        assertThat(((CacheListResponse.Success) list).getCaches())
                .extracting(CacheInfo::name)
                .containsExactly("menu", "orders", "pizza");
    }

    @Test
    void sdkRetriesUnavailableOnItemRpcsUpToThreeTimes() {
        server.faults().failNext(RpcNames.SET, 3, Status.Code.UNAVAILABLE);
        assertThat(await(client.set(CACHE, "k", "v"))).isInstanceOf(SetResponse.Success.class);
        assertThat(server.operationCounts()).containsEntry("set", 4L);

        server.faults().failNext(RpcNames.SET, 4, Status.Code.UNAVAILABLE);
        assertThat(errorCode(await(client.set(CACHE, "k", "v2")))).isEqualTo(MomentoErrorCode.SERVER_UNAVAILABLE);
        assertThat(server.operationCounts()).containsEntry("set", 8L);
        assertThat(server.writeHistory(CACHE, "k")).containsExactly("v");
    }

    @Test
    void sdkRetriesInternalOnGetButNotOtherCodes() {
        await(client.set(CACHE, "k", "v"));
        server.faults().failNext(RpcNames.GET, 3, Status.Code.INTERNAL);
        assertThat(await(client.get(CACHE, "k"))).isInstanceOf(GetResponse.Hit.class);
        assertThat(server.operationCounts()).containsEntry("get", 4L);

        server.faults().failNext(RpcNames.DELETE, 1, Status.Code.PERMISSION_DENIED);
        assertThat(errorCode(await(client.delete(CACHE, "k")))).isEqualTo(MomentoErrorCode.PERMISSION_ERROR);
        assertThat(server.operationCounts()).containsEntry("delete", 1L);
    }

    @Test
    void sdkDoesNotRetryControlPlaneCalls() {
        server.faults().failNext(RpcNames.LIST_CACHES, 1, Status.Code.UNAVAILABLE);
        assertThat(errorCode(await(client.listCaches()))).isEqualTo(MomentoErrorCode.SERVER_UNAVAILABLE);
        assertThat(server.operationCounts()).containsEntry("listCaches", 1L);
    }

    @Test
    void probabilisticFailuresFollowTheSeed() {
        List<Boolean> firstRun = failurePattern(40);
        assertThat(firstRun).contains(true, false);
        assertThat(firstRun.stream().filter(failed -> failed).count()).isBetween(8L, 32L);

        server.clearFaults();
        assertThat(failurePattern(40)).isEqualTo(firstRun);
    }

    private List<Boolean> failurePattern(int calls) {
        server.faults().failWithProbability(RpcNames.GET, Status.Code.PERMISSION_DENIED, 0.5);
        List<Boolean> failed = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            failed.add(await(client.get(CACHE, "k")) instanceof GetResponse.Error);
        }
        return failed;
    }

    @Test
    void fixedLatencyDelaysEachCallWithoutSerializingThem() {
        server.faults().latency(RpcNames.GET, 300);
        long start = System.nanoTime();
        List<CompletableFuture<GetResponse>> gets = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            gets.add(client.get(CACHE, "k" + i));
        }
        gets.forEach(get -> assertThat(await(get)).isInstanceOf(GetResponse.Miss.class));
        long elapsedMillis = millisSince(start);

        assertThat(elapsedMillis).isBetween(300L, 1_200L);
    }

    @Test
    void randomLatencyStaysWithinItsRange() {
        server.faults().latency(RpcNames.GET, 100, 200);
        for (int i = 0; i < 4; i++) {
            long start = System.nanoTime();
            await(client.get(CACHE, "k"));
            assertThat(millisSince(start)).isBetween(100L, 600L);
        }
    }

    @Test
    void throttleAnswersLimitExceededBeyondTheRate() throws InterruptedException {
        server.faults().throttle(RpcNames.GET, 3);
        List<MomentoErrorCode> outcomes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            GetResponse get = await(client.get(CACHE, "k"));
            outcomes.add(get instanceof GetResponse.Error ? errorCode(get) : null);
        }
        assertThat(outcomes.subList(0, 3)).containsOnlyNulls();
        assertThat(outcomes.subList(3, 6)).containsOnly(MomentoErrorCode.LIMIT_EXCEEDED_ERROR);
        assertThat(server.operationCounts()).containsEntry("get", 6L);

        Thread.sleep(1_100);
        assertThat(await(client.get(CACHE, "k"))).isInstanceOf(GetResponse.Miss.class);
    }

    @Test
    void blackHoleEndsInTheClientsTimeout() {
        server.faults().blackHole(RpcNames.GET, true);
        try (CacheClient impatient = clientWith(Configurations.Laptop.latest().withTimeout(Duration.ofMillis(300)))) {
            long start = System.nanoTime();
            assertThat(errorCode(await(impatient.get(CACHE, "k")))).isEqualTo(MomentoErrorCode.TIMEOUT_ERROR);
            assertThat(millisSince(start)).isBetween(250L, 2_000L);
            assertThat(server.operationCounts()).containsEntry("get", 1L);

            server.faults().blackHole(RpcNames.GET, false);
            assertThat(await(impatient.get(CACHE, "k"))).isInstanceOf(GetResponse.Miss.class);
        }
    }

    @Test
    void outageFailsEveryRpcUntilLifted() {
        await(client.set(CACHE, "k", "v"));
        server.faults().outage(true);
        assertThat(errorCode(await(client.get(CACHE, "k")))).isEqualTo(MomentoErrorCode.SERVER_UNAVAILABLE);
        assertThat(errorCode(await(client.listCaches()))).isEqualTo(MomentoErrorCode.SERVER_UNAVAILABLE);

        server.faults().outage(false);
        assertThat(await(client.get(CACHE, "k"))).isInstanceOf(GetResponse.Hit.class);
    }

    @Test
    void ruleForAllRpcsAppliesToEachOfThem() {
        server.faults().failWithProbability(RpcNames.ALL, Status.Code.PERMISSION_DENIED, 1.0);
        assertThat(errorCode(await(client.set(CACHE, "k", "v")))).isEqualTo(MomentoErrorCode.PERMISSION_ERROR);
        assertThat(errorCode(await(client.get(CACHE, "k")))).isEqualTo(MomentoErrorCode.PERMISSION_ERROR);
        assertThat(errorCode(await(client.listCaches()))).isEqualTo(MomentoErrorCode.PERMISSION_ERROR);

        server.clearFaults();
        assertThat(await(client.set(CACHE, "k", "v"))).isInstanceOf(SetResponse.Success.class);
    }

    @Test
    void delayedWriteTakesEffectWhenAnsweredSoALaterWriteCanOvertakeIt() throws InterruptedException {
        server.faults().latency(RpcNames.SET, 300);
        CompletableFuture<SetResponse> slow = client.set(CACHE, "order-3", "v1", DEFAULT_TTL);
        awaitCount("set", 1);
        server.clearFaults();

        assertThat(await(client.set(CACHE, "order-3", "v2", DEFAULT_TTL))).isInstanceOf(SetResponse.Success.class);
        assertThat(server.snapshot(CACHE)).containsEntry("order-3", "v2");

        assertThat(await(slow)).isInstanceOf(SetResponse.Success.class);
        assertThat(server.snapshot(CACHE)).containsEntry("order-3", "v1");
        assertThat(server.writeHistory(CACHE, "order-3")).containsExactly("v2", "v1");
    }

    @Test
    void unknownRpcNameInAFaultRuleIsRejected() {
        assertThatThrownBy(() -> server.faults().latency("put", 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeCancelsOpenCallsPromptly() throws InterruptedException {
        server.faults().blackHole(RpcNames.GET, true);
        CompletableFuture<GetResponse> stuck = client.get(CACHE, "k");
        awaitCount("get", 1);

        long start = System.nanoTime();
        server.close();
        assertThat(millisSince(start)).isLessThan(2_000L);
        assertThat(await(stuck)).isInstanceOf(GetResponse.Error.class);
    }

    @Test
    void runsAsItsOwnProcessUntilTerminated() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        LoopbackMomentoServer.class.getName(), "--port", "0", "--cache", "orders", "--cache", "menu")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader stdout =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = stdout.readLine();
            Matcher listening = Pattern.compile("loopback-momento listening on 127\\.0\\.0\\.1:(\\d+)").matcher(line);
            assertThat(listening.matches()).as("first stdout line: %s", line).isTrue();

            try (CacheClient remote = CacheClient.create(
                    new MomentoLocalProvider("127.0.0.1", Integer.parseInt(listening.group(1))),
                    Configurations.Laptop.latest(),
                    DEFAULT_TTL)) {
                await(remote.set("orders", "k", "v"));
                assertThat(((GetResponse.Hit) await(remote.get("orders", "k"))).valueString()).isEqualTo("v");
                assertThat(((CacheListResponse.Success) await(remote.listCaches())).getCaches())
                        .extracting(CacheInfo::name)
                        .containsExactly("menu", "orders");
            }

            process.destroy(); // SIGTERM: the shutdown hook closes the server
            assertThat(process.waitFor(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
    }

    private CacheClient clientWith(Configuration configuration) {
        return CacheClient.create(new MomentoLocalProvider("127.0.0.1", server.port()), configuration, DEFAULT_TTL);
    }

    private void awaitCount(String rpc, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.operationCounts().getOrDefault(rpc, 0L) < count) {
            assertThat(System.nanoTime()).as("waiting for %d %s calls", count, rpc).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static <T> T await(CompletableFuture<T> response) {
        return response.orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static MomentoErrorCode errorCode(Object response) {
        assertThat(response).isInstanceOf(SdkException.class);
        return ((SdkException) response).getErrorCode();
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
