package io.streamsgd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.testkit.DashboardQueries;
import io.streamsgd.testkit.DashboardQueries.PanelQuery;
import io.streamsgd.testkit.PrometheusServer;
import io.streamsgd.testkit.PrometheusServer.QueryResult;
import io.streamsgd.testkit.PrometheusServer.Rule;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every dashboard query and alert rule, run by a real Prometheus that scrapes contract-shaped
 * metrics ({@link ContractMetricsEndpoint}): each query must parse, and return a finite value;
 * each rule must evaluate without error (vector matching errors only show with real label sets).
 * The same checks against the running service belong to the live test; this one catches
 * mistakes in the dashboards before the service exists.
 */
class DashboardQueriesTest {
    private static ContractMetricsEndpoint endpoint;
    private static PrometheusServer prometheus;
    private static Instant dataSince;

    @BeforeAll
    static void startPrometheusScrapingTheContract() throws IOException {
        endpoint = new ContractMetricsEndpoint();
        prometheus = PrometheusServer.builder()
                .scrape("streamsgd", endpoint.hostPort())
                .ruleFile(Repo.path("deploy/prometheus/alerts.yml"))
                .start();
        prometheus.awaitTargetsUp(Duration.ofSeconds(30));
        // rate() needs two samples of each series in its window, histogram_quantile two of each bucket.
        prometheus.awaitQuery("count_over_time(streamsgd_events_total{model=\"l1\", outcome=\"trained\"}[1m])",
                r -> !r.isEmpty() && r.singleValue() >= 4, Duration.ofSeconds(30));
        dataSince = Instant.now();
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    void endpointShouldExposeExactlyTheContractNames() {
        Set<String> exposed = new TreeSet<>();
        prometheus.query("group by (__name__) ({__name__=~\"streamsgd_.+\"})").samples()
                .forEach(s -> exposed.add(s.label("__name__")));
        assertThat(exposed).isEqualTo(new TreeSet<>(MetricNamesTest.CONTRACT));
    }

    @Test
    void everyPanelQueryShouldReturnAFiniteValueForAllModels() {
        assertEveryPanelHasData(".*");
    }

    @Test
    void everyPanelQueryShouldReturnAFiniteValueForOneModel() {
        assertEveryPanelHasData("l2");
    }

    private static void assertEveryPanelHasData(String modelRegex) {
        List<PanelQuery> queries = DashboardQueries.fromDirectory(Repo.path("grafana/dashboards"),
                DashboardQueries.variables("streamsgd", modelRegex, Duration.ofSeconds(30)));
        assertThat(queries).hasSizeGreaterThan(30);
        List<String> failures = DashboardQueries.withoutData(prometheus, queries);
        assertThat(failures).as("panel queries without a finite value (model=~\"" + modelRegex + "\")").isEmpty();
    }

    @Test
    void everyAlertRuleShouldEvaluateWithoutError() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Rule> rules = prometheus.rules();
        // Wait for an evaluation that saw the data, not one of the first, empty-handed ones.
        while (rules.stream().anyMatch(r -> r.lastEvaluation() == null || r.lastEvaluation().isBefore(dataSince))
                && System.nanoTime() < deadline) {
            sleep();
            rules = prometheus.rules();
        }
        assertThat(rules).hasSizeGreaterThanOrEqualTo(6).allSatisfy(r -> {
            assertThat(r.lastEvaluation()).as(r.name() + " evaluated after data arrived").isAfter(dataSince);
            assertThat(r.health()).as(r.name() + ": " + r.lastError()).isEqualTo("ok");
        });
    }

    @Test
    void deadLetterAlertShouldSeeTheDeadLetters() {
        // The contract endpoint dead-letters one event per scrape for l1 and for model "none".
        String expr = Repo.yaml("deploy/prometheus/alerts.yml").path("groups").get(0).path("rules").findValues("expr")
                .stream().map(e -> e.asText()).filter(e -> e.contains("dead_lettered")).findFirst().orElseThrow();
        QueryResult result = prometheus.query(expr);
        assertThat(result.samples()).extracting(s -> s.label("model")).containsExactlyInAnyOrder("l1", "none");
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
