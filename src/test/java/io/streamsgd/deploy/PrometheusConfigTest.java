package io.streamsgd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamsgd.testkit.PrometheusBinaries;
import io.streamsgd.testkit.PrometheusBinaries.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus configurations (compose, Kubernetes, the local script's) and the alert rules,
 * checked by the real promtool (Debian package; missing promtool fails the test, as CI installs
 * it) and by their alert unit tests.
 */
class PrometheusConfigTest {
    private static final String ALERTS = "deploy/prometheus/alerts.yml";

    private static void assertPromtool(Result result, String what) {
        assertThat(result.succeeded()).as(what + ":\n" + result.output()).isTrue();
    }

    @Test
    void composeConfigShouldPassPromtool() {
        // check config also checks the rule files it references.
        assertPromtool(PrometheusBinaries.promtool(Repo.ROOT, "check", "config", "deploy/prometheus/prometheus.yml"),
                "promtool check config deploy/prometheus/prometheus.yml");
    }

    @Test
    void kubernetesConfigShouldPassPromtool() {
        assertPromtool(PrometheusBinaries.promtool(Repo.ROOT, "check", "config", "deploy/prometheus/prometheus-kubernetes.yml"),
                "promtool check config deploy/prometheus/prometheus-kubernetes.yml");
    }

    @Test
    void localConfigGeneratedByTheScriptShouldPassPromtool(@TempDir Path dir) throws IOException {
        Result printed = runScript("--print-config", "--port", "19090", "--target", "127.0.0.1:19404");
        assertThat(printed.succeeded()).as(printed.output()).isTrue();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, printed.output());
        assertPromtool(PrometheusBinaries.promtool(dir, "check", "config", config.toString()),
                "promtool check config on start-prometheus.sh --print-config:\n" + printed.output());

        JsonNode local = Repo.yamlDocumentsOf(printed.output(), "generated config").get(0);
        assertThat(local.path("rule_files").get(0).asText()).as("rules of the local run")
                .isEqualTo(Repo.path(ALERTS).toRealPath().toString());
        assertThat(job(local, "streamsgd").path("static_configs").get(0).path("targets").get(0).asText())
                .isEqualTo("127.0.0.1:19404");
        assertThat(job(local, "prometheus").path("static_configs").get(0).path("targets").get(0).asText())
                .isEqualTo("127.0.0.1:19090");
        // The local run shows what compose shows: same interval.
        JsonNode compose = Repo.yaml("deploy/prometheus/prometheus.yml");
        assertThat(local.path("global")).isEqualTo(compose.path("global"));
    }

    @Test
    void scriptShouldRejectUnknownArguments() {
        Result result = runScript("--prot", "1");
        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("unknown argument: --prot");
    }

    @Test
    void alertRulesShouldPassPromtool() {
        assertPromtool(PrometheusBinaries.promtool(Repo.ROOT, "check", "rules", ALERTS), "promtool check rules " + ALERTS);
    }

    @Test
    void alertRulesShouldPassTheirUnitTests() {
        assertPromtool(PrometheusBinaries.promtool(Repo.ROOT, "test", "rules", "deploy/prometheus/alerts.test.yml"),
                "promtool test rules deploy/prometheus/alerts.test.yml");
    }

    @Test
    void everyAlertShouldHaveSeveritySummaryAndDescription() {
        List<JsonNode> alerts = alerts();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(6);
        for (JsonNode alert : alerts) {
            String name = alert.path("alert").asText();
            assertThat(name).as("alert name").matches("Streamsgd[A-Za-z]+");
            assertThat(alert.path("labels").path("severity").asText()).as(name + " severity").isIn("critical", "warning", "info");
            assertThat(alert.path("annotations").path("summary").asText()).as(name + " summary").isNotBlank();
            assertThat(alert.path("annotations").path("description").asText()).as(name + " description").isNotBlank();
            assertThat(alert.path("expr").asText()).as(name + " selects the streamsgd job").contains("job=\"streamsgd\"");
        }
        assertThat(alerts).extracting(a -> a.path("alert").asText()).contains(
                "StreamsgdDown", "StreamsgdLossRising", "StreamsgdNonzeroWeightsCollapsed",
                "StreamsgdNonzeroWeightsExploding", "StreamsgdDeadLetters", "StreamsgdConsumerLagGrowing",
                "StreamsgdSnapshotStale");
    }

    @Test
    void everyAlertShouldHaveUnitTestsWhereItFiresAndWhereItDoesNot() {
        Set<String> fires = new HashSet<>();
        Set<String> silent = new HashSet<>();
        Repo.yaml("deploy/prometheus/alerts.test.yml").path("tests").forEach(t -> t.path("alert_rule_test").forEach(c -> {
            String alert = c.path("alertname").asText();
            (c.path("exp_alerts").size() > 0 ? fires : silent).add(alert);
        }));
        for (JsonNode alert : alerts()) {
            String name = alert.path("alert").asText();
            assertThat(fires).as(name + " has a test case where it fires").contains(name);
            assertThat(silent).as(name + " has a test case where it stays silent").contains(name);
        }
    }

    @Test
    void everyConfigShouldScrapeJobStreamsgdAndLoadTheAlerts() {
        for (String file : List.of("deploy/prometheus/prometheus.yml", "deploy/prometheus/prometheus-kubernetes.yml")) {
            JsonNode config = Repo.yaml(file);
            assertThat(job(config, "streamsgd")).as(file + " job streamsgd").isNotNull();
            assertThat(config.path("rule_files").get(0).asText()).as(file + " rule_files").isEqualTo("alerts.yml");
            assertThat(Repo.path(file).resolveSibling("alerts.yml")).isEqualTo(Repo.path(ALERTS));
        }
        // Compose: the target is the compose service on its metrics port.
        JsonNode target = job(Repo.yaml("deploy/prometheus/prometheus.yml"), "streamsgd").path("static_configs").get(0).path("targets");
        assertThat(target).hasSize(1);
        String port = Repo.properties(Repo.read("deploy/compose/streamsgd.properties")).getProperty("metrics.port");
        assertThat(target.get(0).asText()).isEqualTo("streamsgd:" + port);
        assertThat(Repo.yaml("deploy/docker-compose.yml").path("services").has("streamsgd")).isTrue();
    }

    private static List<JsonNode> alerts() {
        List<JsonNode> alerts = new java.util.ArrayList<>();
        Repo.yaml(ALERTS).path("groups").forEach(g -> g.path("rules").forEach(r -> {
            if (r.has("alert")) {
                alerts.add(r);
            }
        }));
        return alerts;
    }

    private static JsonNode job(JsonNode config, String name) {
        for (JsonNode job : config.path("scrape_configs")) {
            if (name.equals(job.path("job_name").asText())) {
                return job;
            }
        }
        return null;
    }

    private static Result runScript(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "deploy/local/start-prometheus.sh"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(Repo.ROOT.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
