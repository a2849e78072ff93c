package io.streamsgd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.testkit.DashboardQueries;
import io.streamsgd.testkit.MetricContract;
import io.streamsgd.testkit.PromQlNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every metric name in the dashboards and alert rules is one the service exposes: the streamsgd
 * meters of the metric contract, or a name the Micrometer binders really produce (captured from a
 * live Kafka Streams application, see binder-metric-names.txt). A misspelt name would otherwise
 * show up only as an empty panel or an alert that can never fire.
 */
class MetricNamesTest {
    /** The metric names the dashboards and rules may use: {@link MetricContract#NAMES}. */
    static final Set<String> CONTRACT = MetricContract.NAMES;
    /** Prometheus' own series: "up" for the scrape, the rest never used by us. */
    private static final Set<String> PROMETHEUS = Set.of("up");

    static Set<String> binderNames() {
        try (InputStream in = MetricNamesTest.class.getResourceAsStream("binder-metric-names.txt")) {
            assertThat(in).as("binder-metric-names.txt on the test classpath").isNotNull();
            Set<String> names = new TreeSet<>();
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Expression per place (dashboard panel or alert), for failure messages. */
    private static Map<String, String> allExpressions() {
        Map<String, String> exprs = new LinkedHashMap<>();
        DashboardQueries.fromDirectory(Repo.path("grafana/dashboards"),
                        DashboardQueries.variables("streamsgd", ".*", Duration.ofMinutes(1)))
                .forEach(q -> exprs.put(q.dashboardUid() + " panel " + q.panelId() + " " + q.refId(), q.rawExpr()));
        Repo.yaml("deploy/prometheus/alerts.yml").path("groups").forEach(g -> g.path("rules").forEach(r ->
                exprs.put("alert " + r.path("alert").asText(), r.path("expr").asText())));
        return exprs;
    }

    @Test
    void extractorShouldFindSelectorsAndSkipFunctionsLabelsAndDurations() {
        // Guards the scan below: if it found nothing, every name check would pass vacuously.
        assertThat(PromQlNames.metricNames(
                "histogram_quantile(0.99, sum by (model, le) (rate(a_bucket{job=~\"$job\", x=\"y{z}\"}[5m])))"
                        + " / on (job) group_left (model) max(b offset 1h) > 1.5 * c[10m:1m] and time() - d > 1e-5"
                        + " unless absent(up)"))
                .containsExactlyInAnyOrder("a_bucket", "b", "c", "d", "up");
    }

    @Test
    void everyNameInDashboardsAndAlertsShouldBeExposed() {
        Set<String> binders = binderNames();
        assertThat(binders).as("captured binder names").contains("kafka_stream_thread_commit_rate", "jvm_memory_used_bytes");
        Map<String, Set<String>> unknown = new TreeMap<>();
        Set<String> seen = new TreeSet<>();
        allExpressions().forEach((where, expr) -> {
            for (String name : PromQlNames.metricNames(expr)) {
                seen.add(name);
                boolean known = name.startsWith("streamsgd_") ? CONTRACT.contains(name)
                        : binders.contains(name) || PROMETHEUS.contains(name);
                if (!known) {
                    unknown.computeIfAbsent(name, n -> new TreeSet<>()).add(where);
                }
            }
        });
        assertThat(seen).as("names found in dashboards and alerts")
                .contains("streamsgd_events_total", "kafka_consumer_fetch_manager_records_lag", "up");
        assertThat(unknown).as("metric names that nothing exposes (name -> where used)").isEmpty();
    }
}
