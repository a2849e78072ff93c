package io.streamsgd.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

    /**
     * Change tracking against a plain map: between two drains, random creations, overwrites at
     * found positions, removals (which shift probe runs) and growth; each drain must report every
     * slot changed since the previous one exactly once, with its state now, and nothing else.
     */
    @Test
    void drainShouldReportEachChangedSlotOnceWithItsCurrentState() {
        HashedWeightTable table = new HashedWeightTable(16, false);
        table.trackChanges();
        Map<Integer, Double> reference = new HashMap<>();
        SplittableRandom random = new SplittableRandom(11);
        WeightEntry entry = new WeightEntry();
        for (int round = 0; round < 300; round++) {
            Set<Integer> touched = new HashSet<>();
            int ops = random.nextInt(1, 400);
            for (int op = 0; op < ops; op++) {
                int slot = random.nextInt(3_000 + round * 20); // the table grows over the rounds
                int kind = random.nextInt(4);
                if (kind == 0) {
                    table.remove(slot);
                    if (reference.remove(slot) != null) {
                        touched.add(slot); // removing an absent slot changes nothing
                    }
                    continue;
                }
                touched.add(slot);
                if (kind == 1 && table.indexOf(slot) >= 0) {
                    double v = random.nextDouble();
                    table.write(table.indexOf(slot), v, op, v, v); // the learner's fast path
                    reference.put(slot, v);
                } else {
                    double v = random.nextDouble();
                    table.save(slot, entry.set(v, op, v, v), null);
                    reference.put(slot, v);
                }
            }
            Map<Integer, Double> reported = new HashMap<>();
            Set<Integer> removed = new HashSet<>();
            int bound = table.pendingChanges();
            table.drainChanges(new HashedWeightTable.ChangeVisitor() {
                @Override
                public void changed(int slot, WeightEntry e) {
                    assertThat(reported.put(slot, e.value)).as("slot %d reported twice", slot).isNull();
                }

                @Override
                public void removed(int slot) {
                    assertThat(removed.add(slot)).as("slot %d removed twice", slot).isTrue();
                }
            });
            assertThat(reported.size() + removed.size()).isLessThanOrEqualTo(bound);
            for (int slot : touched) {
                if (reference.containsKey(slot)) {
                    assertThat(reported).containsEntry(slot, reference.get(slot));
                } else {
                    assertThat(removed).contains(slot);
                }
            }
            assertThat(touched).containsAll(reported.keySet()).containsAll(removed);
            assertThat(table.pendingChanges()).isZero();
        }
        assertThat(table.size()).isEqualTo(reference.size());
    }

    /**
     * Each group's visit against a plain map, for tables below and above {@link HashedWeightTable#GROUPS}
     * positions, with slots crowded into the last group so that its probe runs wrap around the
     * table's end, and after removals that shift runs.
     */
    @Test
    void forEachInGroupShouldVisitExactlyTheGroupsEntriesInSlotOrder() {
        for (int entries : new int[] {300, 20_000}) {
            HashedWeightTable table = new HashedWeightTable();
            TreeMap<Integer, Double> reference = new TreeMap<>();
            SplittableRandom random = new SplittableRandom(entries);
            WeightEntry entry = new WeightEntry();
            while (reference.size() < entries) {
                int slot = random.nextInt(4) == 0
                        ? (random.nextInt(1 << 10) << HashedWeightTable.GROUP_BITS) | (HashedWeightTable.GROUPS - 1)
                        : random.nextInt(1 << 24);
                double v = random.nextDouble();
                table.save(slot, entry.set(v, 0, 0, 0), null);
                reference.put(slot, v);
            }
            for (int i = 0; i < entries / 5; i++) {
                int slot = reference.keySet().toArray(new Integer[0])[random.nextInt(reference.size())];
                table.remove(slot);
                reference.remove(slot);
            }
            for (int group = 0; group < HashedWeightTable.GROUPS; group++) {
                List<Integer> expected = new ArrayList<>();
                for (int slot : reference.keySet()) {
                    if ((slot & (HashedWeightTable.GROUPS - 1)) == group) {
                        expected.add(slot);
                    }
                }
                List<Integer> visited = new ArrayList<>();
                table.forEachInGroup(group, (slot, e) -> {
                    assertThat(e.value).isEqualTo(reference.get(slot));
                    visited.add(slot);
                });
                assertThat(visited).as("group %d of a table of %d", group, entries).isEqualTo(expected);
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

    /**
     * The entries are dense: removing one moves the last into its place. Its name and state must
     * move with it, and an index the learner found before must stay usable exactly as long as
     * {@link HashedWeightTable#layout()} is unchanged (creating entries and growing the probed
     * array do not move any; a removal of another than the last does).
     */
    @Test
    void entriesShouldKeepTheirNamesAndIndicesThroughGrowthAndRemovals() {
        HashedWeightTable table = new HashedWeightTable(16, true);
        WeightEntry entry = new WeightEntry();
        SplittableRandom random = new SplittableRandom(5);
        Map<Integer, Double> reference = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            int slot = random.nextInt(4_000);
            int found = table.indexOf(slot);
            int layout = table.layout();
            int other = random.nextInt(4_000);
            if (random.nextInt(3) == 0) {
                table.remove(other);
                reference.remove(other);
            } else {
                table.save(other, entry.set(other, i, 0, 0), "n" + other);
                reference.put(other, (double) other);
            }
            if (found >= 0 && reference.containsKey(slot) && table.layout() == layout) {
                table.write(found, -slot, i, 0, 0); // the learner's write at the index it found
                reference.put(slot, (double) -slot);
            }
        }
        assertThat(table.size()).isEqualTo(reference.size());
        Map<Integer, Double> swept = new HashMap<>();
        table.sweep((slot, name, e) -> {
            assertThat(name).isEqualTo("n" + slot);
            swept.put(slot, e.value);
            return WeightStore.Action.KEEP;
        });
        assertThat(swept).isEqualTo(reference);

        int layout = table.layout();
        table.save(1_000_000, entry.set(1, 0, 0, 0), "new");
        assertThat(table.layout()).as("creating an entry moves none").isEqualTo(layout);
        int firstSlot = swept.keySet().iterator().next();
        table.remove(firstSlot);
        assertThat(table.layout()).as("removing another than the last entry moves the last").isNotEqualTo(layout);
    }

    /**
     * The entries' numbers (32 B each) are made a chunk at a time as entries reach them, not for
     * the slots' room to grow: a million weights have numbers for a million and at most a chunk
     * more. Growing from one small chunk, the entries keep their values.
     */
    @Test
    void theNumbersShouldGrowWithTheEntriesNotWithTheirRoom() {
        HashedWeightTable table = new HashedWeightTable(16, false);
        WeightEntry entry = new WeightEntry();
        for (int slot = 0; slot < 1_000_000; slot++) {
            table.save(slot, entry.set(slot, slot, 2.0 * slot, 1.0), null);
            if (slot == 100 || slot == 5_000 || slot == 999_999) {
                long size = table.size();
                assertThat((long) table.entryCapacity()).as("room for the numbers at %d entries", size)
                        .isBetween(size, size + 4_096);
            }
        }
        for (int slot = 0; slot < 1_000_000; slot += 997) {
            assertThat(table.load(slot, entry)).isTrue();
            assertThat(entry.value).isEqualTo(slot);
            assertThat(entry.step).isEqualTo((long) slot);
            assertThat(entry.sumSquares).isEqualTo(2.0 * slot);
        }
    }
}
