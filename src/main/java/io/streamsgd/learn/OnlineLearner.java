package io.streamsgd.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A sparse linear model trained one event at a time by SGD with lazily applied regularization.
 *
 * <p>Per labeled event (step {@code t}): every weight of the event's features is first caught up
 * with the regularization it missed through step {@code t-1} ({@link LazyRegularizer}); the margin
 * is computed from those weights (the progressive prediction, made before the update); then each
 * of those weights takes its gradient step {@code w_j -= eta_j * h * dloss/dz * x_j} (or, for the
 * adaptive schedule, its importance-aware form) and the bias its own (never regularized). The weights are stored as of step {@code t-1}'s regularization: the
 * regularization of step {@code t} and after is what they owe until touched again, so an event
 * costs O(features in the event), never O(model size). With {@link LearnerConfig#eager()} every
 * stored weight is instead regularized at every step (the slow reference the lazy model equals).
 *
 * <p>A weight that is exactly zero has no entry and no per-coordinate state: when one is found
 * to have reached zero it is removed, and its adaptive state starts afresh. This happens at the
 * same steps, in effect, in the lazy and the eager model, because nothing touches it in between.
 *
 * <p>{@link #predict} and {@link #seal} never change a non-zero weight, so serving predictions
 * and taking snapshots leaves the model bit-for-bit what training alone makes it. Not thread-safe.
 */
public final class OnlineLearner {
    private final LearnerConfig config;
    private final Loss loss;
    private final Schedule schedule;
    private final Regularization regularization;
    private final LazyRegularizer regularizer;
    private final WeightStore store;
    private final boolean normalized;
    private final boolean keepsSquares;
    private final int mask;
    /** The default schedule, whose per-coordinate rates share a global part; else null. */
    private final Schedule.AdaptiveNormalized adaptive;
    /** The store's in-memory table ({@link WeightStore#table}), whose reads can be overlapped ({@link HashedWeightTable#touchAt}, {@link HashedWeightTable#touchIndex}); else null. */
    private final HashedWeightTable table;
    // Where the values of the overlapped reads go (HashedWeightTable.touchAt and touchIndex, LazyRegularizer.prepare),
    // so that the compiler keeps the reads; never used.
    private int touched;
    private double prepared;
    /** The event's normalized squared norm, sum of (x_j / s_j)^2, left by {@link #catchUpAndPredict}. */
    private double eventNorm;

    private long step;
    private double bias;
    private double biasSumSquares;
    private double normalizer;

    // Per-event scratch, reused. The event projected into this model's hash space: slots masked
    // to its bits, features that now share a slot merged (values added, the first name kept, a
    // zero sum dropped), exactly as Features.addToSlot merges them.
    private final ProjectedFeatures projected = new ProjectedFeatures();
    private final WeightEntry entry = new WeightEntry();
    private double[] weights = new double[64];
    private double[] squares = new double[64];
    private double[] scales = new double[64];
    private double[] rates = new double[64];
    private boolean[] found = new boolean[64];
    private int[] indices = new int[64];
    private long[] lastSteps = new long[64];

    public OnlineLearner(LearnerConfig config, WeightStore store) {
        this(config, store, LearnerState.INITIAL);
    }

    /** A learner continuing from a stored state (the store holds the matching weights). */
    public OnlineLearner(LearnerConfig config, WeightStore store, LearnerState state) {
        this.config = config;
        this.loss = config.loss();
        this.schedule = config.buildSchedule();
        this.regularization = config.regularization();
        this.regularizer = LazyRegularizer.of(regularization, schedule, config.epochSteps());
        this.store = store;
        this.normalized = schedule.isNormalized();
        this.keepsSquares = schedule.keepsSquaredGradients();
        this.mask = (int) ((1L << config.hashBits()) - 1);
        this.adaptive = schedule instanceof Schedule.AdaptiveNormalized a ? a : null;
        this.table = store.table();
        this.step = state.step();
        this.bias = state.bias();
        this.biasSumSquares = state.biasSumSquares();
        this.normalizer = state.normalizer();
        regularizer.resume(state.epochStart(), state.step());
    }

    public LearnerConfig config() {
        return config;
    }

    public long step() {
        return step;
    }

    public double bias() {
        return bias;
    }

    public WeightStore store() {
        return store;
    }

    public LearnerState state() {
        return new LearnerState(step, bias, biasSumSquares, normalizer, regularizer.epochStart());
    }

    /**
     * The margin {@code w.x + b} of the current model, without changing anything: the prediction
     * for an unlabeled event.
     */
    public double predict(Features features) {
        project(features);
        double z = bias;
        for (int i = 0; i < projected.size(); i++) {
            if (!store.load(projected.slot(i), entry)) {
                continue;
            }
            double w = regularizer.catchUp(entry.value, entry.step, step);
            double x = projected.value(i);
            if (normalized) {
                w = rescaled(w, entry.scale, Math.abs(x));
            }
            z += w * x;
        }
        return z;
    }

    /**
     * Progressive validation then one SGD step: returns the margin predicted before the update.
     *
     * @param label a label normalized by {@link Loss#label(double)}
     * @param importance the event's importance weight, finite and {@code >= 0}
     * @throws DivergenceException if the margin or the update is not finite; nothing is changed
     */
    public double learn(Features features, double label, double importance) {
        if (!(importance >= 0) || !Double.isFinite(importance)) {
            throw new IllegalArgumentException("importance weight must be finite and >= 0, got " + importance);
        }
        long t = step + 1;
        project(features);
        int n = projected.size();
        ensureScratch(n);
        // The passes between reading the entries and writing them back are methods of their own:
        // the JIT compiles those small loops early and then this method once, instead of
        // compiling one large method over and over (on-stack replacement at each of its loops:
        // 6 compilations, a third of the C2 compiler's time in a `learn` run). The first and the
        // last pass stay here: compiled on their own first, they were too big to inline after,
        // which cost 7% in LearnerBenchmark.
        //
        // The entries are read in a pass of their own: on a table larger than the caches their
        // memory is first touched all at once, and the catch-up of each is prepared (its table
        // entry touched) before any is computed, so that the cache misses overlap.
        int layout = 0;
        boolean indexed = false; // whether indices[] holds each weight's entry index (or -1) already
        if (table != null) {
            if (table.isLarge()) {
                // indices[] holds each weight's home position, then its entry's index
                for (int i = 0; i < n; i++) {
                    indices[i] = table.homeOf(projected.slot(i));
                }
                int sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += table.touchAt(indices[i]);
                }
                for (int i = 0; i < n; i++) {
                    indices[i] = table.indexFrom(indices[i], projected.slot(i));
                }
                for (int i = 0; i < n; i++) {
                    sum += table.touchIndex(indices[i]);
                }
                touched = sum;
                indexed = true;
            }
            layout = table.layout();
        }
        double prepared = 0;
        for (int i = 0; i < n; i++) {
            boolean present;
            if (table != null) {
                int at = indexed ? indices[i] : table.indexOf(projected.slot(i));
                indices[i] = at;
                present = at >= 0;
                if (present) {
                    table.read(at, entry);
                }
            } else {
                present = store.load(projected.slot(i), entry);
            }
            found[i] = present;
            if (present) {
                weights[i] = entry.value;
                lastSteps[i] = entry.step;
                squares[i] = entry.sumSquares;
                scales[i] = entry.scale;
                prepared += regularizer.prepare(entry.step, t - 1);
            } else {
                weights[i] = 0.0;
                squares[i] = 0.0;
                scales[i] = 0.0;
            }
        }
        this.prepared = prepared;
        double z = catchUpAndPredict(n, t);
        if (!Double.isFinite(z)) {
            throw new DivergenceException("margin is not finite (" + z + ") at step " + t);
        }
        double n2 = normalized ? normalizer + eventNorm + 1.0 : normalizer; // + 1 for the bias (x = 1, s = 1)
        double dz = loss.derivative(z, label);
        double b2 = keepsSquares ? biasSumSquares + importance * dz * dz : biasSumSquares;
        double biasRate = rates(n, t, n2, b2, dz, importance);
        // The step: w_j -= rate_j * h * dz * x_j, or its importance-aware form, which moves the
        // margin by predictionChange along the same direction.
        double multiplier = importance * dz; // per unit of rate_j * x_j, with the sign of a descent
        if (normalized) { // the adaptive schedule's updates are importance-aware
            double perUpdate = marginPerUpdate(n, biasRate); // how far the margin moves per unit step
            multiplier = perUpdate > 0 ? -loss.predictionChange(z, label, importance * perUpdate) / perUpdate : 0.0;
        }
        stepWeights(n, multiplier, t);
        double b = bias - biasRate * multiplier;
        if (!Double.isFinite(b)) {
            throw new DivergenceException("bias would become " + b + " at step " + t);
        }
        // Commit: nothing above has changed the model.
        for (int i = 0; i < n; i++) {
            int slot = projected.slot(i);
            if (weights[i] == 0.0) {
                if (found[i]) {
                    store.remove(slot);
                }
            } else if (found[i] && table != null && table.layout() == layout) {
                table.write(indices[i], weights[i], t - 1, squares[i], scales[i]); // no second probe
            } else {
                entry.set(weights[i], t - 1, squares[i], scales[i]);
                store.save(slot, entry, found[i] ? null : projected.name(i));
            }
        }
        bias = b;
        biasSumSquares = b2;
        normalizer = n2;
        step = t;
        regularizer.advance(t);
        if (config.eager()) {
            regularizeEveryWeight(t);
        } else if (regularizer.wantsNewEpoch()) {
            catchUpEveryWeight();
            regularizer.startEpoch(t);
        }
        return z;
    }

    /**
     * Brings the loaded weights up to date with the regularization they missed through step
     * {@code t - 1} (and, normalized, to the event's scales); returns the margin, and leaves the
     * event's normalized squared norm in {@link #eventNorm}.
     */
    private double catchUpAndPredict(int n, long t) {
        double z = bias;
        double norm = 0.0;
        for (int i = 0; i < n; i++) {
            boolean present = found[i];
            double w = present ? regularizer.catchUp(weights[i], lastSteps[i], t - 1) : 0.0;
            double g2 = squares[i];
            double s = scales[i];
            if (w == 0.0) {
                g2 = 0.0; // a zero weight has no state: it starts afresh
                s = 0.0;
            }
            double x = projected.value(i);
            if (normalized) {
                double ax = Math.abs(x);
                w = rescaled(w, s, ax);
                s = Math.max(s, ax);
                double r = x / s;
                norm += r * r;
            }
            weights[i] = w;
            squares[i] = g2;
            scales[i] = s;
            z += w * x;
        }
        eventNorm = norm;
        return z;
    }

    /** Adds the event's squared gradients and sets each feature's learning rate; returns the bias's. */
    private double rates(int n, long t, double n2, double b2, double dz, double importance) {
        if (adaptive != null) {
            // Schedule.AdaptiveNormalized#rate, its global part computed once for the event
            double global = adaptive.globalRate(t, n2);
            for (int i = 0; i < n; i++) {
                double g = dz * projected.value(i);
                squares[i] += importance * g * g;
                rates[i] = Schedule.AdaptiveNormalized.coordinateRate(global, squares[i], scales[i]);
            }
            return Schedule.AdaptiveNormalized.coordinateRate(global, b2, 1.0);
        }
        for (int i = 0; i < n; i++) {
            double g = dz * projected.value(i);
            if (keepsSquares) {
                squares[i] += importance * g * g;
            }
            rates[i] = schedule.rate(t, n2, squares[i], scales[i]);
        }
        return schedule.rate(t, n2, b2, 1.0);
    }

    /** How far the margin moves per unit step: the bias's rate plus the sum of rate_j x_j^2. */
    private double marginPerUpdate(int n, double biasRate) {
        double perUpdate = biasRate;
        for (int i = 0; i < n; i++) {
            double x = projected.value(i);
            perUpdate += rates[i] * x * x;
        }
        return perUpdate;
    }

    /** The new weights, in the scratch arrays: {@code w_j -= rate_j * multiplier * x_j}, each checked finite. */
    private void stepWeights(int n, double multiplier, long t) {
        for (int i = 0; i < n; i++) {
            weights[i] -= rates[i] * multiplier * projected.value(i);
            if (!Double.isFinite(weights[i])) {
                throw new DivergenceException("weight of '" + projected.name(i) + "' would become " + weights[i]
                        + " at step " + t + "; lower the learning rate or scale the feature");
            }
        }
    }

    /** When a feature's scale grows from s to |x|, its weight shrinks by s/|x| (see {@link Schedule.AdaptiveNormalized}). */
    private static double rescaled(double w, double scale, double ax) {
        return ax > scale && w != 0.0 ? w * (scale / ax) : w;
    }

    private void regularizeEveryWeight(long t) {
        double rate = schedule.regularizationRate(t);
        store.sweep((slot, name, e) -> {
            double w = regularization.applyStep(e.value, t, rate);
            if (w == 0.0) {
                return WeightStore.Action.REMOVE;
            }
            e.value = w;
            e.step = t;
            return WeightStore.Action.UPDATE;
        });
    }

    private void catchUpEveryWeight() {
        store.sweep((slot, name, e) -> {
            double w = regularizer.catchUp(e.value, e.step, step);
            if (w == 0.0) {
                return WeightStore.Action.REMOVE;
            }
            e.value = w;
            e.step = step;
            return WeightStore.Action.UPDATE;
        });
    }

    /**
     * Seals the model for export: every weight's pending regularization is evaluated, weights
     * that have reached zero are removed from the store, and each non-zero weight is handed to
     * {@code sink} with its caught-up value. Non-zero entries are not rewritten (see the class
     * comment): the result is the same as if every weight had been brought up to date.
     */
    public SealSummary seal(WeightSink sink) {
        double[] norms = new double[2];
        long[] count = new long[1];
        store.sweep((slot, name, e) -> {
            double w = regularizer.catchUp(e.value, e.step, step);
            if (w == 0.0) {
                return WeightStore.Action.REMOVE;
            }
            count[0]++;
            norms[0] += Math.abs(w);
            norms[1] += w * w;
            sink.accept(slot, name, w);
            return WeightStore.Action.KEEP;
        });
        return new SealSummary(step, bias, count[0], norms[0], Math.sqrt(norms[1]));
    }

    /**
     * Seals the model ({@link #seal}) and returns it as a snapshot, weights in slot order.
     */
    public ModelSnapshot snapshot(String model, long version, long timestampMillis) {
        List<ModelSnapshot.Weight> weights = new ArrayList<>();
        SealSummary sealed = seal((slot, name, value) -> weights.add(new ModelSnapshot.Weight(name, slot, value)));
        weights.sort(Comparator.comparingInt(ModelSnapshot.Weight::slot));
        return new ModelSnapshot(model, version, sealed.step(), timestampMillis, config.hyperparameters(),
                sealed.bias(), sealed.nonzeros(), sealed.l1Norm(), sealed.l2Norm(), weights);
    }

    /** Receives the sealed model's non-zero weights. */
    @FunctionalInterface
    public interface WeightSink {
        void accept(int slot, String name, double value);
    }

    /**
     * What a seal found: the step, the bias, and the caught-up model's non-zero count and norms.
     */
    public record SealSummary(long step, double bias, long nonzeros, double l1Norm, double l2Norm) {
    }

    private void project(Features features) {
        projected.project(features, mask);
    }

    private void ensureScratch(int n) {
        if (n > weights.length) {
            int size = Math.max(n, weights.length * 2);
            weights = Arrays.copyOf(weights, size);
            squares = Arrays.copyOf(squares, size);
            scales = Arrays.copyOf(scales, size);
            rates = Arrays.copyOf(rates, size);
            found = Arrays.copyOf(found, size);
            indices = Arrays.copyOf(indices, size);
            lastSteps = Arrays.copyOf(lastSteps, size);
        }
    }

    @Override
    public String toString() {
        return "OnlineLearner{" + config + ", step=" + step + ", stored=" + store.size() + "}";
    }
}
