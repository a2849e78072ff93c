package io.streamsgd.learn;

import java.util.Arrays;

/**
 * In-memory {@link WeightStore}: open addressing with linear probing over parallel primitive
 * arrays (no boxing, no per-entry objects), load factor at most 1/2, deletion by backward shift
 * so that no tombstones accumulate. Sized by the number of non-zero weights, not by the hash
 * space, so a 2^28-slot model with a million non-zeros costs a few tens of megabytes.
 *
 * <p>Not thread-safe: one learner owns it.
 */
public final class HashedWeightTable implements WeightStore {
    private static final int EMPTY = -1;

    private int[] keys;
    private double[] values;
    private long[] steps;
    private double[] sums;
    private double[] scales;
    private String[] names;
    private int size;
    private int mask;

    public HashedWeightTable() {
        this(16);
    }

    public HashedWeightTable(int expectedEntries) {
        allocate(Math.max(16, Integer.highestOneBit(Math.max(1, expectedEntries) * 2 - 1) << 1));
    }

    private void allocate(int capacity) {
        keys = new int[capacity];
        Arrays.fill(keys, EMPTY);
        values = new double[capacity];
        steps = new long[capacity];
        sums = new double[capacity];
        scales = new double[capacity];
        names = new String[capacity];
        mask = capacity - 1;
        size = 0;
    }

    private static int home(int slot, int mask) {
        int h = slot * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    private int find(int slot) {
        for (int i = home(slot, mask); ; i = (i + 1) & mask) {
            int key = keys[i];
            if (key == slot) {
                return i;
            }
            if (key == EMPTY) {
                return -1 - i; // where it would go
            }
        }
    }

    @Override
    public boolean load(int slot, WeightEntry into) {
        int i = find(slot);
        if (i < 0) {
            into.clear();
            return false;
        }
        into.set(values[i], steps[i], sums[i], scales[i]);
        return true;
    }

    @Override
    public void save(int slot, WeightEntry entry, String nameIfNew) {
        if (slot < 0) {
            throw new IllegalArgumentException("slot must be >= 0, got " + slot);
        }
        int i = find(slot);
        if (i < 0) {
            if ((size + 1) * 2 > keys.length) {
                grow();
                i = find(slot);
            }
            i = -1 - i;
            keys[i] = slot;
            names[i] = nameIfNew;
            size++;
        }
        values[i] = entry.value;
        steps[i] = entry.step;
        sums[i] = entry.sumSquares;
        scales[i] = entry.scale;
    }

    @Override
    public void remove(int slot) {
        int i = find(slot);
        if (i >= 0) {
            removeAt(i);
        }
    }

    private void removeAt(int hole) {
        // Backward-shift deletion: pull later members of the probe run into the hole.
        int i = hole;
        for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int h = home(keys[j], mask);
            // j's entry may move to i only if its home is not cyclically within (i, j]
            boolean movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
            if (movable) {
                copy(j, i);
                i = j;
            }
        }
        keys[i] = EMPTY;
        names[i] = null;
        size--;
    }

    private void copy(int from, int to) {
        keys[to] = keys[from];
        values[to] = values[from];
        steps[to] = steps[from];
        sums[to] = sums[from];
        scales[to] = scales[from];
        names[to] = names[from];
    }

    private void grow() {
        int[] oldKeys = keys;
        double[] oldValues = values;
        long[] oldSteps = steps;
        double[] oldSums = sums;
        double[] oldScales = scales;
        String[] oldNames = names;
        allocate(oldKeys.length * 2);
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = -1 - find(oldKeys[j]);
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
                steps[i] = oldSteps[j];
                sums[i] = oldSums[j];
                scales[i] = oldScales[j];
                names[i] = oldNames[j];
                size++;
            }
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void sweep(Sweeper sweeper) {
        WeightEntry entry = new WeightEntry();
        int[] removals = new int[16];
        int removed = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == EMPTY) {
                continue;
            }
            entry.set(values[i], steps[i], sums[i], scales[i]);
            switch (sweeper.visit(keys[i], names[i], entry)) {
                case KEEP -> { }
                case UPDATE -> {
                    values[i] = entry.value;
                    steps[i] = entry.step;
                    sums[i] = entry.sumSquares;
                    scales[i] = entry.scale;
                }
                case REMOVE -> {
                    if (removed == removals.length) {
                        removals = Arrays.copyOf(removals, removed * 2);
                    }
                    removals[removed++] = keys[i];
                }
            }
        }
        // Removing during the scan would shift unvisited entries into visited positions.
        for (int r = 0; r < removed; r++) {
            remove(removals[r]);
        }
    }

    @Override
    public String toString() {
        return "HashedWeightTable{size=" + size + ", capacity=" + keys.length + "}";
    }
}
