package io.streamsgd.stream;

import io.streamsgd.learn.WeightEntry;
import java.util.Arrays;

/**
 * The weights a model changed since its last delta, each once with its latest state, in the
 * order they first changed: an open-addressing map from slot to entry on primitive arrays. Taking
 * the state when the learner saves it, while it is in the cache, spares the delta a lookup of
 * every changed weight in the model's table, and the map spares it sorting out repeats.
 */
final class PendingChanges {
    private final boolean adaptive;
    /** Hash table of (slot, entry index + 1) pairs side by side, one cache line for both (index 0: empty). */
    private int[] table = new int[512];
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

    /** Records the weight's new state. */
    void put(int slot, WeightEntry e) {
        int i = index(slot);
        present[i] = true;
        int b = i * longs();
        data[b] = Double.doubleToRawLongBits(e.value);
        data[b + 1] = e.step;
        if (adaptive) {
            data[b + 2] = Double.doubleToRawLongBits(e.sumSquares);
            data[b + 3] = Double.doubleToRawLongBits(e.scale);
        }
    }

    /** Records that the weight is gone. */
    void remove(int slot) {
        present[index(slot)] = false;
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

    void clear() {
        if (size > 0) {
            Arrays.fill(table, 0);
            size = 0;
        }
    }

    /** The index of the slot's entry, added if new. */
    private int index(int slot) {
        int mask = (table.length >> 1) - 1;
        for (int h = hash(slot) & mask; ; h = (h + 1) & mask) {
            int at = table[2 * h + 1];
            if (at == 0) {
                if (size == slots.length) {
                    grow();
                    return index(slot);
                }
                slots[size] = slot;
                table[2 * h] = slot;
                table[2 * h + 1] = ++size;
                return size - 1;
            }
            if (table[2 * h] == slot) {
                return at - 1;
            }
        }
    }

    private static int hash(int slot) {
        return (slot * 0x9E3779B9) ^ (slot >>> 16);
    }

    /** Doubles the entries and rebuilds the table at twice their number (load at most 1/2). */
    private void grow() {
        int capacity = slots.length * 2;
        slots = Arrays.copyOf(slots, capacity);
        present = Arrays.copyOf(present, capacity);
        data = Arrays.copyOf(data, capacity * longs());
        table = new int[capacity * 4];
        int mask = capacity * 2 - 1;
        for (int i = 0; i < size; i++) {
            int h = hash(slots[i]) & mask;
            while (table[2 * h + 1] != 0) {
                h = (h + 1) & mask;
            }
            table[2 * h] = slots[i];
            table[2 * h + 1] = i + 1;
        }
    }
}
