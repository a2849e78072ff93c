package io.streamsgd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.app.ServiceConfig;
import io.streamsgd.app.StreamSgdService;
import io.streamsgd.codec.SyntheticEvents;
import io.streamsgd.testkit.DashboardQueries;
import io.streamsgd.testkit.DashboardQueries.PanelQuery;
import io.streamsgd.testkit.PromQlNames;
import io.streamsgd.testkit.PrometheusServer;
import io.streamsgd.testkit.PrometheusServer.QueryResult;
import io.streamsgd.testkit.PrometheusServer.Rule;
import io.streamsgd.testkit.SharedBroker;
import io.streamsgd.testkit.TestClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboards and alert rules against the real thing: the service running on the embedded
 * broker with a live stream of events, scraped by a real Prometheus (Debian's package) with the
 * project's scrape job and alert rules. Every query of every panel must return data (a finite
 * value), every rule must evaluate without error with every series it reads present, and the
 * dead-letter alert must fire once bad records arrive.
 */
class DashboardLiveIT {
    private static final String PREFIX = "dash-it-";
    private static StreamSgdService service;
    private static PrometheusServer prometheus;
    private static Thread producer;
    private static final AtomicBoolean producing = new AtomicBoolean(true);

    @BeforeAll
    static void startServiceStreamAndPrometheus() throws Exception {
        Path state = Files.createTempDirectory("dash-it");
        Properties p = SharedBroker.serviceSettings(PREFIX, state);
        p.put("topics.partitions", "1");
        p.put("models", "l1,l2");
        p.put("model.l1.l1", "1e-4");
        p.put("model.l2.l2", "1e-4");
        p.put("model.l1.snapshot.interval.ms", "2000");
        p.put("model.l2.snapshot.interval.ms", "2000");
        p.put("metrics.port", "0");
        service = new StreamSgdService(ServiceConfig.of(p, "test", Map.of()));
        service.start();
        // A steady stream, so that every rate has something to count.
        producer = new Thread(() -> {
            SyntheticEvents events = new SyntheticEvents(11, SyntheticEvents.Shape.DEFAULT.withUnlabeledEvery(5));
            try (KafkaProducer<String, String> out = TestClients.producer(SharedBroker.bootstrapServers())) {
                while (producing.get()) {
                    for (int i = 0; i < 50; i++) {
                        out.send(new ProducerRecord<>(PREFIX + "events", new String(events.next(), java.nio.charset.StandardCharsets.UTF_8)));
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dashboard-it-producer");
        producer.setDaemon(true);
        producer.start();
        prometheus = PrometheusServer.builder()
                .scrape("streamsgd", "127.0.0.1:" + service.httpPort())
                .ruleFile(Repo.path("deploy/prometheus/alerts.yml"))
                .scrapeInterval(Duration.ofSeconds(1))
                .evaluationInterval(Duration.ofSeconds(1))
                .start();
        prometheus.awaitTargetsUp(Duration.ofSeconds(60));
        // Micrometer's Kafka binder registers the client's metrics about a minute after start
        // (per-partition lag and task metrics appear only then); rate() needs two samples.
        prometheus.awaitQuery("count_over_time(kafka_consumer_fetch_manager_records_lag[1m])",
                r -> !r.isEmpty() && r.samples().stream().anyMatch(s -> s.value() >= 3), Duration.ofSeconds(150));
        prometheus.awaitQuery("count_over_time(streamsgd_snapshot_last_timestamp_seconds[1m])",
                r -> !r.isEmpty() && r.samples().stream().allMatch(s -> s.value() >= 3), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        producing.set(false);
        if (producer != null) {
            producer.join(10_000);
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (service != null) {
            service.stop();
        }
    }

    @Test
    void everyPanelQueryShouldReturnDataFromTheRunningService() {
        for (String models : List.of(".*", "l1")) {
            List<PanelQuery> queries = DashboardQueries.fromDirectory(Repo.path("grafana/dashboards"),
                    DashboardQueries.variables("streamsgd", models, Duration.ofSeconds(30)));
            assertThat(queries).hasSizeGreaterThan(30);
            List<String> failures = DashboardQueries.withoutData(prometheus, queries);
            assertThat(failures).as("panel queries without data (model=~\"%s\")", models).isEmpty();
        }
    }

    @Test
    void everyAlertRuleShouldEvaluateOverSeriesThatExist() {
        List<Rule> rules = prometheus.rules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(6);
        List<String> failures = new ArrayList<>();
        for (Rule rule : rules) {
            if (!"ok".equals(rule.health())) {
                failures.add(rule.name() + ": " + rule.health() + " " + rule.lastError());
            }
        }
        Set<String> names = new TreeSet<>();
        Repo.yaml("deploy/prometheus/alerts.yml").findValues("expr")
                .forEach(e -> names.addAll(PromQlNames.metricNames(e.asText())));
        assertThat(names).contains("streamsgd_events_total", "up");
        for (String name : names) {
            if (prometheus.query("count(" + name + ")").isEmpty()) {
                failures.add("no series " + name);
            }
        }
        assertThat(failures).as("alert rules that fail or compare series that do not exist").isEmpty();
    }

    @Test
    void theDeadLetterAlertShouldTurnTrueWhenBadRecordsArrive() throws Exception {
        String expr = Repo.yaml("deploy/prometheus/alerts.yml").findValues("expr").stream().map(e -> e.asText())
                .filter(e -> e.contains("dead_lettered")).findFirst().orElseThrow();
        try (KafkaProducer<String, String> out = TestClients.producer(SharedBroker.bootstrapServers())) {
            for (int i = 0; i < 5; i++) {
                out.send(new ProducerRecord<>(PREFIX + "events", "not json " + i));
            }
            out.flush();
        }
        QueryResult firing = prometheus.awaitQuery(expr, r -> !r.isEmpty(), Duration.ofSeconds(60));
        assertThat(firing.samples()).extracting(s -> s.label("model")).contains("none");
    }
}
