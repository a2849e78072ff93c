package io.streamsgd.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A vector hashed with the model's bits, read in place, is the vector hashed with 32 bits and
 * projected: the same features in the same order, so a learner fed either makes the same model to
 * the bit, for events as parsers make them (no name twice).
 */
class ProjectedFeaturesTest {
    private static final FeatureHasher FULL = new FeatureHasher(32);

    /**
     * Fills both vectors with the same random features: distinct names (a parser rejects a name
     * given twice) from a vocabulary of 1,000, so that many share a slot at few bits; integer
     * values, so that some sums of colliding features cancel to exactly zero.
     */
    private static void fill(SplittableRandom random, Features full, Features masked) {
        full.clear();
        masked.clear();
        int n = random.nextInt(4) == 0 ? random.nextInt(200) : random.nextInt(40);
        Set<Integer> ids = new HashSet<>();
        while (ids.size() < n) {
            int id = random.nextInt(1_000);
            if (ids.add(id)) {
                String name = "f" + id;
                double value = random.nextInt(5) - 2;
                full.add(name, value);
                masked.add(name, value);
            }
        }
    }

    @Test
    void shouldReadAVectorHashedWithTheModelsBitsAsTheProjectionOfTheFullHash() {
        SplittableRandom random = new SplittableRandom(23);
        for (int bits : new int[] {1, 3, 6, 10, 24, 31}) {
            int mask = (int) ((1L << bits) - 1);
            Features full = new Features(FULL);
            Features masked = new Features(new FeatureHasher(bits));
            ProjectedFeatures projected = new ProjectedFeatures();
            ProjectedFeatures inPlace = new ProjectedFeatures();
            for (int event = 0; event < 2_000; event++) {
                fill(random, full, masked);
                projected.project(full, mask);
                inPlace.project(masked, mask);
                assertThat(inPlace.size()).as("size at %d bits, event %d", bits, event).isEqualTo(projected.size());
                for (int i = 0; i < projected.size(); i++) {
                    assertThat(inPlace.slot(i)).isEqualTo(projected.slot(i));
                    assertThat(inPlace.value(i)).isEqualTo(projected.value(i));
                    assertThat(inPlace.name(i)).isEqualTo(projected.name(i));
                }
            }
        }
    }

    @Test
    void shouldProjectAVectorOfMoreBitsThanTheModelAfterOneReadInPlace() {
        // the same scratch object switches between reading in place and projecting
        ProjectedFeatures projected = new ProjectedFeatures();
        Features narrow = new Features(new FeatureHasher(4));
        narrow.add("a", 1.0);
        projected.project(narrow, 0xF);
        assertThat(projected.slot(0)).isEqualTo(narrow.slot(0));
        Features wide = new Features(FULL);
        for (int i = 0; i < 100; i++) {
            wide.add("w" + i, 1.0);
        }
        projected.project(wide, 0xF);
        assertThat(projected.size()).isLessThanOrEqualTo(16);
        double sum = 0;
        for (int i = 0; i < projected.size(); i++) {
            assertThat(projected.slot(i)).isBetween(0, 15);
            sum += projected.value(i);
        }
        assertThat(sum).isEqualTo(100.0);
    }

    @Test
    void shouldTrainTheSameModelFromEitherVector() {
        for (int bits : new int[] {4, 12}) {
            LearnerConfig config = LearnerConfig.defaults().withHashBits(bits)
                    .withRegularization(new Regularization(1e-4, 1e-4, 1, Double.POSITIVE_INFINITY));
            OnlineLearner fromFull = new OnlineLearner(config, new HashedWeightTable(16));
            OnlineLearner fromMasked = new OnlineLearner(config, new HashedWeightTable(16));
            Features full = new Features(FULL);
            Features masked = new Features(new FeatureHasher(bits));
            SplittableRandom random = new SplittableRandom(29);
            for (int event = 0; event < 3_000; event++) {
                fill(random, full, masked);
                double label = random.nextBoolean() ? 1.0 : 0.0;
                double a = fromFull.learn(full, label, 1.0);
                double b = fromMasked.learn(masked, label, 1.0);
                assertThat(Double.doubleToRawLongBits(b)).as("margin of event %d at %d bits", event, bits)
                        .isEqualTo(Double.doubleToRawLongBits(a));
            }
            assertThat(fromMasked.snapshot("m", 1, 0).weights())
                    .isEqualTo(fromFull.snapshot("m", 1, 0).weights());
        }
    }

    @Test
    void shouldRejectASlotOutsideTheHashersSpace() {
        Features features = new Features(new FeatureHasher(8));
        features.addToSlot(255, "in", 1.0);
        assertThatThrownBy(() -> features.addToSlot(256, "out", 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8-bit");
        assertThatThrownBy(() -> features.addToSlot(-1, 7, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(features.size()).isEqualTo(1);
    }
}
