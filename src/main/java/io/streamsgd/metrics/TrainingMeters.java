package io.streamsgd.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamsgd.stream.ModelStatus;
import io.streamsgd.stream.TrainerListener;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The model and event meters (product brief section 6), fed by the topology through
 * {@link TrainerListener}. Prometheus names, as the dashboards and alert rules use them:
 * <ul>
 *   <li>{@code streamsgd_events_total{model,outcome}}: outcome {@code trained} and
 *       {@code predicted} are the model's exact stored counts ({@link ModelStatus#trained()},
 *       {@link ModelStatus#predicted()}), so they count each event once across restarts;
 *       {@code dead_lettered} counts dead letters, under {@code model="none"} when the record
 *       named no configured model;</li>
 *   <li>{@code streamsgd_progressive_loss} (summary: {@code _count}, {@code _sum}, {@code _max}),
 *       one sample per trained event: {@code rate(_sum)/rate(_count)} is the windowed mean loss;</li>
 *   <li>gauges {@code streamsgd_progressive_accuracy}, {@code streamsgd_progressive_auc} (recent
 *       window, as of the last status that carried them: the topology computes them for full
 *       statuses, at start and at each snapshot; NaN before), {@code streamsgd_model_nonzero_weights}, {@code streamsgd_model_weight_l1_norm},
 *       {@code streamsgd_model_weight_l2_norm} (of the sealed model at the last snapshot),
 *       {@code streamsgd_model_stored_weights} (entries in the store now),
 *       {@code streamsgd_model_version}, {@code streamsgd_snapshot_last_timestamp_seconds}
 *       (0 before the first snapshot);</li>
 *   <li>{@code streamsgd_update_latency_seconds} (timer with a percentile histogram): the time to
 *       predict, and for a labeled event update, one model for one event;</li>
 *   <li>{@code streamsgd_snapshot_duration_seconds} (timer) and {@code streamsgd_snapshot_size_bytes}
 *       (summary).</li>
 * </ul>
 * Tags are {@code model} and {@code outcome} only. Only configured models get meters: a model
 * name taken from input never becomes a tag value, so hostile input cannot grow the series.
 *
 * <p>Thread-safe: the listener methods are called on stream threads, the meters read on scrape
 * threads. Calls before {@link #bindTo} update the latest statuses but record no samples.
 */
public final class TrainingMeters implements TrainerListener, MeterBinder {
    /** The {@code model} tag of dead letters that name no configured model. */
    public static final String NO_MODEL = "none";
    private static final String EVENTS = "streamsgd.events";

    private final Map<String, ModelMeters> models = new LinkedHashMap<>();
    private volatile Counter unknownModelDeadLetters;

    /** Meters for these models (the configured ones). */
    public TrainingMeters(Collection<String> modelNames) {
        if (modelNames.isEmpty()) {
            throw new IllegalArgumentException("at least one model is needed");
        }
        for (String name : modelNames) {
            if (name.equals(NO_MODEL)) {
                throw new IllegalArgumentException("a model cannot be called '" + NO_MODEL
                        + "': that tag value stands for dead letters of no known model");
            }
            models.put(name, new ModelMeters(name));
        }
    }

    /** Registers every meter of every model; call once. */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (unknownModelDeadLetters != null) {
            throw new IllegalStateException("already bound");
        }
        models.values().forEach(m -> m.bindTo(registry));
        unknownModelDeadLetters = deadLetterCounter(registry, NO_MODEL);
    }

    @Override
    public void predicted(String model, boolean trained, double loss, long latencyNanos) {
        ModelMeters m = models.get(model);
        if (m == null || m.latency == null) {
            return;
        }
        if (trained && !Double.isNaN(loss)) {
            m.loss.record(loss);
        }
        m.latency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void deadLettered(String model, String reasonCode) {
        ModelMeters m = model == null ? null : models.get(model);
        Counter counter = m != null ? m.deadLettered : unknownModelDeadLetters;
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void snapshotted(ModelStatus status, long bytes, long durationNanos) {
        ModelMeters m = models.get(status.model());
        if (m == null) {
            return;
        }
        m.update(status);
        if (m.snapshotDuration != null) {
            m.snapshotDuration.record(durationNanos, TimeUnit.NANOSECONDS);
            m.snapshotSize.record(bytes);
        }
    }

    @Override
    public void status(ModelStatus status) {
        ModelMeters m = models.get(status.model());
        if (m != null) {
            m.update(status);
        }
    }

    /** The configured models, in order. */
    public List<String> models() {
        return List.copyOf(models.keySet());
    }

    /** The latest status reported for {@code model}, if any. */
    public Optional<ModelStatus> latest(String model) {
        ModelMeters m = models.get(model);
        return m == null ? Optional.empty() : Optional.ofNullable(m.latest);
    }

    private static Counter deadLetterCounter(MeterRegistry registry, String model) {
        return Counter.builder(EVENTS).description("Events by model and outcome")
                .tag("model", model).tag("outcome", "dead_lettered").register(registry);
    }

    /** One model's meters and the state its gauges and function counters read. */
    private static final class ModelMeters {
        private final String model;
        // Monotonic views of the exact counts: a status from an aborted transaction can be
        // followed by the restored, lower one; a Prometheus counter must never go down.
        private final AtomicLong trained = new AtomicLong();
        private final AtomicLong predicted = new AtomicLong();
        private volatile ModelStatus latest;
        // The windowed figures of the last status that had them: the status after each event
        // leaves them out (NaN) because the AUC is a sort; full statuses come with snapshots.
        private volatile double windowAccuracy = Double.NaN;
        private volatile double windowAuc = Double.NaN;
        private volatile DistributionSummary loss;
        private volatile Timer latency;
        private volatile Counter deadLettered;
        private volatile Timer snapshotDuration;
        private volatile DistributionSummary snapshotSize;

        ModelMeters(String model) {
            this.model = model;
        }

        void update(ModelStatus status) {
            latest = status;
            if (!Double.isNaN(status.windowAccuracy())) {
                windowAccuracy = status.windowAccuracy();
            }
            if (!Double.isNaN(status.windowAuc())) {
                windowAuc = status.windowAuc();
            }
            trained.accumulateAndGet(status.trained(), Math::max);
            predicted.accumulateAndGet(status.predicted(), Math::max);
        }

        void bindTo(MeterRegistry registry) {
            FunctionCounter.builder(EVENTS, this, m -> m.trained.get()).description("Events by model and outcome")
                    .tag("model", model).tag("outcome", "trained").register(registry);
            FunctionCounter.builder(EVENTS, this, m -> m.predicted.get()).description("Events by model and outcome")
                    .tag("model", model).tag("outcome", "predicted").register(registry);
            deadLettered = deadLetterCounter(registry, model);
            loss = DistributionSummary.builder("streamsgd.progressive.loss")
                    .description("Progressive loss of each trained event, measured before the update")
                    .tag("model", model).register(registry);
            latency = Timer.builder("streamsgd.update.latency")
                    .description("Time to predict and, for a labeled event, update one model for one event")
                    .tag("model", model).publishPercentileHistogram()
                    // Updates take microseconds: the default range (1 ms to 30 s) would put them all in one bucket.
                    .minimumExpectedValue(Duration.ofNanos(1_000)).maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry);
            snapshotDuration = Timer.builder("streamsgd.snapshot.duration")
                    .description("Time to seal and write a snapshot").tag("model", model).register(registry);
            snapshotSize = DistributionSummary.builder("streamsgd.snapshot.size").baseUnit("bytes")
                    .description("Size of a snapshot, all parts").tag("model", model).register(registry);
            Gauge.builder("streamsgd.progressive.accuracy", this, m -> m.windowAccuracy)
                    .description("Accuracy over the recent window, as of the last full status (snapshot)")
                    .tag("model", model).register(registry);
            Gauge.builder("streamsgd.progressive.auc", this, m -> m.windowAuc)
                    .description("AUC over the recent window, as of the last full status (snapshot)")
                    .tag("model", model).register(registry);
            gauge(registry, "streamsgd.model.nonzero.weights", null, "Non-zero weights of the model at the last snapshot",
                    s -> s.nonzeros());
            gauge(registry, "streamsgd.model.stored.weights", null,
                    "Weight entries in the store now (may include weights still owing truncation)", s -> s.stored());
            gauge(registry, "streamsgd.model.version", null, "Version of the last snapshot", s -> s.version());
            gauge(registry, "streamsgd.model.weight.l1.norm", null, "Sum of absolute weights at the last snapshot",
                    s -> s.l1Norm());
            gauge(registry, "streamsgd.model.weight.l2.norm", null, "Euclidean norm of the weights at the last snapshot",
                    s -> s.l2Norm());
            gauge(registry, "streamsgd.snapshot.last.timestamp", "seconds",
                    "Wall-clock time of the last snapshot, Unix seconds (0 before the first)",
                    s -> s.lastSnapshotMillis() / 1000.0);
        }

        private void gauge(MeterRegistry registry, String name, String baseUnit, String description,
                           ToDoubleFunction<ModelStatus> value) {
            Gauge.builder(name, this, m -> m.latest == null ? 0.0 : value.applyAsDouble(m.latest))
                    .description(description).baseUnit(baseUnit).tag("model", model).register(registry);
        }

    }
}
