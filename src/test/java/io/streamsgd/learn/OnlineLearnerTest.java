package io.streamsgd.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The learner's state handling, bit for bit: predicting leaves the model exactly as it was, and
 * a learner continued from {@link OnlineLearner#state()} and the same weights equals one that was
 * never interrupted. The events are built from explicit slots ({@link Features#addToSlot}), so
 * nothing here depends on the hash function.
 */
class OnlineLearnerTest {
    private static final int EVENTS = 6_000;
    private static final int SLOTS = 3_000;

    static Stream<Arguments> configurations() {
        List<Arguments> all = new ArrayList<>();
        for (Schedule.Kind schedule : Schedule.Kind.values()) {
            for (String reg : List.of("none", "elastic")) {
                all.add(Arguments.of(schedule, reg));
            }
        }
        return all.stream();
    }

    static LearnerConfig config(Schedule.Kind schedule, String reg) {
        // the invscaling epochs are short so that a pause falls inside one and others are crossed
        return LazyEqualsEagerTest.config(Loss.LOGISTIC, reg, schedule, 3, 0.05).withEpochSteps(500);
    }

    /** Seeded events over explicit slots: a few frequent, most rare; labels from a sparse truth. */
    static final class SlotStream {
        private final SplittableRandom random;
        private final double[] truth = new double[SLOTS];
        private final boolean crowded;

        SlotStream(long seed) {
            this(seed, false);
        }

        /**
         * {@code crowded}: the slots are spread so that about 47 of them share each home position
         * in {@link HashedWeightTable}'s layout, so that most lookups walk a probe run.
         */
        SlotStream(long seed, boolean crowded) {
            this.crowded = crowded;
            random = new SplittableRandom(seed);
            SplittableRandom t = new SplittableRandom(seed ^ 0x5DEECE66DL);
            for (int j = 0; j < SLOTS; j++) {
                truth[j] = t.nextInt(5) == 0 ? t.nextDouble(-2, 2) : 0;
            }
        }

        double next(Features into) {
            into.clear();
            int n = 1 + random.nextInt(25);
            double z = 0;
            for (int i = 0; i < n; i++) {
                double u = random.nextDouble();
                int slot = (int) (SLOTS * u * u * u);
                double x = random.nextDouble(-3, 3);
                into.addToSlot(crowded ? slot % 64 | slot / 64 << 17 : slot, "s" + slot, x);
                z += truth[slot] * x;
            }
            return random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1.0 : 0.0;
        }
    }

    /**
     * A learner that answers many predictions between its trainings stays bit for bit the twin
     * that never predicts, and the prediction it serves for an event is the progressive margin
     * its training then reports.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configurations")
    void predictShouldChangeNothing(Schedule.Kind schedule, String reg) {
        LearnerConfig config = config(schedule, reg);
        OnlineLearner learner = new OnlineLearner(config, new HashedWeightTable());
        OnlineLearner twin = new OnlineLearner(config, new HashedWeightTable());
        SlotStream events = new SlotStream(1);
        SlotStream twinEvents = new SlotStream(1);
        SlotStream queries = new SlotStream(2);
        Features f = new Features(new FeatureHasher(32));
        Features q = new Features(new FeatureHasher(32));
        for (int e = 0; e < EVENTS; e++) {
            double y = events.next(f);
            if (e % 100 == 99) {
                // between two trainings, many predictions, unseen slots included
                TreeMap<Integer, List<Long>> before = storeBits(learner);
                LearnerState stateBefore = learner.state();
                for (int p = 0; p < 50; p++) {
                    queries.next(q);
                    q.addToSlot(SLOTS + p, "unseen" + p, 1.0);
                    assertThat(learner.predict(q)).isFinite();
                }
                double served = learner.predict(f);
                assertThat(storeBits(learner)).as("stored entries after predictions at event %d", e).isEqualTo(before);
                assertThat(learner.state()).isEqualTo(stateBefore);
                double z = learner.learn(f, y, 1.0);
                assertThat(Double.doubleToRawLongBits(served)).as("served prediction against the progressive margin")
                        .isEqualTo(Double.doubleToRawLongBits(z));
                double zTwin = twin.learn(twinFeatures(twinEvents, f), y, 1.0);
                assertThat(Double.doubleToRawLongBits(z)).as("margin at event %d", e).isEqualTo(Double.doubleToRawLongBits(zTwin));
                continue;
            }
            double z = learner.learn(f, y, 1.0);
            double zTwin = twin.learn(twinFeatures(twinEvents, f), y, 1.0);
            assertThat(Double.doubleToRawLongBits(z)).as("margin at event %d", e).isEqualTo(Double.doubleToRawLongBits(zTwin));
        }
        assertThat(sealedBits(learner)).isEqualTo(sealedBits(twin));
    }

    private static Features twinFeatures(SlotStream stream, Features expected) {
        Features f = new Features(new FeatureHasher(32));
        stream.next(f);
        assertThat(f.size()).isEqualTo(expected.size());
        return f;
    }

    /**
     * Stopped four times and continued from {@code state()} with the same store or a copy of its
     * entries (as a restore from a state store would), the learner gives the same margins, state
     * and sealed weights as one that ran without a stop.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configurations")
    void learnerContinuedFromItsStateShouldEqualAnUninterruptedOne(Schedule.Kind schedule, String reg) {
        LearnerConfig config = config(schedule, reg);
        OnlineLearner uninterrupted = new OnlineLearner(config, new HashedWeightTable());
        OnlineLearner current = new OnlineLearner(config, new HashedWeightTable());
        SlotStream a = new SlotStream(3);
        SlotStream b = new SlotStream(3);
        Features fa = new Features(new FeatureHasher(32));
        Features fb = new Features(new FeatureHasher(32));
        int restarts = 0;
        for (int e = 0; e < EVENTS; e++) {
            if (e > 0 && e % 1_250 == 0) {
                // stop and continue: alternately on the same store and on a copy of its entries
                WeightStore store = restarts % 2 == 0 ? current.store() : copy(current.store());
                current = new OnlineLearner(config, store, current.state());
                restarts++;
            }
            double ya = a.next(fa);
            double yb = b.next(fb);
            double zu = uninterrupted.learn(fa, ya, 1.0 + (e % 2));
            double zc = current.learn(fb, yb, 1.0 + (e % 2));
            assertThat(Double.doubleToRawLongBits(zc)).as("margin at event %d", e).isEqualTo(Double.doubleToRawLongBits(zu));
        }
        assertThat(restarts).isEqualTo(4);
        assertThat(current.state()).isEqualTo(uninterrupted.state());
        assertThat(sealedBits(current)).isEqualTo(sealedBits(uninterrupted)).hasSizeGreaterThan(100);
    }

    /**
     * On a table larger than the caches the learner reads every entry of an event ahead of loading
     * it, and loads the entries those reads found ({@link HashedWeightTable#isLarge}); that must
     * change nothing: the margins, the stored entries and the sealed weights equal, bit for bit,
     * those of a learner on a small table, which probes for each load. The slots crowd a few home
     * positions, so that most entries are found down a probe run rather than at home.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configurations")
    void readingAheadOnALargeTableShouldChangeNothing(Schedule.Kind schedule, String reg) {
        LearnerConfig config = config(schedule, reg);
        HashedWeightTable large = new HashedWeightTable(1 << 16);
        HashedWeightTable small = new HashedWeightTable();
        OnlineLearner ahead = new OnlineLearner(config, large);
        OnlineLearner plain = new OnlineLearner(config, small);
        SlotStream a = new SlotStream(4, true);
        SlotStream b = new SlotStream(4, true);
        Features fa = new Features(new FeatureHasher(32));
        Features fb = new Features(new FeatureHasher(32));
        for (int e = 0; e < EVENTS; e++) {
            double za = ahead.learn(fa, a.next(fa), 1.0);
            double zp = plain.learn(fb, b.next(fb), 1.0);
            assertThat(Double.doubleToRawLongBits(za)).as("margin at event %d", e).isEqualTo(Double.doubleToRawLongBits(zp));
        }
        assertThat(large.isLarge()).isTrue();
        assertThat(small.isLarge()).isFalse();
        assertThat(storeBits(ahead)).isEqualTo(storeBits(plain)).hasSizeGreaterThan(100);
        assertThat(sealedBits(ahead)).isEqualTo(sealedBits(plain));
    }

    private static WeightStore copy(WeightStore from) {
        HashedWeightTable to = new HashedWeightTable();
        from.sweep((slot, name, e) -> {
            to.save(slot, e, name);
            return WeightStore.Action.KEEP;
        });
        return to;
    }

    /** Every stored entry as raw bits: slot -> value, step, sum of squares, scale. */
    private static TreeMap<Integer, List<Long>> storeBits(OnlineLearner learner) {
        TreeMap<Integer, List<Long>> bits = new TreeMap<>();
        learner.store().sweep((slot, name, e) -> {
            bits.put(slot, List.of(Double.doubleToRawLongBits(e.value), e.step,
                    Double.doubleToRawLongBits(e.sumSquares), Double.doubleToRawLongBits(e.scale)));
            return WeightStore.Action.KEEP;
        });
        return bits;
    }

    private static TreeMap<Integer, Long> sealedBits(OnlineLearner learner) {
        TreeMap<Integer, Long> bits = new TreeMap<>();
        learner.seal((slot, name, value) -> bits.put(slot, Double.doubleToRawLongBits(value)));
        bits.put(-1, Double.doubleToRawLongBits(learner.bias()));
        return bits;
    }
}
