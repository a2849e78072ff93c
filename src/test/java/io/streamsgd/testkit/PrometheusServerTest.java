package io.streamsgd.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.testkit.PrometheusServer.QueryResult;
import io.streamsgd.testkit.PrometheusServer.Rule;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness against the real binary, with the one scrape target that always exists: Prometheus itself. */
class PrometheusServerTest {
    private static final Path ALERTS = Path.of(System.getProperty("basedir", "")).toAbsolutePath()
            .resolve("deploy/prometheus/alerts.yml");

    @Test
    void shouldScrapeItselfAndAnswerInstantQueries() throws IOException {
        try (PrometheusServer prometheus = PrometheusServer.builder().scrapeSelf().start()) {
            prometheus.awaitTargetsUp(Duration.ofSeconds(20));
            assertThat(prometheus.targets()).singleElement().satisfies(t -> {
                assertThat(t.job()).isEqualTo("prometheus");
                assertThat(t.instance()).isEqualTo(prometheus.uri().getAuthority());
                assertThat(t.isUp()).isTrue();
            });

            QueryResult up = prometheus.awaitQuery("up", r -> !r.isEmpty(), Duration.ofSeconds(20));
            assertThat(up.resultType()).isEqualTo("vector");
            assertThat(up.singleValue()).isEqualTo(1.0);
            assertThat(up.samples().get(0).labels())
                    .containsEntry("__name__", "up")
                    .containsEntry("job", "prometheus")
                    .containsEntry("instance", prometheus.uri().getAuthority());
            assertThat(up.valueWhere(Map.of("job", "prometheus"))).hasValue(1.0);
            assertThat(up.valueWhere(Map.of("job", "streamsgd"))).isEmpty();

            assertThat(prometheus.query("1 + 1").resultType()).isEqualTo("scalar");
            assertThat(prometheus.query("1 + 1").singleValue()).isEqualTo(2.0);
            assertThat(prometheus.query("up{job=\"nothing\"}").isEmpty()).isTrue();
            // Special values arrive as strings: "NaN", "+Inf".
            assertThat(prometheus.query("vector(0) / 0").singleValue()).isNaN();
            assertThat(prometheus.query("vector(1) / 0").singleValue()).isInfinite();
            assertThat(prometheus.query("vector(1) / 0").hasFiniteValue()).isFalse();
            // A range selector: the last point of the series.
            QueryResult range = prometheus.query("up[1m]");
            assertThat(range.resultType()).isEqualTo("matrix");
            assertThat(range.singleValue()).isEqualTo(1.0);
            // Its own metrics are scraped too, so rate() over them has data after two scrapes.
            prometheus.awaitQuery("rate(prometheus_http_requests_total[10s])", r -> r.hasFiniteValue(), Duration.ofSeconds(20));
        }
    }

    @Test
    void shouldRejectInvalidPromQlWithPrometheusMessage() throws IOException {
        try (PrometheusServer prometheus = PrometheusServer.builder().start()) {
            assertThatThrownBy(() -> prometheus.query("sum(rate(up[1m])"))
                    .isInstanceOf(PrometheusServer.QueryException.class)
                    .hasMessageContaining("bad_data")
                    .hasMessageContaining("sum(rate(up[1m])");
            assertThatThrownBy(() -> prometheus.query("no_such_function(up)"))
                    .isInstanceOf(PrometheusServer.QueryException.class)
                    .hasMessageContaining("unknown function");
        }
    }

    @Test
    void shouldLoadRuleFilesAndReportTheirHealth() throws IOException {
        try (PrometheusServer prometheus = PrometheusServer.builder().ruleFile(ALERTS).start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<Rule> rules = prometheus.rules();
            while (rules.stream().anyMatch(r -> r.lastEvaluation() == null) && System.nanoTime() < deadline) {
                sleep();
                rules = prometheus.rules();
            }
            assertThat(rules).isNotEmpty().allSatisfy(r -> {
                assertThat(r.type()).isEqualTo("alerting");
                assertThat(r.health()).as(r.name() + ": " + r.lastError()).isEqualTo("ok");
                assertThat(r.lastEvaluation()).as(r.name() + " evaluated").isNotNull();
            });
            assertThat(rules).extracting(Rule::name).contains("StreamsgdDown", "StreamsgdLossRising");
            // No target in job streamsgd at all: the absence alert starts its "for" period.
            assertThat(rules).filteredOn(r -> r.name().equals("StreamsgdMetricsAbsent"))
                    .singleElement().extracting(Rule::state).isIn("pending", "firing");
        }
    }

    @Test
    void closeShouldStopPrometheusAndDeleteItsDirectory() throws IOException {
        PrometheusServer prometheus = PrometheusServer.builder().start();
        Path dir = prometheus.configFile().getParent();
        int port = prometheus.uri().getPort();
        assertThat(dir.resolve("data")).isDirectory();
        prometheus.close();
        assertThat(dir).doesNotExist();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void startShouldFailWithPrometheusLogWhenItCannotStart(@TempDir Path dir) throws IOException {
        Path badRules = dir.resolve("bad.yml");
        Files.writeString(badRules, "groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: sum(\n");
        assertThatThrownBy(() -> PrometheusServer.builder().ruleFile(badRules).start().close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("prometheus exited")
                .hasMessageContaining("--- prometheus log ---")
                .hasMessageContaining("bad.yml");
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
