package io.streamsgd.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HashedWeightTableTest {
    @Test
    void shouldBehaveLikeAMapUnderRandomInsertsUpdatesAndRemovals() {
        HashedWeightTable table = new HashedWeightTable();
        Map<Integer, Double> reference = new HashMap<>();
        SplittableRandom random = new SplittableRandom(3);
        WeightEntry entry = new WeightEntry();
        for (int i = 0; i < 200_000; i++) {
            int slot = random.nextInt(5_000); // dense enough to force collisions and long probe runs
            if (random.nextInt(3) == 0) {
                table.remove(slot);
                reference.remove(slot);
            } else {
                double v = random.nextDouble();
                table.save(slot, entry.set(v, i, v * 2, v * 3), "f" + slot);
                reference.put(slot, v);
            }
        }
        assertThat(table.size()).isEqualTo(reference.size());
        for (int slot = 0; slot < 5_000; slot++) {
            boolean present = table.load(slot, entry);
            assertThat(present).isEqualTo(reference.containsKey(slot));
            if (present) {
                assertThat(entry.value).isEqualTo(reference.get(slot));
                assertThat(entry.sumSquares).isEqualTo(reference.get(slot) * 2);
            }
        }
    }

    @Test
    void sweepShouldVisitEachEntryOnceAndApplyRemovalsAndUpdates() {
        HashedWeightTable table = new HashedWeightTable();
        WeightEntry entry = new WeightEntry();
        for (int slot = 0; slot < 1000; slot++) {
            table.save(slot * 7919, entry.set(slot, 0, 0, 0), "f" + slot);
        }
        Map<Integer, Integer> visits = new HashMap<>();
        table.sweep((slot, name, e) -> {
            visits.merge(slot, 1, Integer::sum);
            assertThat(name).isEqualTo("f" + slot / 7919);
            if (e.value % 2 == 0) {
                return WeightStore.Action.REMOVE;
            }
            e.value = -e.value;
            return WeightStore.Action.UPDATE;
        });
        assertThat(visits).hasSize(1000).allSatisfy((slot, count) -> assertThat(count).isEqualTo(1));
        assertThat(table.size()).isEqualTo(500);
        assertThat(table.load(3 * 7919, entry)).isTrue();
        assertThat(entry.value).isEqualTo(-3.0);
        assertThat(table.load(4 * 7919, entry)).isFalse();
    }

    @Test
    void shouldKeepTheFirstNameOfASlot() {
        HashedWeightTable table = new HashedWeightTable();
        WeightEntry entry = new WeightEntry().set(1, 0, 0, 0);
        table.save(5, entry, "first");
        table.save(5, entry, null);
        String[] seen = new String[1];
        table.sweep((slot, name, e) -> {
            seen[0] = name;
            return WeightStore.Action.KEEP;
        });
        assertThat(seen[0]).isEqualTo("first");
    }
}
