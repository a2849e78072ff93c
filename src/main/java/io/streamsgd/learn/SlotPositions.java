package io.streamsgd.learn;

import java.util.Arrays;

/**
 * Where each slot of a feature vector sits in it: an open-addressed table of positions, each
 * entry stamped with a generation ({@code (generation << 32) | position}) so that forgetting
 * every entry is one increment, not a fill. The slots themselves stay in the owner's array; an
 * entry stands for {@code slots[position]}. Used by {@link Features} and {@link ProjectedFeatures}
 * to find duplicate slots without a scan.
 */
final class SlotPositions {
    private long[] table;
    private int generation = 1;

    SlotPositions(int capacity) {
        table = new long[capacity];
    }

    int capacity() {
        return table.length;
    }

    /** Forgets every position, first growing to {@code capacity} (a power of two) if smaller. */
    void clear(int capacity) {
        if (table.length < capacity) {
            table = new long[capacity];
            generation = 1;
        } else if (++generation == 0) { // wrapped: stale stamps could look current
            Arrays.fill(table, 0L);
            generation = 1;
        }
    }

    /** The position of {@code slot} among {@code slots}, or -1. */
    int find(int slot, int[] slots) {
        int mask = table.length - 1;
        for (int h = mix(slot) & mask; ; h = (h + 1) & mask) {
            long e = table[h];
            if ((int) (e >>> 32) != generation) {
                return -1;
            }
            int p = (int) e;
            if (slots[p] == slot) {
                return p;
            }
        }
    }

    /**
     * The position of {@code slot} among {@code slots}; if it has none, records {@code position}
     * for it and returns -1 (one probe for both).
     */
    int findOrAdd(int slot, int[] slots, int position) {
        int mask = table.length - 1;
        for (int h = mix(slot) & mask; ; h = (h + 1) & mask) {
            long e = table[h];
            if ((int) (e >>> 32) != generation) {
                table[h] = (long) generation << 32 | position;
                return -1;
            }
            int p = (int) e;
            if (slots[p] == slot) {
                return p;
            }
        }
    }

    /** Records {@code position} for {@code slot}, which has none. */
    void add(int slot, int position) {
        int mask = table.length - 1;
        int h = mix(slot) & mask;
        while ((int) (table[h] >>> 32) == generation) {
            h = (h + 1) & mask;
        }
        table[h] = (long) generation << 32 | position;
    }

    /** Forgets every position, then records those of {@code slots[0, size)}. */
    void rebuild(int[] slots, int size, int capacity) {
        clear(capacity);
        for (int i = 0; i < size; i++) {
            add(slots[i], i);
        }
    }

    private static int mix(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
