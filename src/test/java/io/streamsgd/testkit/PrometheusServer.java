package io.streamsgd.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real Prometheus server (the {@code prometheus} binary, see {@link PrometheusBinaries}) for
 * tests: listens on a free 127.0.0.1 port, scrapes the given targets, evaluates the given rule
 * files, and answers PromQL through its HTTP API.
 *
 * <pre>{@code
 * try (PrometheusServer prometheus = PrometheusServer.builder()
 *         .scrape("streamsgd", "127.0.0.1:" + metricsPort)
 *         .ruleFile(Path.of("deploy/prometheus/alerts.yml"))
 *         .start()) {
 *     prometheus.awaitTargetsUp(Duration.ofSeconds(30));
 *     QueryResult up = prometheus.query("up{job=\"streamsgd\"}");
 * }
 * }</pre>
 *
 * <p>The configuration and the TSDB live in a temporary directory that {@link #close()} deletes
 * after stopping the process. The default scrape and evaluation intervals are 1 s so that a test
 * sees rates after a few seconds.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    /** Attempts to start on a fresh port when another process took the probed port first. */
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final Path workDir;
    private final Path configFile;
    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

    private PrometheusServer(Process process, Path workDir, Path configFile, URI uri) {
        this.process = process;
        this.workDir = workDir;
        this.configFile = configFile;
        this.uri = uri;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One sample of an instant query: the series labels (with {@code __name__} when present) and the value. */
    public record Sample(Map<String, String> labels, double value) {
        public String label(String name) {
            return labels.get(name);
        }
    }

    /**
     * Result of an instant query. For {@code vector} one sample per series; for {@code scalar} one
     * sample without labels; for {@code matrix} (a range selector such as {@code up[1m]}) the
     * last point of each series.
     */
    public record QueryResult(String promql, String resultType, List<Sample> samples) {
        public boolean isEmpty() {
            return samples.isEmpty();
        }

        /** True when at least one sample is a finite number (not NaN, not ±Inf). */
        public boolean hasFiniteValue() {
            return samples.stream().anyMatch(s -> Double.isFinite(s.value()));
        }

        /** The value of the only sample; fails when there is not exactly one. */
        public double singleValue() {
            if (samples.size() != 1) {
                throw new IllegalStateException(
                        "expected exactly one sample from " + promql + " but got " + samples);
            }
            return samples.get(0).value();
        }

        /** The value of the sample whose labels include all of {@code labels}, if any. */
        public OptionalDouble valueWhere(Map<String, String> labels) {
            return samples.stream()
                    .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                    .mapToDouble(Sample::value)
                    .findFirst();
        }
    }

    /** An active scrape target as reported by {@code /api/v1/targets}. */
    public record Target(String job, String instance, String scrapeUrl, String health, String lastError) {
        public boolean isUp() {
            return "up".equals(health);
        }
    }

    /**
     * A rule as reported by {@code /api/v1/rules}: health is ok, err or unknown (not evaluated
     * yet); state (inactive, pending, firing) is for alerting rules; lastEvaluation is null before
     * the first evaluation.
     */
    public record Rule(String group, String name, String type, String health, String lastError, String state,
                       Instant lastEvaluation) {}

    /** Thrown when Prometheus rejects a query (syntax error, unknown function, bad vector matching, ...). */
    public static final class QueryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        QueryException(String message) {
            super(message);
        }
    }

    public static final class Builder {
        private final List<Map<String, Object>> scrapeConfigs = new ArrayList<>();
        private final List<Path> ruleFiles = new ArrayList<>();
        private boolean scrapeSelf;
        private Duration scrapeInterval = Duration.ofSeconds(1);
        private Duration evaluationInterval = Duration.ofSeconds(1);
        private Duration startTimeout = Duration.ofSeconds(30);
        private Path binary;

        private Builder() {}

        /** Scrapes {@code http://hostPort/metrics} as job {@code job}. */
        public Builder scrape(String job, String hostPort) {
            return scrape(job, hostPort, "/metrics");
        }

        public Builder scrape(String job, String hostPort, String metricsPath) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("job_name", job);
            config.put("metrics_path", metricsPath);
            config.put("static_configs", List.of(Map.of("targets", List.of(hostPort))));
            scrapeConfigs.add(config);
            return this;
        }

        /** Scrapes Prometheus' own {@code /metrics} as job {@code prometheus}. */
        public Builder scrapeSelf() {
            this.scrapeSelf = true;
            return this;
        }

        /** Loads a rule file (alerting or recording rules); it must pass {@code promtool check rules}. */
        public Builder ruleFile(Path file) {
            ruleFiles.add(file.toAbsolutePath());
            return this;
        }

        public Builder scrapeInterval(Duration interval) {
            this.scrapeInterval = interval;
            return this;
        }

        public Builder evaluationInterval(Duration interval) {
            this.evaluationInterval = interval;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Uses this executable instead of {@link PrometheusBinaries#prometheus()}. */
        public Builder binary(Path executable) {
            this.binary = executable;
            return this;
        }

        /** Starts Prometheus and waits until {@code /-/ready} answers 200. */
        public PrometheusServer start() throws IOException {
            for (Path ruleFile : ruleFiles) {
                if (!Files.isRegularFile(ruleFile)) {
                    throw new IllegalArgumentException("rule file not found: " + ruleFile);
                }
            }
            Path executable = binary != null ? binary : PrometheusBinaries.prometheus();
            IllegalStateException lastFailure = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                try {
                    return startOnce(executable, freePort());
                } catch (PortTakenException e) {
                    lastFailure = e;
                }
            }
            throw lastFailure;
        }

        private PrometheusServer startOnce(Path executable, int port) throws IOException {
            Path workDir = Files.createTempDirectory("prometheus-test");
            Path configFile = workDir.resolve("prometheus.yml");
            Files.writeString(configFile, configJson(port));
            Path log = workDir.resolve("prometheus.log");
            Process process = new ProcessBuilder(
                    executable.toString(),
                    "--config.file=" + configFile,
                    "--storage.tsdb.path=" + workDir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            PrometheusServer server = new PrometheusServer(
                    process, workDir, configFile, URI.create("http://127.0.0.1:" + port));
            try {
                server.awaitReady(startTimeout);
                return server;
            } catch (RuntimeException e) {
                String output = server.log();
                server.close();
                if (output.contains("address already in use")) {
                    throw new PortTakenException(port);
                }
                throw new IllegalStateException(e.getMessage() + "\n--- prometheus log ---\n" + output, e);
            }
        }

        /**
         * The configuration as JSON, which is valid YAML: no quoting rules to get wrong for
         * paths and addresses.
         */
        private String configJson(int port) {
            ObjectNode root = JSON.createObjectNode();
            ObjectNode global = root.putObject("global");
            global.put("scrape_interval", scrapeInterval.toMillis() + "ms");
            global.put("evaluation_interval", evaluationInterval.toMillis() + "ms");
            ArrayNode rules = root.putArray("rule_files");
            ruleFiles.forEach(f -> rules.add(f.toString()));
            ArrayNode scrapes = root.putArray("scrape_configs");
            scrapeConfigs.forEach(c -> scrapes.add(JSON.valueToTree(c)));
            if (scrapeSelf) {
                ObjectNode self = scrapes.addObject();
                self.put("job_name", "prometheus");
                self.putArray("static_configs").addObject().putArray("targets").add("127.0.0.1:" + port);
            }
            try {
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class PortTakenException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTakenException(int port) {
            super("port " + port + " was taken before Prometheus could bind it");
        }
    }

    /** Binds port 0 and releases it; Builder.start retries should another process grab it meanwhile. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Base URI, e.g. {@code http://127.0.0.1:41234}. */
    public URI uri() {
        return uri;
    }

    /** The generated configuration file (JSON syntax). */
    public Path configFile() {
        return configFile;
    }

    /** Everything Prometheus has logged so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(workDir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Runs an instant query at the current time. */
    public QueryResult query(String promql) {
        JsonNode data = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8), promql);
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        List<Sample> samples = new ArrayList<>();
        switch (type) {
            case "scalar" -> samples.add(new Sample(Map.of(), parseValue(result.get(1).asText())));
            case "vector" -> result.forEach(series -> samples.add(
                    new Sample(labels(series.path("metric")), parseValue(series.path("value").get(1).asText()))));
            case "matrix" -> result.forEach(series -> {
                JsonNode values = series.path("values");
                samples.add(new Sample(labels(series.path("metric")),
                        parseValue(values.get(values.size() - 1).get(1).asText())));
            });
            default -> throw new QueryException("unsupported result type " + type + " for " + promql);
        }
        return new QueryResult(promql, type, List.copyOf(samples));
    }

    /**
     * Polls {@code promql} until {@code condition} holds, then returns that result. Fails after
     * {@code timeout} with the last result in the message.
     */
    public QueryResult awaitQuery(String promql, Predicate<QueryResult> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        QueryResult last;
        do {
            last = query(promql);
            if (condition.test(last)) {
                return last;
            }
            sleep(200);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("condition not met within " + timeout + " for " + promql
                + "; last result: " + last.samples());
    }

    /** Active scrape targets. */
    public List<Target> targets() {
        JsonNode data = get("/api/v1/targets?state=active", "targets");
        List<Target> targets = new ArrayList<>();
        data.path("activeTargets").forEach(t -> targets.add(new Target(
                t.path("labels").path("job").asText(),
                t.path("labels").path("instance").asText(),
                t.path("scrapeUrl").asText(),
                t.path("health").asText(),
                t.path("lastError").asText())));
        return List.copyOf(targets);
    }

    /** True when there is at least one target and every target's last scrape succeeded. */
    public boolean targetsUp() {
        List<Target> targets = targets();
        return !targets.isEmpty() && targets.stream().allMatch(Target::isUp);
    }

    /** Waits until {@link #targetsUp()}; fails with each target's last error. */
    public void awaitTargetsUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!targetsUp()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("targets not up within " + timeout + ": " + targets());
            }
            sleep(200);
        }
    }

    /** Every loaded rule with its evaluation health. */
    public List<Rule> rules() {
        JsonNode data = get("/api/v1/rules", "rules");
        List<Rule> rules = new ArrayList<>();
        data.path("groups").forEach(g -> g.path("rules").forEach(r -> rules.add(new Rule(
                g.path("name").asText(),
                r.path("name").asText(),
                r.path("type").asText(),
                r.path("health").asText(),
                r.path("lastError").asText(),
                r.path("state").asText(),
                parseInstant(r.path("lastEvaluation").asText())))));
        return List.copyOf(rules);
    }

    /** Stops Prometheus (SIGTERM, then SIGKILL after 10 s) and deletes its directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteRecursively(workDir);
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with code " + process.exitValue());
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(uri.resolve("/-/ready")).timeout(HTTP_TIMEOUT).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling until the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for prometheus", e);
            }
            sleep(100);
        }
        throw new IllegalStateException("prometheus not ready within " + timeout);
    }

    /** GETs an API path and returns its {@code data}; a Prometheus error becomes a QueryException. */
    private JsonNode get(String pathAndQuery, String what) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri.resolve(pathAndQuery)).timeout(HTTP_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (!"success".equals(body.path("status").asText())) {
                throw new QueryException(body.path("errorType").asText() + ": "
                        + body.path("error").asText() + " (HTTP " + response.statusCode() + ") in: " + what);
            }
            return body.path("data");
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + pathAndQuery + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> labels = new LinkedHashMap<>();
        metric.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return Map.copyOf(labels);
    }

    /** Prometheus reports "0001-01-01T00:00:00Z" for a rule that was never evaluated. */
    private static Instant parseInstant(String text) {
        if (text.isEmpty() || text.startsWith("0001-")) {
            return null;
        }
        return Instant.parse(text);
    }

    /** Prometheus writes values as strings, with {@code +Inf}/{@code -Inf}/{@code NaN}. */
    private static double parseValue(String value) {
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
