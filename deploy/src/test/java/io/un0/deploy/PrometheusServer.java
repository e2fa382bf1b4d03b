package io.un0.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Prometheus (Debian's package) in a process of its own, scraping the given targets every second with the
 * given rule files loaded, and asked through its HTTP query API, as an operator's dashboards would ask it.
 */
final class PrometheusServer implements AutoCloseable {

    /** Where Debian installs it; {@code UN0_PROMETHEUS} names another. */
    static Optional<Path> binary() {
        return Stream.of(System.getenv("UN0_PROMETHEUS"), "/usr/bin/prometheus").filter(p -> p != null && Files.isExecutable(Path.of(p)))
                .map(Path::of).findFirst();
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final URI api;
    private final Path log;

    /** @param jobs job name → {@code host:port} targets, scraped at {@code /q/metrics} */
    PrometheusServer(Path binary, Path dir, int port, Map<String, List<String>> jobs, List<Path> ruleFiles) throws IOException {
        String config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "rule_files:\n" + ruleFiles.stream().map(r -> "  - '" + r.toAbsolutePath() + "'\n").collect(Collectors.joining())
                + "scrape_configs:\n" + jobs.entrySet().stream().map(j -> "  - job_name: '" + j.getKey() + "'\n    metrics_path: /q/metrics\n"
                + "    static_configs:\n      - targets: [" + j.getValue().stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")) + "]\n")
                .collect(Collectors.joining());
        Path file = Files.writeString(dir.resolve("prometheus.yml"), config);
        this.log = dir.resolve("prometheus.log");
        this.api = URI.create("http://127.0.0.1:" + port + "/api/v1/");
        this.process = new ProcessBuilder(binary.toString(), "--config.file=" + file, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until it serves queries (it loads its rules and opens its storage first). */
    PrometheusServer awaitReady() throws IOException, InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(api.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (java.net.ConnectException notYet) {
                // Still starting.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready within 60 s: " + Files.readString(log));
    }

    /** An instant query's result vector: each series' labels and value. */
    List<Sample> query(String promql) throws IOException, InterruptedException {
        JsonNode data = get("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return stream(data.get("result")).map(s -> new Sample(
                stream(s.get("metric")).collect(Collectors.toMap(n -> n.get("name").asText(), n -> n.get("value").asText())),
                Double.parseDouble(s.get("value").get(1).asText()))).toList();
    }

    /** Every rule Prometheus loaded: group, name, health ("ok", "err", "unknown" before its first evaluation). */
    List<Rule> rules() throws IOException, InterruptedException {
        return stream(get("rules").get("groups")).flatMap(g -> stream(g.get("rules"))
                .map(r -> new Rule(g.get("name").asText(), r.get("name").asText(), r.get("health").asText(), r.path("lastError").asText()))).toList();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException("prometheus exited " + process.exitValue() + ": " + Files.readString(log));
        }
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("prometheus answered " + r.statusCode() + " to " + path + ": " + r.body());
        }
        return body.get("data");
    }

    /** Object fields as {@code {name, value}} pairs, or array elements, as a stream. */
    private static Stream<JsonNode> stream(JsonNode node) {
        if (node.isObject()) {
            return node.properties().stream().map(e -> JSON.createObjectNode().put("name", e.getKey()).set("value", e.getValue()));
        }
        return Stream.iterate(0, i -> i < node.size(), i -> i + 1).map(node::get);
    }

    record Sample(Map<String, String> labels, double value) {
    }

    record Rule(String group, String name, String health, String lastError) {
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
