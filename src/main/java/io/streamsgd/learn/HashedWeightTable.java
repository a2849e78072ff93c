package io.streamsgd.learn;

import java.util.Arrays;

/**
 * In-memory {@link WeightStore}: open addressing with linear probing (no boxing, no per-entry
 * objects), load factor at most 1/2, deletion by backward shift so that no tombstones accumulate.
 * Sized by the number of non-zero weights, not by the hash space, so a 2^28-slot model with a
 * million non-zeros costs a few tens of megabytes.
 *
 * <p>Layout, for memory locality: the probed keys in their own dense {@code int} array, and the
 * four numbers of an entry (value, step, sum of squares, scale) side by side in one {@code long}
 * array, 32 bytes an entry, so that a weight absent from the caches costs two cache misses (key,
 * entry) rather than one per field. Names, needed only when a weight is created or exported, are
 * apart. At most {@value #MAX_ENTRIES} entries.
 *
 * <p>Not thread-safe: one learner owns it.
 */
public final class HashedWeightTable implements WeightStore {
    /** Largest number of entries: the entry array must stay within Java's array size limit. */
    static final int MAX_ENTRIES = 1 << 27;

    private static final int EMPTY = -1;
    private static final int STRIDE = 4;
    // Entry i's fields start at (i << 2) + OFFSET. Skipping the first 16 bytes after the 16-byte
    // array header puts entries on 32-byte boundaries whenever the array itself starts on a
    // 64-byte one (large arrays do, in G1), so that no entry straddles two cache lines.
    private static final int OFFSET = 2;
    private static final int VALUE = 0;
    private static final int STEP = 1;
    private static final int SUMS = 2;
    private static final int SCALE = 3;

    private int[] keys;
    private long[] data;
    /** Feature names by position, or null in a table that keeps none. */
    private String[] names;
    private final boolean keepNames;
    private int size;
    private int mask;
    // Incremented whenever entries move (a removal shifts its probe run; growing rehashes
    // everything): a position found before is still the entry's while this is unchanged.
    private int layout;

    public HashedWeightTable() {
        this(16);
    }

    public HashedWeightTable(int expectedEntries) {
        this(expectedEntries, true);
    }

    /**
     * A table for about {@code expectedEntries} weights; without names ({@code keepNames} false)
     * it ignores the names it is given and its sweeps visit null names, for an owner that keeps
     * them elsewhere (4 bytes less per position).
     */
    public HashedWeightTable(int expectedEntries, boolean keepNames) {
        this.keepNames = keepNames;
        allocate(Math.max(16, Integer.highestOneBit(Math.max(1, Math.min(expectedEntries, MAX_ENTRIES)) * 2 - 1) << 1));
    }

    private void allocate(int capacity) {
        layout++;
        keys = new int[capacity];
        Arrays.fill(keys, EMPTY);
        data = new long[capacity * STRIDE + OFFSET];
        names = keepNames ? new String[capacity] : null;
        mask = capacity - 1;
        size = 0;
    }

    private static int home(int slot, int mask) {
        int h = slot * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    private static int base(int i) {
        return (i << 2) + OFFSET;
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

    /**
     * Reads the memory a {@link #load} of {@code slot} will most likely read first (its home key
     * and entry), without using it: called for every weight of an event before they are loaded,
     * the reads of weights that are not in the caches overlap instead of waiting one after the
     * other. Returns a value only so that the reads cannot be optimized away.
     */
    int touch(int slot) {
        int i = home(slot, mask);
        return keys[i] + (int) data[base(i)];
    }

    /** Whether the table is larger than {@link #touch} is worth it for: beyond the core's own caches. */
    boolean isLarge() {
        return keys.length > (1 << 14);
    }

    // Position-based access, for the learner: an event's weights are loaded, then written back
    // at the positions the loads found, without a second probe, as long as layout() is unchanged.

    /** The entry's position, or a negative number if the slot has none. */
    int positionOf(int slot) {
        int i = find(slot);
        return i >= 0 ? i : -1;
    }

    /** Fills {@code into} from the entry at {@code position} (from {@link #positionOf}). */
    void read(int position, WeightEntry into) {
        int b = base(position);
        into.value = Double.longBitsToDouble(data[b + VALUE]);
        into.step = data[b + STEP];
        into.sumSquares = Double.longBitsToDouble(data[b + SUMS]);
        into.scale = Double.longBitsToDouble(data[b + SCALE]);
    }

    /** Overwrites the entry at {@code position}, found while {@link #layout()} had its current value. */
    void write(int position, double value, long step, double sumSquares, double scale) {
        int b = base(position);
        data[b + VALUE] = Double.doubleToRawLongBits(value);
        data[b + STEP] = step;
        data[b + SUMS] = Double.doubleToRawLongBits(sumSquares);
        data[b + SCALE] = Double.doubleToRawLongBits(scale);
    }

    /** Changes whenever entries may have moved, invalidating positions found before. */
    int layout() {
        return layout;
    }

    @Override
    public boolean load(int slot, WeightEntry into) {
        int i = find(slot);
        if (i < 0) {
            into.clear();
            return false;
        }
        read(i, into);
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
            if (keepNames) {
                names[i] = nameIfNew;
            }
            size++;
        }
        write(i, entry.value, entry.step, entry.sumSquares, entry.scale);
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
        layout++;
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
        if (keepNames) {
            names[i] = null;
        }
        size--;
    }

    private void copy(int from, int to) {
        keys[to] = keys[from];
        System.arraycopy(data, base(from), data, base(to), STRIDE);
        if (keepNames) {
            names[to] = names[from];
        }
    }

    private void grow() {
        if (keys.length >= 2 * MAX_ENTRIES) {
            throw new IllegalStateException("the weight table is full: at most " + MAX_ENTRIES + " non-zero weights");
        }
        int[] oldKeys = keys;
        long[] oldData = data;
        String[] oldNames = names;
        allocate(oldKeys.length * 2);
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = -1 - find(oldKeys[j]);
                keys[i] = oldKeys[j];
                System.arraycopy(oldData, base(j), data, base(i), STRIDE);
                if (keepNames) {
                    names[i] = oldNames[j];
                }
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
            int b = base(i);
            entry.set(Double.longBitsToDouble(data[b + VALUE]), data[b + STEP],
                    Double.longBitsToDouble(data[b + SUMS]), Double.longBitsToDouble(data[b + SCALE]));
            switch (sweeper.visit(keys[i], keepNames ? names[i] : null, entry)) {
                case KEEP -> { }
                case UPDATE -> write(i, entry.value, entry.step, entry.sumSquares, entry.scale);
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
