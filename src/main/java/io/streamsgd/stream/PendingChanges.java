package io.streamsgd.stream;

import io.streamsgd.learn.HashedWeightTable;
import io.streamsgd.learn.WeightEntry;
import java.util.Arrays;

/**
 * Changed weights drained from the table ({@link HashedWeightTable#drainChanges}), each with its
 * state at the time: a list on primitive arrays that one delta record is written from. It grows as
 * needed; {@link ModelStorage} writes a record and clears it whenever it holds
 * {@value ModelStorage#MAX_DELTA_ENTRIES}, so it never holds more.
 */
final class PendingChanges {
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

    /** Adds the slot's weight, stored with this state. */
    void changed(int slot, WeightEntry e) {
        int b = add(slot, true) * longs();
        data[b] = Double.doubleToRawLongBits(e.value);
        data[b + 1] = e.step;
        if (adaptive) {
            data[b + 2] = Double.doubleToRawLongBits(e.sumSquares);
            data[b + 3] = Double.doubleToRawLongBits(e.scale);
        }
    }

    /** Adds the slot's weight as removed. */
    void removed(int slot) {
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

    /** Entries the list has room for without growing. */
    int capacity() {
        return slots.length;
    }

    /** Forgets the entries. */
    void clear() {
        size = 0;
    }
}
