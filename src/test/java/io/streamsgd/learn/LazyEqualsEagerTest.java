package io.streamsgd.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lazy learner equals the eager reference that regularizes every weight at every step: over
 * every loss x regularizer x schedule x K x theta, on seeded sparse streams of 10,000 events over
 * about 1,000 features (many of them rare), every weight and the bias agree within 1e-9 relative
 * and exactly the same weights are zero.
 */
class LazyEqualsEagerTest {
    private static final int EVENTS = 10_000;
    private static final int VOCABULARY = 1_000;
    private static final double TOLERANCE = 1e-9;

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (Loss loss : Loss.values()) {
            for (String reg : List.of("none", "l1", "l2", "elastic")) {
                for (Schedule.Kind schedule : Schedule.Kind.values()) {
                    for (int k : new int[] {1, 3}) {
                        for (double theta : new double[] {0.05, Double.POSITIVE_INFINITY}) {
                            all.add(Arguments.of(loss, reg, schedule, k, theta));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    static LearnerConfig config(Loss loss, String reg, Schedule.Kind schedule, int k, double theta) {
        // Rates that make each combination a stable learning problem: on a diverging or chaotic
        // trajectory any two rounding orders separate (eager against eager included), which
        // would say nothing about lazy regularization.
        double eta0 = switch (schedule) {
            case ADAPTIVE, ADAGRAD -> loss == Loss.SQUARED ? 0.1 : 0.5;
            case INVSCALING -> loss == Loss.SQUARED ? 2e-3 : 0.2;
            case CONSTANT -> loss == Loss.SQUARED ? 5e-4 : 0.02;
        };
        // Strengths relative to the rate, so that truncation and decay bite under every schedule:
        // per step, L1 truncates by about 1e-3 and L2 decays by about 5e-4.
        double l1 = reg.equals("l1") || reg.equals("elastic") ? 1e-3 / eta0 : 0;
        double l2 = reg.equals("l2") || reg.equals("elastic") ? 5e-4 / eta0 : 0;
        return LearnerConfig.defaults()
                .withLoss(loss)
                .withSchedule(schedule, eta0)
                .withRegularization(new Regularization(l1, l2, k, theta))
                .withHashBits(18)
                // short epochs exercise the varying-rate schedule's full catch-ups
                .withEpochSteps(schedule == Schedule.Kind.INVSCALING ? 777 : LearnerConfig.DEFAULT_EPOCH_STEPS);
    }

    @ParameterizedTest(name = "{0} {1} {2} K={3} theta={4}")
    @MethodSource("combinations")
    void lazyModelEqualsEagerModel(Loss loss, String reg, Schedule.Kind schedule, int k, double theta) {
        LearnerConfig config = config(loss, reg, schedule, k, theta);
        OnlineLearner lazy = new OnlineLearner(config, new HashedWeightTable());
        OnlineLearner eager = new OnlineLearner(config.withEager(true), new HashedWeightTable());
        SparseStream stream = new SparseStream(42 + k, VOCABULARY, loss);
        Features features = new Features(new FeatureHasher(32));
        for (int e = 0; e < EVENTS; e++) {
            double y = stream.next(features, 30);
            double zLazy = lazy.learn(features, y, 1.0);
            double zEager = eager.learn(features, y, 1.0);
            // a margin is a sum that may cancel to near zero: compare it on the scale of 1
            assertThat(Math.abs(zLazy - zEager)).as("margin at event %d: lazy %s vs eager %s", e, zLazy, zEager)
                    .isLessThanOrEqualTo(TOLERANCE * Math.max(1.0, Math.abs(zEager)));
        }
        Map<Integer, Double> lazyWeights = sealed(lazy);
        Map<Integer, Double> eagerWeights = sealed(eager);

        assertThat(lazyWeights.keySet()).as("the non-zero weights").isEqualTo(eagerWeights.keySet());
        for (Map.Entry<Integer, Double> w : eagerWeights.entrySet()) {
            assertClose("weight of slot " + w.getKey(), lazyWeights.get(w.getKey()), w.getValue());
        }
        assertClose("bias", lazy.bias(), eager.bias());
        assertThat(lazy.store().size()).as("sealed store holds only non-zero weights").isEqualTo(lazyWeights.size());
        if (!reg.equals("none") && !reg.equals("l2")) {
            assertThat(lazyWeights.size()).as("L1 zeroes some weights").isLessThan(countSeen(config, k));
        }
        assertThat(lazyWeights).as("a model was learned").hasSizeGreaterThan(10);
    }

    private static int countSeen(LearnerConfig config, int k) {
        OnlineLearner plain = new OnlineLearner(config.withRegularization(Regularization.NONE), new HashedWeightTable());
        SparseStream stream = new SparseStream(42 + k, VOCABULARY, config.loss());
        Features features = new Features(new FeatureHasher(32));
        for (int e = 0; e < EVENTS; e++) {
            plain.learn(features, stream.next(features, 30), 1.0);
        }
        return sealed(plain).size();
    }

    static Map<Integer, Double> sealed(OnlineLearner learner) {
        Map<Integer, Double> weights = new TreeMap<>();
        learner.seal((slot, name, value) -> weights.put(slot, value));
        return weights;
    }

    /**
     * Relative agreement within 1e-9; below 1e-6 in magnitude the comparison is absolute (1e-15):
     * such weights are the result of cancellation in a gradient step, where the 1e-16 relative
     * rounding of its inputs is amplified by the ratio of input to result magnitudes.
     */
    static void assertClose(String what, double actual, double expected) {
        double scale = Math.max(1e-6, Math.max(Math.abs(expected), Math.abs(actual)));
        assertThat(Math.abs(actual - expected))
                .as("%s: lazy %s vs eager %s", what, actual, expected)
                .isLessThanOrEqualTo(TOLERANCE * scale);
    }
}
