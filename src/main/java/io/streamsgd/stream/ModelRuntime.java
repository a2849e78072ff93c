package io.streamsgd.stream;

import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.BadInputReason;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.Prediction;
import io.streamsgd.learn.DivergenceException;
import io.streamsgd.learn.Loss;
import io.streamsgd.learn.ModelSnapshot;
import io.streamsgd.learn.OnlineLearner;
import io.streamsgd.learn.ProgressiveMetrics;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One model inside the task that owns it: the learner over the task's state store
 * ({@link ModelStorage}), and the model's record (scalar state, counts, last snapshot), stored
 * with the weights after every event so that the changelog holds everything a restore needs.
 * Window accuracy and AUC are in memory only and start afresh after a restart.
 */
final class ModelRuntime {
    /** Predictions kept for the windowed accuracy and AUC. */
    static final int METRICS_WINDOW = 10_000;

    private final ModelSpec spec;
    private final Loss loss;
    private final ModelStorage store;
    private final OnlineLearner learner;
    private final ProgressiveMetrics window;

    private long version;
    private long predicted;
    private double lossSum;
    private long correct;
    private long nonzeros;
    private double l1Norm;
    private double l2Norm;
    private long lastSnapshotMillis;
    private long stepAtSnapshot;
    /** Where the snapshot interval counts from: the last snapshot, or when this task took the model. */
    private long intervalStart;

    private ModelRuntime(ModelSpec spec, ModelStorage store, ModelRecord record, long nowMillis) {
        this.spec = spec;
        this.loss = spec.learner().loss();
        this.store = store;
        this.learner = new OnlineLearner(spec.learner(), store, record.learner());
        this.window = new ProgressiveMetrics(loss, METRICS_WINDOW);
        this.version = record.version();
        this.predicted = record.predicted();
        this.lossSum = record.lossSum();
        this.correct = record.correct();
        this.nonzeros = record.nonzeros();
        this.l1Norm = record.l1Norm();
        this.l2Norm = record.l2Norm();
        this.lastSnapshotMillis = record.lastSnapshotMillis();
        this.stepAtSnapshot = record.stepAtSnapshot();
        this.intervalStart = lastSnapshotMillis > 0 ? lastSnapshotMillis : nowMillis;
        store.currentRecord(this::record);
    }

    /** The model as stored in this task, or null if the task has never seen it. */
    static ModelRuntime loadIfPresent(ModelSpec spec, KeyValueStore<Bytes, byte[]> store, long nowMillis) {
        ModelStorage storage = open(spec, store);
        ModelRecord record = storage.recovered();
        return record == null ? null : new ModelRuntime(spec, storage, record, nowMillis);
    }

    /** The model as stored in this task, or a new one. */
    static ModelRuntime load(ModelSpec spec, KeyValueStore<Bytes, byte[]> store, long nowMillis) {
        ModelStorage storage = open(spec, store);
        ModelRecord record = storage.recovered();
        return new ModelRuntime(spec, storage, record != null ? record : ModelRecord.INITIAL, nowMillis);
    }

    private static ModelStorage open(ModelSpec spec, KeyValueStore<Bytes, byte[]> store) {
        return ModelStorage.open(store, new StoreKeys(spec.name()),
                spec.learner().buildSchedule().keepsSquaredGradients(), ModelStorage.DEFAULT_RING);
    }

    ModelSpec spec() {
        return spec;
    }

    /**
     * Predicts the event and, if it is labeled, trains on it; the model's record is saved.
     *
     * @throws BadInputException {@code label_out_of_range} for a label the loss does not take, or
     *     {@code diverged} when the update would not be finite; the model is then unchanged
     */
    Prediction handle(Event event, String id) throws BadInputException {
        double margin;
        double label = Double.NaN;
        double lossValue = Double.NaN;
        if (event.hasLabel()) {
            try {
                label = loss.label(event.label());
            } catch (IllegalArgumentException e) {
                throw new BadInputException(BadInputReason.LABEL_OUT_OF_RANGE, e.getMessage());
            }
            try {
                margin = learner.learn(event.features(), label, event.weight());
            } catch (DivergenceException e) {
                throw new BadInputException(BadInputReason.DIVERGED, e.getMessage());
            }
            lossValue = loss.loss(margin, label);
            lossSum += lossValue;
            if (loss.isClassification() && loss.predictsPositive(margin) == (label > 0.5)) {
                correct++;
            }
            window.record(margin, label, lossValue);
        } else {
            margin = learner.predict(event.features());
            predicted++;
        }
        save();
        return new Prediction(id, spec.name(), version, margin, loss.prediction(margin), label, lossValue,
                event.hasLabel());
    }

    /** Trained events since the last snapshot. */
    long eventsSinceSnapshot() {
        return learner.step() - stepAtSnapshot;
    }

    /** Writes every page changed since the last checkpoint now (a clean shutdown's last act). */
    void checkpoint() {
        store.checkpoint();
    }

    /** True when the wall-clock snapshot interval has passed and there is something new to write. */
    boolean snapshotDue(long nowMillis) {
        long interval = spec.snapshotIntervalMs();
        return interval > 0 && nowMillis - intervalStart >= interval && eventsSinceSnapshot() > 0;
    }

    /** Seals the model, takes the next version, and saves the record. */
    ModelSnapshot snapshot(long nowMillis) {
        version++;
        ModelSnapshot s = learner.snapshot(spec.name(), version, nowMillis);
        nonzeros = s.nonzeros();
        l1Norm = s.l1Norm();
        l2Norm = s.l2Norm();
        lastSnapshotMillis = nowMillis;
        intervalStart = nowMillis;
        stepAtSnapshot = learner.step();
        save();
        return s;
    }

    ModelStatus status() {
        return new ModelStatus(spec.name(), version, learner.step(), predicted, lossSum, correct,
                window.windowAccuracy(), loss.isClassification() ? window.auc() : Double.NaN, nonzeros, store.size(),
                l1Norm, l2Norm, lastSnapshotMillis);
    }

    /** A cheap status for after each event: the windowed AUC (a sort) is left out. */
    ModelStatus quickStatus() {
        return new ModelStatus(spec.name(), version, learner.step(), predicted, lossSum, correct, Double.NaN,
                Double.NaN, nonzeros, store.size(), l1Norm, l2Norm, lastSnapshotMillis);
    }

    private void save() {
        store.endEvent();
    }

    /** Writes what changed since the last call to the store; run just before each commit. */
    void flush() {
        store.flush();
    }

    private ModelRecord record() {
        return new ModelRecord(learner.state(), version, predicted, lossSum, correct, store.size(),
                nonzeros, l1Norm, l2Norm, lastSnapshotMillis, stepAtSnapshot);
    }
}
