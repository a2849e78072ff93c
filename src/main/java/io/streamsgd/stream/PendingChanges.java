package io.streamsgd.stream;

import io.streamsgd.learn.HashedWeightTable;
import io.streamsgd.learn.WeightEntry;
import java.util.Arrays;

/**
 * The weights a model changed since its last delta, each once with its state at the time it was
 * collected from the table ({@link HashedWeightTable#drainChanges}): a list on primitive arrays
 * that the delta records are cut from.
 */
final class PendingChanges implements HashedWeightTable.ChangeVisitor {
    /** Entries the list may keep room for after any round (64 KB of state). */
    private static final int MIN_CAPACITY = 2048;
    private final boolean adaptive;
    private int[] slots = new int[128];
    private boolean[] present = new boolean[128];
    private long[] data;
    private int size;

    PendingChanges(boolean adaptive) {
        this.adaptive = adaptive;
        this.data = new long[128 * longs()];
    }

    private int longs() {
        return adaptive ? 4 : 2;
    }

    @Override
    public void changed(int slot, WeightEntry e) {
        int b = add(slot, true) * longs();
        data[b] = Double.doubleToRawLongBits(e.value);
        data[b + 1] = e.step;
        if (adaptive) {
            data[b + 2] = Double.doubleToRawLongBits(e.sumSquares);
            data[b + 3] = Double.doubleToRawLongBits(e.scale);
        }
    }

    @Override
    public void removed(int slot) {
        add(slot, false);
    }

    private int add(int slot, boolean isPresent) {
        if (size == slots.length) {
            int capacity = size * 2;
            slots = Arrays.copyOf(slots, capacity);
            present = Arrays.copyOf(present, capacity);
            data = Arrays.copyOf(data, capacity * longs());
        }
        slots[size] = slot;
        present[size] = isPresent;
        return size++;
    }

    int size() {
        return size;
    }

    int slot(int i) {
        return slots[i];
    }

    boolean present(int i) {
        return present[i];
    }

    /** The state of entry {@code i} (only if {@link #present}). */
    WeightEntry entry(int i, WeightEntry into) {
        int b = i * longs();
        return into.set(Double.longBitsToDouble(data[b]), data[b + 1],
                adaptive ? Double.longBitsToDouble(data[b + 2]) : 0.0, adaptive ? Double.longBitsToDouble(data[b + 3]) : 0.0);
    }

    /**
     * Forgets the entries. Arrays that a burst made more than four times larger than this round
     * needed (a commit that created a million weights) are given back, down to twice that.
     */
    void clear() {
        int needed = Math.max(MIN_CAPACITY, size);
        if (slots.length > 4 * needed) {
            int capacity = 2 * needed;
            slots = new int[capacity];
            present = new boolean[capacity];
            data = new long[capacity * longs()];
        }
        size = 0;
    }
}
