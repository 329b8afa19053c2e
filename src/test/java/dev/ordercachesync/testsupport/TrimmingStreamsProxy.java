package dev.ordercachesync.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * moto's endpoint, with a trim horizon: what DynamoDB Streams does to records past its 24 h retention, which moto
 * never does. Every request is passed on to moto, except that once {@link #trimBefore} is set, a GetShardIterator
 * for a position before the horizon fails with {@code TrimmedDataAccessException} and a TRIM_HORIZON iterator starts
 * at the horizon, as on AWS. The records before it are then lost to every reader of the stream. {@link #freeze}
 * and {@link #expireIterators} make a running reader fall behind and then renew its iterator.
 */
public final class TrimmingStreamsProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GET_SHARD_ITERATOR = "DynamoDBStreams_20120810.GetShardIterator";
    private static final String GET_RECORDS = "DynamoDBStreams_20120810.GetRecords";
    /** Headers java.net.http sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI moto;
    private volatile BigInteger horizon;
    private volatile boolean frozen;
    private volatile boolean iteratorsExpired;
    public final AtomicInteger trimmedRefusals = new AtomicInteger();

    private TrimmingStreamsProxy(URI moto) throws IOException {
        this.moto = moto;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
    }

    public static TrimmingStreamsProxy start(URI moto) throws IOException {
        TrimmingStreamsProxy proxy = new TrimmingStreamsProxy(moto);
        proxy.server.start();
        return proxy;
    }

    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    /** From now on the stream holds only the records from {@code firstKept} on. */
    public void trimBefore(BigInteger firstKept) {
        horizon = firstKept;
    }

    /** GetRecords returns no records (with the same iterator) until {@link #thaw}: a reader falling behind. */
    public void freeze() {
        frozen = true;
    }

    public void thaw() {
        frozen = false;
    }

    /** Every GetRecords fails with {@code ExpiredIteratorException} until a reader asks for a new iterator. */
    public void expireIterators() {
        iteratorsExpired = true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (GET_RECORDS.equals(target) && iteratorsExpired) {
                error(exchange, "ExpiredIteratorException", "Iterator expired");
                return;
            }
            if (GET_RECORDS.equals(target) && frozen) {
                String iterator = JSON.readTree(body).path("ShardIterator").asText();
                reply(exchange, JSON.writeValueAsBytes(Map.of("Records", List.of(), "NextShardIterator", iterator)));
                return;
            }
            if (GET_SHARD_ITERATOR.equals(target)) {
                iteratorsExpired = false;
            }
            BigInteger h = horizon;
            if (h != null && GET_SHARD_ITERATOR.equals(target)) {
                ObjectNode request = (ObjectNode) JSON.readTree(body);
                String type = request.path("ShardIteratorType").asText();
                if (type.equals("TRIM_HORIZON")) {
                    request.put("ShardIteratorType", "AT_SEQUENCE_NUMBER");
                    request.put("SequenceNumber", h.toString());
                    body = JSON.writeValueAsBytes(request);
                } else if (firstWanted(type, request.path("SequenceNumber")).compareTo(h) < 0) {
                    trimmedRefusals.incrementAndGet();
                    refuse(exchange, request.path("SequenceNumber").asText());
                    return;
                }
            }
            forward(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private static BigInteger firstWanted(String type, JsonNode sequence) {
        BigInteger s = new BigInteger(sequence.asText("0"));
        return type.equals("AFTER_SEQUENCE_NUMBER") ? s.add(BigInteger.ONE) : s;
    }

    private static void refuse(HttpExchange exchange, String sequence) throws IOException {
        error(exchange, "TrimmedDataAccessException",
                "The operation attempted to read past the oldest stream record in a shard (" + sequence + ")");
    }

    private static void error(HttpExchange exchange, String type, String message) throws IOException {
        byte[] error = JSON.writeValueAsBytes(Map.of("__type", "com.amazonaws.dynamodb.v20120810#" + type, "message", message));
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(400, error.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(error);
        }
    }

    private static void reply(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(moto.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase())) {
                for (String value : header.getValue()) {
                    request.header(header.getKey(), value);
                }
            }
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] answer;
        try (InputStream in = response.body()) {
            answer = in.readAllBytes();
        }
        response.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.equalsIgnoreCase("transfer-encoding")
                    && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
