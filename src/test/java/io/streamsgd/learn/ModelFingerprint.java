package io.streamsgd.learn;

import java.util.Locale;

/**
 * Prints a fingerprint of the exact bits the learner produces: for every combination of
 * {@link LazyEqualsEagerTest} (lazy and eager), a hash of every progressive margin, every sealed
 * weight (slot and bits) and the bias. Used to show that a performance change leaves results
 * bit-for-bit identical: run it before and after, on the same JVM and machine, and diff the
 * output ({@code Math.exp} and friends may differ in the last bit between JVMs, so the values are
 * not pinned in a test).
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes io.streamsgd.learn.ModelFingerprint}.
 */
public final class ModelFingerprint {
    private static final int EVENTS = 10_000;

    private ModelFingerprint() {
    }

    public static void main(String[] args) {
        long all = 17;
        for (Loss loss : Loss.values()) {
            for (String reg : new String[] {"none", "l1", "l2", "elastic"}) {
                for (Schedule.Kind schedule : Schedule.Kind.values()) {
                    for (int k : new int[] {1, 3}) {
                        for (double theta : new double[] {0.05, Double.POSITIVE_INFINITY}) {
                            LearnerConfig config = LazyEqualsEagerTest.config(loss, reg, schedule, k, theta);
                            long lazy = fingerprint(config, k);
                            long eager = fingerprint(config.withEager(true), k);
                            System.out.printf(Locale.ROOT, "%-8s %-7s %-10s K=%d theta=%-8s lazy %016x eager %016x%n",
                                    loss, reg, schedule, k, theta, lazy, eager);
                            all = all * 31 + lazy * 7 + eager;
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "all %016x%n", all);
        // Long streams over a large vocabulary: long gaps (beyond the catch-up tables), many
        // epochs of the varying-rate regularizer, table growth, weights removed and re-created.
        Regularization elastic = new Regularization(1e-4, 1e-4, 1, Double.POSITIVE_INFINITY);
        LearnerConfig[] longConfigs = {
            LearnerConfig.defaults().withRegularization(elastic),
            LearnerConfig.defaults().withRegularization(new Regularization(3e-4, 0, 1, Double.POSITIVE_INFINITY)),
            LearnerConfig.defaults().withRegularization(new Regularization(1e-4, 1e-4, 4, 0.5)).withHashBits(16),
            LearnerConfig.defaults().withSchedule(Schedule.Kind.ADAGRAD, 0.5).withRegularization(elastic),
            LearnerConfig.defaults().withSchedule(Schedule.Kind.INVSCALING, 0.2).withRegularization(elastic).withEpochSteps(10_000),
        };
        for (LearnerConfig config : longConfigs) {
            System.out.printf(Locale.ROOT, "long %s %016x%n", config, fingerprint(config, 1, 200_000, 50_000));
        }
    }

    static long fingerprint(LearnerConfig config, int k) {
        return fingerprint(config, k, EVENTS, 1_000);
    }

    static long fingerprint(LearnerConfig config, int k, int events, int vocabulary) {
        OnlineLearner learner = new OnlineLearner(config, new HashedWeightTable());
        SparseStream stream = new SparseStream(42 + k, vocabulary, config.loss());
        Features features = new Features(new FeatureHasher(32));
        long h = 1;
        for (int e = 0; e < events; e++) {
            double y = stream.next(features, 30);
            h = h * 31 + Double.doubleToRawLongBits(learner.learn(features, y, 1.0 + (e % 3) * 0.5));
            if (e % 97 == 0) {
                h = h * 31 + Double.doubleToRawLongBits(learner.predict(features));
            }
        }
        long[] weights = {h};
        learner.seal((slot, name, value) -> weights[0] += slot * 1_000_003L ^ Double.doubleToRawLongBits(value) * 31);
        return weights[0] * 31 + Double.doubleToRawLongBits(learner.bias()) + learner.store().size();
    }
}
