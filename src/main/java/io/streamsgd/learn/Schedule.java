package io.streamsgd.learn;

import java.util.Locale;

/**
 * A learning-rate schedule. The rate of coordinate j at step t factors into a part that changes
 * only when j is touched (its sum of squared gradients {@code G_j} and scale {@code s_j}) and a
 * global part; the <em>regularization</em> rate {@code rho_t} is global and a pure function of
 * the step, so a weight's pending decay and truncation over missed steps depend on the step
 * range alone and can be caught up exactly (see {@link LazyRegularizer}).
 *
 * <p>Steps count trained events from 1.
 */
public interface Schedule {
    /** Which schedule, as named on the command line and in configuration. */
    enum Kind {
        ADAPTIVE(1.0, true, true), ADAGRAD(0.5, true, false), INVSCALING(0.5, false, false), CONSTANT(0.1, false, false);

        private final double defaultLearningRate;
        private final boolean squaredGradients;
        private final boolean normalized;

        Kind(double defaultLearningRate, boolean squaredGradients, boolean normalized) {
            this.defaultLearningRate = defaultLearningRate;
            this.squaredGradients = squaredGradients;
            this.normalized = normalized;
        }

        /**
         * eta0 when none is given. Adaptive: 1.0, twice Vowpal Wabbit's 0.5: its importance-aware
         * updates cannot overshoot, and progressive loss on the reference data sets keeps falling
         * up to about 3 (BENCHMARKS.md has the table). Plain SGD (constant) needs a small rate.
         */
        public double defaultLearningRate() {
            return defaultLearningRate;
        }

        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException(
                    "unknown schedule '" + name + "', expected adaptive, adagrad, invscaling or constant");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Kind kind();

    /** {@code rho_t}, the rate the regularizer uses at step {@code t}; depends on {@code t} only. */
    double regularizationRate(long step);

    /** True when {@code rho_t} is the same at every step (enables closed-form catch-up). */
    default boolean hasConstantRegularizationRate() {
        return true;
    }

    /** True when the schedule keeps a per-coordinate sum of squared gradients. */
    default boolean keepsSquaredGradients() {
        return kind().squaredGradients;
    }

    /**
     * True when the schedule keeps per-coordinate scales and the global normalizer, and its
     * updates are importance-aware ({@link Loss#predictionChange}) rather than plain gradient steps.
     */
    default boolean isNormalized() {
        return kind().normalized;
    }

    /**
     * The gradient step size of a coordinate at {@code step}.
     *
     * @param normalizer the global normalizer N (sum over events of squared scaled norms), if normalized
     * @param sumSquares the coordinate's sum of squared gradients including this step's, if kept
     * @param scale the coordinate's largest absolute feature value seen, if normalized
     */
    double rate(long step, double normalizer, double sumSquares, double scale);

    /** Builds a schedule from its configuration. */
    static Schedule of(Kind kind, double learningRate, double powerT, double t0) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning-rate must be a finite number > 0, got " + learningRate);
        }
        return switch (kind) {
            case CONSTANT -> new Constant(learningRate);
            case INVSCALING -> new InverseScaling(learningRate, powerT, t0);
            case ADAGRAD -> new AdaGrad(learningRate);
            case ADAPTIVE -> new AdaptiveNormalized(learningRate);
        };
    }

    /** {@code eta_t = eta0}. */
    record Constant(double eta0) implements Schedule {
        public Kind kind() {
            return Kind.CONSTANT;
        }

        public double regularizationRate(long step) {
            return eta0;
        }

        public double rate(long step, double normalizer, double sumSquares, double scale) {
            return eta0;
        }
    }

    /** {@code eta_t = eta0 / (1 + (t - 1) / t0)^powerT}: {@code eta0} at the first step. */
    record InverseScaling(double eta0, double powerT, double t0) implements Schedule {
        public InverseScaling {
            if (!(powerT >= 0) || !Double.isFinite(powerT)) {
                throw new IllegalArgumentException("power-t must be a finite number >= 0, got " + powerT);
            }
            if (!(t0 > 0) || !Double.isFinite(t0)) {
                throw new IllegalArgumentException("t0 must be a finite number > 0, got " + t0);
            }
        }

        public Kind kind() {
            return Kind.INVSCALING;
        }

        public double regularizationRate(long step) {
            return eta0 / Math.pow(1.0 + (step - 1) / t0, powerT);
        }

        @Override
        public boolean hasConstantRegularizationRate() {
            return powerT == 0;
        }

        public double rate(long step, double normalizer, double sumSquares, double scale) {
            return regularizationRate(step);
        }
    }

    /**
     * Per-coordinate AdaGrad (Duchi, Hazan and Singer 2011): {@code eta0 / sqrt(G_j)}. The
     * regularizer runs at the global {@code eta0}.
     */
    record AdaGrad(double eta0) implements Schedule {
        public Kind kind() {
            return Kind.ADAGRAD;
        }

        public double regularizationRate(long step) {
            return eta0;
        }

        public double rate(long step, double normalizer, double sumSquares, double scale) {
            return sumSquares > 0 ? eta0 / Math.sqrt(sumSquares) : 0.0;
        }
    }

    /**
     * Adaptive, normalized (scale-invariant) updates: algorithm NAG of Ross, Mineiro and Langford
     * (2013), "Normalized Online Learning", what Vowpal Wabbit does by default:
     * {@code eta0 * sqrt(t / N) / (s_j * sqrt(G_j))}, where {@code s_j} is the largest
     * {@code |x_j|} seen (the weight is rescaled by {@code s_old/s_new} when it grows: with the
     * adaptive {@code G_j} already in units of {@code x^2}, as Vowpal Wabbit does),
     * {@code G_j} the sum of squared gradients and {@code N} the running sum of
     * {@code sum_j (x_j / s_j)^2}. Multiplying a feature by a constant leaves every prediction
     * unchanged. Updates are importance-aware ({@link Loss#predictionChange}), the third part of
     * Vowpal Wabbit's default. The regularizer runs at the global {@code eta0}.
     */
    record AdaptiveNormalized(double eta0) implements Schedule {

        public Kind kind() {
            return Kind.ADAPTIVE;
        }

        public double regularizationRate(long step) {
            return eta0;
        }

        public double rate(long step, double normalizer, double sumSquares, double scale) {
            return coordinateRate(globalRate(step, normalizer), sumSquares, scale);
        }

        /**
         * The part of {@link #rate} shared by every coordinate of a step, {@code eta0 sqrt(t / N)}
         * (NaN when {@code N} is not positive), so that a learner computes it once per event.
         */
        double globalRate(long step, double normalizer) {
            return normalizer > 0 ? eta0 * Math.sqrt(step / normalizer) : Double.NaN;
        }

        /** {@link #rate} from its global part: {@code global / (s_j sqrt(G_j))}, 0 when undefined. */
        static double coordinateRate(double global, double sumSquares, double scale) {
            if (!(sumSquares > 0) || !(scale > 0) || global != global) {
                return 0.0;
            }
            return global / (scale * Math.sqrt(sumSquares));
        }
    }
}
