package dev.ordercachesync.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Reads a running job's metrics through the cluster's REST API, as an operator's dashboard would. */
public final class JobMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI rest;
    private final JobID job;

    /** @param clientConfiguration the cluster's client configuration, naming its REST address and port */
    public JobMetrics(Configuration clientConfiguration, JobID job) {
        this.rest = URI.create("http://" + clientConfiguration.get(RestOptions.ADDRESS) + ":"
                + clientConfiguration.get(RestOptions.PORT) + "/");
        this.job = job;
    }

    /** A job-level metric such as {@code numRestarts}; waits for the REST metric cache to fetch it. */
    public long jobMetric(String name) throws IOException, InterruptedException {
        return eventually(() -> jobMetricNow(name));
    }

    /**
     * A job-level metric once it reaches {@code atLeast}, or its value when 15 s have passed: the REST metric cache
     * refreshes at intervals, so an earlier request can leave it holding an old value for a while.
     */
    public long jobMetricReaching(String name, long atLeast) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        long value = jobMetric(name);
        while (value < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(500);
            value = jobMetric(name);
        }
        return value;
    }

    /** An operator metric summed over all subtasks; waits for the REST metric cache to fetch it. */
    public long operatorMetricSum(String metricName) throws IOException, InterruptedException {
        return eventually(() -> operatorMetricSumNow(metricName));
    }

    private interface Read {
        long read() throws IOException, InterruptedException;
    }

    // The REST endpoint answers from a cache that fills after the first request.
    private static long eventually(Read read) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            try {
                return read.read();
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private long jobMetricNow(String name) throws IOException, InterruptedException {
        JsonNode values = get("/jobs/" + job + "/metrics?get=" + enc(name));
        for (JsonNode v : values) {
            if (name.equals(v.path("id").asText())) {
                return (long) Double.parseDouble(v.path("value").asText());
            }
        }
        throw new IllegalStateException("job metric " + name + " not reported; the job reports "
                + get("/jobs/" + job + "/metrics"));
    }

    private long operatorMetricSumNow(String metricName) throws IOException, InterruptedException {
        long sum = 0;
        boolean found = false;
        for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
            String vid = vertex.path("id").asText();
            for (JsonNode m : get("/jobs/" + job + "/vertices/" + vid + "/subtasks/metrics")) {
                String id = m.path("id").asText();
                if (id.endsWith("." + metricName)) {
                    JsonNode agg = get("/jobs/" + job + "/vertices/" + vid + "/subtasks/metrics?get=" + enc(id) + "&agg=sum");
                    if (agg.size() == 0) {
                        throw new IllegalStateException("operator metric " + id + " has no value yet");
                    }
                    sum += (long) agg.get(0).path("sum").asDouble();
                    found = true;
                }
            }
        }
        if (!found) {
            throw new IllegalStateException("operator metric " + metricName + " not reported yet");
        }
        return sum;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(rest.resolve(path.substring(1))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
