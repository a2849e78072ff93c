package io.streamsgd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamsgd.testkit.DashboardQueries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards and provisioning files as Grafana would load them from
 * deploy/docker-compose.yml. No Grafana server is obtainable here, so this checks the JSON
 * structure Grafana relies on; the queries themselves run against a real Prometheus in
 * DashboardQueriesTest.
 */
class DashboardJsonTest {
    private static final Path DASHBOARDS = Repo.path("grafana/dashboards");
    /** Panel types whose JSON layout these checks know (fieldConfig.defaults.unit, targets). */
    private static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat", "gauge", "bargauge", "table");
    /**
     * Grafana unit ids (packages/grafana-data/src/valueFormats/categories.ts) that fit our
     * metrics; a typo ("second", "percent_unit") would make Grafana print raw numbers.
     */
    private static final Set<String> UNITS = Set.of(
            "none", "short", "percent", "percentunit", "ns", "µs", "ms", "s", "m", "h", "d",
            "dtdurations", "dtdurationms", "bytes", "decbytes", "kbytes", "mbytes", "Bps",
            "cps", "ops", "reqps", "rps", "wps", "iops", "cpm", "opm", "hertz", "locale", "sci",
            "dateTimeAsIso", "dateTimeFromNow");
    /** Grafana's built-in variables that may appear in queries. */
    private static final Set<String> BUILT_INS = Set.of(
            "__rate_interval", "__interval", "__interval_ms", "__range", "__range_s", "__range_ms");

