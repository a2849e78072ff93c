package io.streamsgd.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FeaturesTest {
    /** The reference semantics: a list in insertion order, equal slots merged, zero sums removed by moving the last in. */
    private static final class Reference {
        final List<int[]> slots = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        final List<String> names = new ArrayList<>();

        void add(int slot, String name, double value) {
            for (int i = 0; i < slots.size(); i++) {
                if (slots.get(i)[0] == slot) {
                    double merged = values.get(i) + value;
                    if (merged == 0.0) {
                        int last = slots.size() - 1;
                        slots.set(i, slots.get(last));
                        values.set(i, values.get(last));
                        names.set(i, names.get(last));
                        slots.remove(last);
                        values.remove(last);
                        names.remove(last);
                    } else {
                        values.set(i, merged);
                    }
                    return;
                }
            }
            slots.add(new int[] {slot});
            values.add(value);
            names.add(name);
        }
    }

    /** Adds feature k, named k, at slot k * 7919 - 50,000, its name held by the vector or, at random, as the number k. */
    private static void add(Features features, SplittableRandom random, int k, double value) {
        int slot = k * 7919 - 50_000;
        if (random.nextBoolean()) {
            features.addToSlot(slot, k, value);
        } else {
            features.addToSlot(slot, Integer.toString(k), value);
        }
    }

    @Test
    void shouldMergeEqualSlotsInOrderAcrossManyReusesAndSizes() {
        SplittableRandom random = new SplittableRandom(19);
        Features features = new Features(new FeatureHasher(32));
        for (int event = 0; event < 5_000; event++) {
            features.clear();
            Reference reference = new Reference();
            int n = random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(40);
            int range = 1 + random.nextInt(2 * n + 1); // small ranges force repeats
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(range);
                int slot = k * 7919 - 50_000;
                // integer values: sums are exact, and some cancel to zero
                double value = random.nextInt(5) - 2;
                if (value == 0) {
                    value = 1;
                }
                add(features, random, k, value);
                reference.add(slot, Integer.toString(k), value);
            }
            assertThat(features.size()).as("size of event %d", event).isEqualTo(reference.slots.size());
            for (int i = 0; i < features.size(); i++) {
                assertThat(features.slot(i)).isEqualTo(reference.slots.get(i)[0]);
                assertThat(features.value(i)).isEqualTo(reference.values.get(i));
                assertThat(features.name(i)).isEqualTo(reference.names.get(i));
            }
        }
    }

    @Test
    void aCopyShouldHoldTheSameFeaturesAndMergeWhatIsAddedToIt() {
        SplittableRandom random = new SplittableRandom(23);
        FeatureHasher hasher = new FeatureHasher(32);
        Features source = new Features(hasher);
        Features copy = new Features(hasher);
        for (int event = 0; event < 2_000; event++) {
            source.clear();
            Reference reference = new Reference();
            int n = random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(40);
            int range = 1 + random.nextInt(2 * n + 1);
            for (int i = 0; i < 2 * n; i++) {
                int k = random.nextInt(range);
                int slot = k * 7919 - 50_000;
                double value = random.nextInt(2) == 0 ? -1 : 1;
                if (i == n) { // half filled: copy, then fill the copy on
                    copy.copyFrom(source);
                }
                add(i < n ? source : copy, random, k, value);
                reference.add(slot, Integer.toString(k), value);
            }
            if (n == 0) {
                copy.copyFrom(source);
            }
            assertThat(copy.size()).as("size of event %d", event).isEqualTo(reference.slots.size());
            for (int i = 0; i < copy.size(); i++) {
                assertThat(copy.slot(i)).isEqualTo(reference.slots.get(i)[0]);
                assertThat(copy.value(i)).isEqualTo(reference.values.get(i));
                assertThat(copy.name(i)).isEqualTo(reference.names.get(i));
            }
        }
        assertThatThrownBy(() -> copy.copyFrom(new Features(new FeatureHasher(24))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldHashNamesDropZerosAndRejectNonFiniteValues() {
        Features features = new Features(new FeatureHasher(18));
        features.add("word", 2.0);
        features.add("zero", 0.0);
        features.addCategorical("color", "red");
        features.addBoolean("flag", true);
        features.addBoolean("off", false);

        assertThat(features.size()).isEqualTo(3);
        assertThat(features.slot(0)).isEqualTo(FeatureHasher.murmur3("word", 0) & ((1 << 18) - 1));
        assertThat(features.name(1)).isEqualTo("color=red");
        assertThatThrownBy(() -> features.add("x", Double.NaN)).hasMessageContaining("non-finite");
    }
}
