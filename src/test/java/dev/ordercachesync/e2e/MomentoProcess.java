package dev.ordercachesync.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.grpc.Status;
import com.sun.net.httpserver.HttpServer;
import dev.ordercachesync.localmomento.LoopbackMomentoServer;
import dev.ordercachesync.localmomento.QuotaStats;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loopback Momento server as a process of its own, for the local-cluster end-to-end script:
 * {@code --ready-file PATH --cache NAME}. Momento's protocol cannot list a cache's keys, so this
 * test-only process also serves {@code GET /caches/NAME} on a second loopback port: every live key and
 * value as a JSON object. The script's check uses it to prove there is no key the contract does not
 * expect; it reads every expected key through the real SDK's get as well. {@code POST /faults/fail-next?rpc=R&count=N&code=C}
 * makes the next N calls of R fail with gRPC status C, so the script can fail a task of the job on the cluster.
 */
public final class MomentoProcess {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MomentoProcess() {}

    public static void main(String[] args) throws Exception {
        String readyFile = ReadyFile.arg(args, "ready-file");
        String cache = ReadyFile.arg(args, "cache");
        int quota = Integer.parseInt(ReadyFile.arg(args, "quota", "0"));
        LoopbackMomentoServer momento = LoopbackMomentoServer.builder().cache(cache).build().start();
        momento.faults().quota(quota);
        HttpServer inspect = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        inspect.createContext("/caches/", exchange -> snapshot(exchange, momento));
        inspect.createContext("/faults/fail-next", exchange -> failNext(exchange, momento));
        inspect.createContext("/quota", exchange -> quota(exchange, momento));
        inspect.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            inspect.stop(0);
            momento.close();
        }, "momento-shutdown"));

        Map<String, String> ready = new LinkedHashMap<>();
        ready.put("momento", LoopbackMomentoServer.HOST + ":" + momento.port());
        ready.put("inspect", "http://127.0.0.1:" + inspect.getAddress().getPort());
        ReadyFile.write(readyFile, ready);
        System.out.println("loopback-momento listening on " + ready.get("momento") + ", inspection on " + ready.get("inspect"));
        Thread.currentThread().join();
    }

    private static void failNext(HttpExchange exchange, LoopbackMomentoServer momento) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : exchange.getRequestURI().getQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        momento.faults().failNext(query.get("rpc"), Integer.parseInt(query.get("count")), Status.Code.valueOf(query.get("code")));
        answer(exchange, 200, JSON.writeValueAsBytes(query));
    }

    private static void quota(HttpExchange exchange, LoopbackMomentoServer momento) throws IOException {
        if ("POST".equals(exchange.getRequestMethod())) {
            String query = exchange.getRequestURI().getQuery();
            momento.faults().quota(Integer.parseInt(query == null ? "0" : query.replaceFirst("^ops=", "")));
        }
        QuotaStats stats = momento.quotaStats();
        Map<String, Long> body = new LinkedHashMap<>();
        body.put("callsAdmitted", stats.callsAdmitted);
        body.put("operationsAdmitted", stats.operationsAdmitted);
        body.put("callsRefused", stats.callsRefused);
        answer(exchange, 200, JSON.writeValueAsBytes(body));
    }

    private static void snapshot(HttpExchange exchange, LoopbackMomentoServer momento) throws IOException {
        String name = exchange.getRequestURI().getPath().substring("/caches/".length());
        byte[] body;
        int status;
        try {
            body = JSON.writeValueAsBytes(momento.snapshot(name));
            status = 200;
        } catch (IllegalArgumentException e) {
            body = JSON.writeValueAsBytes(Map.of("error", e.getMessage()));
            status = 404;
        }
        answer(exchange, status, body);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