    private static List<Path> dashboardFiles() {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            List<Path> list = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            assertThat(list).as("dashboards in " + DASHBOARDS).isNotEmpty();
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<Path, JsonNode> dashboards() {
        Map<Path, JsonNode> dashboards = new LinkedHashMap<>();
        dashboardFiles().forEach(f -> dashboards.put(f, Repo.json(f)));
        return dashboards;
    }

    private static List<JsonNode> nonRowPanels(JsonNode dashboard) {
        return DashboardQueries.panels(dashboard).stream().filter(p -> !"row".equals(p.path("type").asText())).toList();
    }

    private static JsonNode provisionedDatasource() {
        JsonNode datasources = Repo.yaml("grafana/provisioning/datasources/prometheus.yml").path("datasources");
        assertThat(datasources).as("provisioned datasources").hasSize(1);
        return datasources.get(0);
    }

    @Test
    void everyDashboardShouldBeAProvisionableGrafanaDashboard() {
        Set<String> uids = new HashSet<>();
        dashboards().forEach((file, d) -> {
            String where = file.getFileName().toString();
            assertThat(d.path("uid").asText()).as(where + " uid").matches("[a-z0-9-]{1,40}");
            assertThat(uids.add(d.path("uid").asText())).as(where + " uid is unique").isTrue();
            assertThat(d.path("title").asText()).as(where + " title").startsWith("streamsgd / ");
            // Grafana 10.4-11.x write 39-41 and migrate older versions on load; far older
            // numbers would mean a dashboard exported from an ancient Grafana.
            assertThat(d.path("schemaVersion").asInt()).as(where + " schemaVersion").isBetween(36, 41);
            // A provisioned dashboard must not carry the database id of the Grafana it came from.
            assertThat(d.path("id").isNull()).as(where + " id is null").isTrue();
            assertThat(d.path("time").path("from").asText()).as(where + " time range").isNotBlank();
            assertThat(d.path("panels").size()).as(where + " panels").isPositive();
        });
    }

    @Test
    void everyPanelShouldHaveATypeUnitDescriptionAndTheProvisionedDatasource() {
        String uid = provisionedDatasource().path("uid").asText();
        dashboards().forEach((file, d) -> {
            for (JsonNode panel : nonRowPanels(d)) {
                String where = file.getFileName() + " panel " + panel.path("id") + " \"" + panel.path("title").asText() + "\"";
                assertThat(panel.path("type").asText()).as(where + " type").isIn(PANEL_TYPES);
                assertThat(panel.path("title").asText()).as(where + " title").isNotBlank();
                assertThat(panel.path("description").asText()).as(where + " description").isNotBlank();
                assertThat(panel.path("fieldConfig").path("defaults").path("unit").asText())
                        .as(where + " fieldConfig.defaults.unit").isIn(UNITS);
                assertThat(panel.path("datasource").path("type").asText()).as(where + " datasource type").isEqualTo("prometheus");
                assertThat(panel.path("datasource").path("uid").asText()).as(where + " datasource uid").isEqualTo(uid);
                assertThat(panel.path("targets").size()).as(where + " targets").isPositive();
            }
        });
    }

    @Test
    void everyTargetShouldHaveAnExprAUniqueRefIdAndTheProvisionedDatasource() {
        String uid = provisionedDatasource().path("uid").asText();
        dashboards().forEach((file, d) -> {
            for (JsonNode panel : nonRowPanels(d)) {
                String where = file.getFileName() + " panel " + panel.path("id");
                Set<String> refIds = new HashSet<>();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("expr").asText()).as(where + " target expr").isNotBlank();
                    assertThat(refIds.add(target.path("refId").asText())).as(where + " refId unique").isTrue();
                    if (target.has("datasource")) {
                        assertThat(target.path("datasource").path("uid").asText()).as(where + " target datasource").isEqualTo(uid);
                    }
                }
            }
        });
    }

    @Test
    void panelIdsShouldBeUniqueAndPanelsShouldNotOverlap() {
        dashboards().forEach((file, d) -> {
            Set<Integer> ids = new HashSet<>();
            Map<String, String> cells = new HashMap<>();
            for (JsonNode panel : DashboardQueries.panels(d)) {
                String where = file.getFileName() + " panel " + panel.path("id") + " \"" + panel.path("title").asText() + "\"";
                assertThat(panel.path("id").isInt()).as(where + " id").isTrue();
                assertThat(ids.add(panel.path("id").asInt())).as(where + " id unique").isTrue();
                JsonNode pos = panel.path("gridPos");
                int x = pos.path("x").asInt(-1);
                int y = pos.path("y").asInt(-1);
                int w = pos.path("w").asInt(0);
                int h = pos.path("h").asInt(0);
                assertThat(x).as(where + " gridPos.x").isGreaterThanOrEqualTo(0);
                assertThat(y).as(where + " gridPos.y").isGreaterThanOrEqualTo(0);
                assertThat(w).as(where + " gridPos.w").isPositive();
                assertThat(h).as(where + " gridPos.h").isPositive();
                assertThat(x + w).as(where + " fits the 24-column grid").isLessThanOrEqualTo(24);
                for (int cx = x; cx < x + w; cx++) {
                    for (int cy = y; cy < y + h; cy++) {
                        String previous = cells.put(cx + "," + cy, where);
                        assertThat(previous).as(where + " overlaps " + previous).isNull();
                    }
                }
            }
        });
    }

    @Test
    void everyVariableUsedInAQueryShouldBeDefinedWithTheProvisionedDatasource() {
        String uid = provisionedDatasource().path("uid").asText();
        dashboards().forEach((file, d) -> {
            Set<String> defined = new HashSet<>(BUILT_INS);
            for (JsonNode variable : d.path("templating").path("list")) {
                defined.add(variable.path("name").asText());
                if ("query".equals(variable.path("type").asText())) {
                    assertThat(variable.path("datasource").path("uid").asText())
                            .as(file.getFileName() + " variable " + variable.path("name")).isEqualTo(uid);
                }
            }
            for (JsonNode panel : nonRowPanels(d)) {
                for (JsonNode target : panel.path("targets")) {
                    assertThat(defined).as(file.getFileName() + " panel " + panel.path("id") + " uses undefined variables")
                            .containsAll(DashboardQueries.variablesUsed(target.path("expr").asText()));
                }
            }
        });
    }

    @Test
    void modelsDashboardShouldSelectModelsWithAMultiValueVariable() {
        JsonNode d = Repo.json(DASHBOARDS.resolve("streamsgd-models.json"));
        assertThat(d.path("uid").asText()).isEqualTo("streamsgd-models");
        assertThat(d.path("title").asText()).isEqualTo("streamsgd / models");
        JsonNode model = null;
        for (JsonNode variable : d.path("templating").path("list")) {
            if ("model".equals(variable.path("name").asText())) {
                model = variable;
            }
        }
        assertThat(model).as("variable model").isNotNull();
        assertThat(model.path("type").asText()).isEqualTo("query");
        assertThat(model.path("definition").asText()).isEqualTo("label_values(streamsgd_events_total, model)");
        assertThat(model.path("query").path("query").asText()).isEqualTo("label_values(streamsgd_events_total, model)");
        assertThat(model.path("multi").asBoolean()).as("multi").isTrue();
        assertThat(model.path("includeAll").asBoolean()).as("includeAll").isTrue();
        // Every streamsgd_* selector filters on the selection, so "All" and a single model work.
        for (JsonNode panel : nonRowPanels(d)) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                Matcher selector = Pattern.compile("(streamsgd_[a-z0-9_]+)\\{([^}]*)}").matcher(expr);
                while (selector.find()) {
                    assertThat(selector.group(2)).as("panel " + panel.path("id") + ": " + selector.group(1))
                            .contains("model=~\"$model");
                }
            }
        }
    }

    @Test
    void modelsDashboardShouldShowWhatTheProductPromises() {
        JsonNode d = Repo.json(DASHBOARDS.resolve("streamsgd-models.json"));
        Map<String, List<String>> exprsByTitle = new LinkedHashMap<>();
        for (JsonNode panel : nonRowPanels(d)) {
            List<String> exprs = new ArrayList<>();
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
            exprsByTitle.put(panel.path("title").asText(), exprs);
        }
        String all = exprsByTitle.values().stream().flatMap(List::stream).collect(Collectors.joining("\n"));
        // product.md section 1 job 3 and section 8, in the contract's metric names.
        assertThat(all)
                .as("windowed mean loss").contains("rate(streamsgd_progressive_loss_sum").contains("rate(streamsgd_progressive_loss_count")
                .as("accuracy").contains("streamsgd_progressive_accuracy")
                .as("AUC").contains("streamsgd_progressive_auc")
                .as("events by outcome").containsPattern("sum by \\(model, outcome\\) \\(rate\\(streamsgd_events_total")
                .as("dead letters").contains("outcome=\"dead_lettered\"")
                .as("latency p50").contains("histogram_quantile(0.5, ").as("latency p99").contains("histogram_quantile(0.99, ")
                .as("consumer lag").contains("kafka_consumer_fetch_manager_records_lag")
                .as("model version").contains("streamsgd_model_version")
                .as("time since last snapshot").contains("time() - (max by (model) (streamsgd_snapshot_last_timestamp_seconds")
                .as("weight norms").contains("streamsgd_model_weight_l1_norm").contains("streamsgd_model_weight_l2_norm")
                .as("snapshot size").contains("streamsgd_snapshot_size_bytes")
                .as("snapshot duration").contains("streamsgd_snapshot_duration_seconds")
                .as("JVM heap").contains("jvm_memory_used_bytes").contains("area=\"heap\"")
                .as("GC").contains("jvm_gc_pause_seconds");
        // L1 and L2 side by side: one series per model in one panel.
        List<String> nonzero = exprsByTitle.get("Nonzero weights");
        assertThat(nonzero).as("panel \"Nonzero weights\"").isNotNull().hasSize(1);
        assertThat(nonzero.get(0)).contains("sum by (model) (streamsgd_model_nonzero_weights");
    }

    @Test
    void dashboardLinksShouldPointAtProvisionedDashboards() {
        Set<String> uids = new HashSet<>();
        dashboards().values().forEach(d -> uids.add(d.path("uid").asText()));
        dashboards().forEach((file, d) -> d.path("links").forEach(link -> {
            String url = link.path("url").asText();
            Matcher m = Pattern.compile("^/d/([a-z0-9-]+)").matcher(url);
            assertThat(m.find()).as(file.getFileName() + " link " + url).isTrue();
            assertThat(uids).as(file.getFileName() + " link target").contains(m.group(1));
        }));
    }

    @Test
    void datasourceShouldPointAtComposePrometheusWithItsScrapeInterval() {
        JsonNode ds = provisionedDatasource();
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        assertThat(ds.path("uid").asText()).isEqualTo("prometheus");
        URI url = URI.create(ds.path("url").asText());
        JsonNode compose = Repo.yaml("deploy/docker-compose.yml").path("services");
        assertThat(compose.has(url.getHost())).as("compose service " + url.getHost()).isTrue();
        assertThat(url.getPort()).as("Prometheus' port").isEqualTo(9090);
        assertThat(compose.path(url.getHost()).path("image").asText()).startsWith("prom/prometheus:");
        // $__rate_interval is derived from timeInterval: it must be the real scrape interval.
        String scrapeInterval = Repo.yaml("deploy/prometheus/prometheus.yml").path("global").path("scrape_interval").asText();
        assertThat(ds.path("jsonData").path("timeInterval").asText()).isEqualTo(scrapeInterval);
    }

    @Test
    void provisioningPathsShouldBeWhereComposeMountsThem() {
        Map<String, String> mounts = new HashMap<>();
        Repo.yaml("deploy/docker-compose.yml").path("services").path("grafana").path("volumes").forEach(v -> {
            String[] parts = v.asText().split(":");
            mounts.put(parts[0], parts[1]);
        });
        JsonNode providers = Repo.yaml("grafana/provisioning/dashboards/streamsgd.yml").path("providers");
        assertThat(providers).hasSize(1);
        JsonNode provider = providers.get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(mounts.get("../grafana/dashboards")).as("compose mount of grafana/dashboards")
                .isEqualTo(provider.path("options").path("path").asText());
        // Grafana reads provisioning from /etc/grafana/provisioning/{datasources,dashboards}.
        assertThat(mounts.get("../grafana/provisioning")).isEqualTo("/etc/grafana/provisioning");
        String home = Repo.yaml("deploy/docker-compose.yml").path("services").path("grafana")
                .path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
        assertThat(home).startsWith(provider.path("options").path("path").asText() + "/");
        assertThat(DASHBOARDS.resolve(home.substring(home.lastIndexOf('/') + 1))).as("home dashboard").isRegularFile();
    }
}
