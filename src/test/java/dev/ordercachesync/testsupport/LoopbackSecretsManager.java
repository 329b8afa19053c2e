package dev.ordercachesync.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Speaks the one Secrets Manager call the job makes, GetSecretValue, in the service's JSON protocol
 * (POST, {@code X-Amz-Target: secretsmanager.GetSecretValue}, {@code application/x-amz-json-1.1}), on
 * 127.0.0.1. The real service cannot run here; point the SDK at {@link #endpoint()}.
 */
public final class LoopbackSecretsManager implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET_PREFIX = "secretsmanager.";

    private final HttpServer server;
    private final Map<String, String> secretStrings = new ConcurrentHashMap<>();
    private final Map<String, String[]> errors = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private LoopbackSecretsManager(HttpServer server) {
        this.server = server;
    }

    public static LoopbackSecretsManager start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        LoopbackSecretsManager sm = new LoopbackSecretsManager(server);
        server.createContext("/", sm::handle);
        server.start();
        return sm;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves {@code secretString} for {@code secretId}. */
    public void putSecret(String secretId, String secretString) {
        secretStrings.put(secretId, secretString);
    }

    /** Answers requests for {@code secretId} with this AWS error. */
    public void failWith(String secretId, int httpStatus, String errorType, String message) {
        errors.put(secretId, new String[] {Integer.toString(httpStatus), errorType, message});
    }

    /** "target secretId" of every request received, in order. */
    public List<String> requests() {
        return requests;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode body = JSON.readTree(in.readAllBytes());
            String secretId = body.path("SecretId").asText(null);
            requests.add(target + " " + secretId);
            if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                respond(exchange, 400, error("UnknownOperationException", "expected a Secrets Manager JSON call"));
            } else if (!"GetSecretValue".equals(target.substring(TARGET_PREFIX.length()))) {
                respond(exchange, 400, error("UnknownOperationException", "only GetSecretValue is served"));
            } else if (errors.containsKey(secretId)) {
                String[] e = errors.get(secretId);
                respond(exchange, Integer.parseInt(e[0]), error(e[1], e[2]));
            } else if (!secretStrings.containsKey(secretId)) {
                respond(exchange, 400, error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
            } else {
                ObjectNode ok = JSON.createObjectNode();
                ok.put("ARN", secretId.startsWith("arn:") ? secretId
                        : "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + secretId + "-AbCdEf");
                ok.put("Name", secretId);
                ok.put("VersionId", "00000000-0000-0000-0000-000000000001");
                ok.put("SecretString", secretStrings.get(secretId));
                ok.putArray("VersionStages").add("AWSCURRENT");
                ok.put("CreatedDate", 1.7639e9);
                respond(exchange, 200, ok);
            }
        } catch (RuntimeException e) {
            respond(exchange, 500, error("InternalServiceError", e.getClass().getSimpleName()));
        }
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("__type", type);
        e.put("Message", message);
        return e;
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", "loopback-request");
        if (status != 200) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", body.path("__type").asText());
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static {
        // Keeps JDK's HTTP server from logging request details through java.util.logging.
        java.util.logging.Logger.getLogger("com.sun.net.httpserver").setLevel(java.util.logging.Level.SEVERE);
    }
}
