package io.streamsgd.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every PromQL query of the Grafana dashboards, with the dashboard variables replaced by concrete
 * values, ready to run against a real Prometheus ({@link PrometheusServer#query}).
 *
 * <pre>{@code
 * Map<String, String> vars = DashboardQueries.variables("streamsgd", ".*", Duration.ofSeconds(30));
 * for (PanelQuery q : DashboardQueries.fromDirectory(Path.of("grafana/dashboards"), vars)) {
 *     assertThat(prometheus.query(q.expr()).isEmpty()).as(q.toString()).isFalse();
 * }
 * }</pre>
 *
 * <p>Grafana substitutes {@code $name}, {@code ${name}} and {@code [[name]]}; so does this class.
 * A variable without a value is an error, so a dashboard that gains a variable cannot slip past a
 * test with an unsubstituted {@code $} that Prometheus would reject for another reason.
 */
public final class DashboardQueries {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** ${name} or ${name:format}, $name, [[name]]. Grafana's built-ins start with "__". */
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+))?}|\\$([A-Za-z_][A-Za-z0-9_]*)|\\[\\[([A-Za-z_][A-Za-z0-9_]*)]]");

    private DashboardQueries() {}

    /** One query of one panel; {@code rawExpr} as written in the dashboard, {@code expr} substituted. */
    public record PanelQuery(String dashboardUid, int panelId, String panelTitle, String refId,
                             String rawExpr, String expr) {
        @Override
        public String toString() {
            return dashboardUid + " panel " + panelId + " \"" + panelTitle + "\" " + refId + ": " + expr;
        }
    }

    /**
     * The variables of the streamsgd dashboards: {@code job} (the scrape job), {@code model} (a
     * regex, as Grafana passes a multi-value or "All" selection, e.g. {@code ".*"} or
     * {@code "l1|l2"}), and Grafana's interval built-ins all set to {@code window}
     * ({@code $__rate_interval}, {@code $__interval}, {@code $__range}, and their {@code _s}/{@code _ms} forms).
     */
    public static Map<String, String> variables(String job, String modelRegex, Duration window) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("job", job);
        variables.put("model", modelRegex);
        String promDuration = window.toMillis() + "ms";
        variables.put("__rate_interval", promDuration);
        variables.put("__interval", promDuration);
        variables.put("__interval_ms", Long.toString(window.toMillis()));
        variables.put("__range", promDuration);
        variables.put("__range_s", Long.toString(window.toSeconds()));
        variables.put("__range_ms", Long.toString(window.toMillis()));
        return variables;
    }

    /** The queries of every {@code *.json} dashboard in {@code dir}, in file-name order. */
    public static List<PanelQuery> fromDirectory(Path dir, Map<String, String> variables) {
        try (Stream<Path> files = Files.list(dir)) {
            List<PanelQuery> queries = new ArrayList<>();
            files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted()
                    .forEach(f -> queries.addAll(fromDashboard(f, variables)));
            return queries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The queries of one dashboard file, panels inside rows included. */
    public static List<PanelQuery> fromDashboard(Path file, Map<String, String> variables) {
        JsonNode dashboard;
        try {
            dashboard = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
        String uid = dashboard.path("uid").asText();
        List<PanelQuery> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String raw = target.path("expr").asText("");
                if (raw.isBlank()) {
                    continue;
                }
                String expr;
                try {
                    expr = substitute(raw, variables);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file.getFileName() + " panel " + panel.path("id").asInt()
                            + " \"" + panel.path("title").asText() + "\": " + e.getMessage(), e);
                }
                queries.add(new PanelQuery(uid, panel.path("id").asInt(), panel.path("title").asText(),
                        target.path("refId").asText(), raw, expr));
            }
        }
        return queries;
    }

    /**
     * Every panel of a dashboard, depth first: top-level panels and the panels nested in
     * (collapsed) rows, rows included.
     */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /**
     * Replaces Grafana variables in {@code expr}. Formats ({@code ${model:regex}}) are accepted
     * only when they would not change a value that is already a regex or a plain word: raw, regex.
     *
     * @throws IllegalArgumentException naming every variable without a value
     */
    public static String substitute(String expr, Map<String, String> variables) {
        Matcher matcher = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        TreeSet<String> missing = new TreeSet<>();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1)
                    : matcher.group(3) != null ? matcher.group(3) : matcher.group(4);
            String format = matcher.group(2);
            if (format != null && !format.equals("raw") && !format.equals("regex")) {
                throw new IllegalArgumentException("unsupported variable format ${" + name + ":" + format
                        + "} in: " + expr);
            }
            String value = variables.get(name);
            if (value == null) {
                missing.add(name);
                matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group()));
            } else {
                matcher.appendReplacement(out, Matcher.quoteReplacement(value));
            }
        }
        matcher.appendTail(out);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no value for variable(s) " + missing + " in: " + expr);
        }
        return out.toString();
    }

    /** Names of the variables ({@code $x}, {@code ${x}}, {@code [[x]]}) that {@code expr} uses. */
    public static TreeSet<String> variablesUsed(String expr) {
        TreeSet<String> names = new TreeSet<>();
        Matcher matcher = VARIABLE.matcher(expr);
        while (matcher.find()) {
            names.add(matcher.group(1) != null ? matcher.group(1)
                    : matcher.group(3) != null ? matcher.group(3) : matcher.group(4));
        }
        return names;
    }

    /**
     * Runs every query through Prometheus and returns those without a finite value (or that
     * failed), one line each; empty when every panel has data.
     */
    public static java.util.List<String> withoutData(PrometheusServer prometheus, java.util.List<PanelQuery> queries) {
        java.util.List<String> failures = new java.util.ArrayList<>();
        for (PanelQuery query : queries) {
            try {
                PrometheusServer.QueryResult result = prometheus.query(query.expr());
                if (!result.hasFiniteValue()) {
                    failures.add(query + " -> " + result.samples());
                }
            } catch (PrometheusServer.QueryException e) {
                failures.add(query + " -> " + e.getMessage());
            }
        }
        return failures;
    }
}
