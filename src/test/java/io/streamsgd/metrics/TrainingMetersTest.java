package io.streamsgd.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamsgd.stream.ModelStatus;
import io.streamsgd.testkit.MetricContract;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Prometheus names, tags and values of the training meters, read from a real scrape. */
class TrainingMetersTest {
    /** The metric contract the dashboards and alert rules are built on. */
    private static final Set<String> CONTRACT = MetricContract.NAMES;
    private static final Pattern SAMPLE = Pattern.compile("^(streamsgd_[a-z0-9_]+)(\\{([^}]*)})? (\\S+)$");

    private PrometheusMeterRegistry registry;
    private TrainingMeters meters;

    @BeforeEach
    void bind() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters = new TrainingMeters(List.of("l1", "l2"));
        meters.bindTo(registry);
    }

    private static ModelStatus status(String model, long version, long trained, long predicted, long nonzeros,
                                      long lastSnapshotMillis) {
        return new ModelStatus(model, version, trained, predicted, 0.5 * trained, trained / 2, 0.75, 0.8, nonzeros,
                nonzeros + 3, 1.5, 0.25, lastSnapshotMillis);
    }

    /** The value of the one sample with exactly this name and these labels. */
    private double sample(String name, String labels) {
        String scrape = registry.scrape();
        String prefix = name + "{" + labels + "} ";
        return scrape.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .reduce((a, b) -> {
                    throw new AssertionError("two samples " + prefix);
                }).orElseThrow(() -> new AssertionError("no sample " + prefix + " in\n" + scrape));
    }

    @Test
    void shouldExposeExactlyTheContractNamesWithModelAndOutcomeTagsOnly() {
        meters.status(status("l1", 1, 10, 2, 5, 1_700_000_000_000L));
        meters.predicted("l1", true, 0.3, 20_000);
        meters.snapshotted(status("l1", 1, 10, 2, 5, 1_700_000_000_000L), 4096, 3_000_000);
        meters.deadLettered(null, "not_json");
        Set<String> names = new TreeSet<>();
        Set<String> labelNames = new TreeSet<>();
        for (String line : registry.scrape().lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches()) {
                names.add(m.group(1));
                if (m.group(3) != null) {
                    for (String pair : m.group(3).split(",")) {
                        labelNames.add(pair.substring(0, pair.indexOf('=')));
                    }
                }
            }
        }
        assertThat(names).isEqualTo(new TreeSet<>(CONTRACT));
        assertThat(labelNames).as("tags: model and outcome only (and the histogram's le)")
                .containsExactlyInAnyOrder("model", "outcome", "le");
    }

    @Test
    void trainedAndPredictedShouldBeTheExactStoredCountsAndNeverGoDown() {
        meters.status(status("l1", 0, 100, 7, 0, 0));
        assertThat(sample("streamsgd_events_total", "model=\"l1\",outcome=\"trained\"")).isEqualTo(100);
        assertThat(sample("streamsgd_events_total", "model=\"l1\",outcome=\"predicted\"")).isEqualTo(7);
        // A restore after an aborted transaction reports the committed, lower counts first.
        meters.status(status("l1", 0, 90, 5, 0, 0));
        assertThat(sample("streamsgd_events_total", "model=\"l1\",outcome=\"trained\"")).isEqualTo(100);
        meters.status(status("l1", 0, 101, 7, 0, 0));
        assertThat(sample("streamsgd_events_total", "model=\"l1\",outcome=\"trained\"")).isEqualTo(101);
        assertThat(sample("streamsgd_events_total", "model=\"l2\",outcome=\"trained\"")).isZero();
        assertThat(meters.latest("l1")).get().extracting(ModelStatus::trained).isEqualTo(101L);
        assertThat(meters.latest("l2")).isEmpty();
    }

    @Test
    void lossSummaryShouldCountTrainedEventsOnly() {
        meters.predicted("l1", true, 0.25, 1_000);
        meters.predicted("l1", true, 1.5, 2_000);
        meters.predicted("l1", false, Double.NaN, 3_000);
        assertThat(sample("streamsgd_progressive_loss_count", "model=\"l1\"")).isEqualTo(2);
        assertThat(sample("streamsgd_progressive_loss_sum", "model=\"l1\"")).isEqualTo(1.75);
        assertThat(sample("streamsgd_progressive_loss_max", "model=\"l1\"")).isEqualTo(1.5);
        assertThat(sample("streamsgd_update_latency_seconds_count", "model=\"l1\"")).isEqualTo(3);
        assertThat(sample("streamsgd_update_latency_seconds_sum", "model=\"l1\"")).isEqualTo(6e-6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(sample("streamsgd_update_latency_seconds_bucket", "model=\"l1\",le=\"+Inf\"")).isEqualTo(3);
    }

    @Test
    void gaugesShouldShowTheLatestStatus() {
        assertThat(sample("streamsgd_model_nonzero_weights", "model=\"l2\"")).isZero();
        assertThat(sample("streamsgd_progressive_accuracy", "model=\"l2\"")).isNaN();
        assertThat(sample("streamsgd_snapshot_last_timestamp_seconds", "model=\"l2\"")).isZero();
        meters.status(status("l2", 4, 10, 0, 42, 1_700_000_000_500L));
        assertThat(sample("streamsgd_model_nonzero_weights", "model=\"l2\"")).isEqualTo(42);
        assertThat(sample("streamsgd_model_stored_weights", "model=\"l2\"")).isEqualTo(45);
        assertThat(sample("streamsgd_model_version", "model=\"l2\"")).isEqualTo(4);
        assertThat(sample("streamsgd_model_weight_l1_norm", "model=\"l2\"")).isEqualTo(1.5);
        assertThat(sample("streamsgd_model_weight_l2_norm", "model=\"l2\"")).isEqualTo(0.25);
        assertThat(sample("streamsgd_progressive_accuracy", "model=\"l2\"")).isEqualTo(0.75);
        assertThat(sample("streamsgd_progressive_auc", "model=\"l2\"")).isEqualTo(0.8);
        assertThat(sample("streamsgd_snapshot_last_timestamp_seconds", "model=\"l2\"")).isEqualTo(1_700_000_000.5);
    }

    @Test
    void snapshotsShouldBeTimedAndSizedInBaseUnits() {
        meters.snapshotted(status("l2", 1, 10, 0, 5, 1), 2048, 250_000_000);
        assertThat(sample("streamsgd_snapshot_duration_seconds_sum", "model=\"l2\"")).isEqualTo(0.25);
        assertThat(sample("streamsgd_snapshot_size_bytes_sum", "model=\"l2\"")).isEqualTo(2048);
        assertThat(sample("streamsgd_model_version", "model=\"l2\"")).isEqualTo(1);
    }

    @Test
    void deadLettersOfUnknownModelsShouldCountUnderNoneWithoutNewSeries() {
        meters.deadLettered("l1", "bad_label");
        meters.deadLettered(null, "not_json");
        meters.deadLettered("attacker-chosen-name", "unknown_model");
        meters.predicted("attacker-chosen-name", true, 1.0, 1);
        meters.status(status("attacker-chosen-name", 1, 1, 1, 1, 1));
        assertThat(sample("streamsgd_events_total", "model=\"l1\",outcome=\"dead_lettered\"")).isEqualTo(1);
        assertThat(sample("streamsgd_events_total", "model=\"none\",outcome=\"dead_lettered\"")).isEqualTo(2);
        assertThat(registry.scrape()).doesNotContain("attacker-chosen-name");
    }

    @Test
    void shouldRefuseAModelNamedNoneAndASecondBinding() {
        assertThatThrownBy(() -> new TrainingMeters(List.of("none"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> meters.bindTo(registry)).isInstanceOf(IllegalStateException.class);
    }
}
