package io.streamsgd.learn;

import java.util.Arrays;

/**
 * An event's features projected into a model's hash space, the learner's per-event scratch: each
 * slot masked to the model's bits, and features whose masked slots coincide merged exactly as
 * {@link Features#addToSlot} merges them (values added in order, the first name kept, a sum of
 * exactly zero dropped by moving the last feature into its place), so the projected vector is
 * the one {@code Features} would build, in the same order.
 *
 * <p>Duplicate slots are found through an open-addressed table whose entries carry the number of
 * the event that wrote them, so starting an event costs nothing and a feature one probe or two.
 *
 * <p>Names are kept as positions in the source vector, looked up only when asked for (a new
 * weight, a message): storing a reference per feature would cost, with G1, a card-marking write
 * barrier per feature for a name that is rarely needed.
 */
final class ProjectedFeatures {
    private int[] slots = new int[64];
    private double[] values = new double[64];
    private int[] sources = new int[64]; // position in the source of the feature whose name is kept
    private Features source;
    private int size;

    // Open addressing over the positions of the features: an entry is (generation << 32) | position,
    // current when its generation is this event's; the slot it stands for is slots[position].
    private long[] table = new long[128];
    private int generation;

    int size() {
        return size;
    }

    int slot(int i) {
        return slots[i];
    }

    double value(int i) {
        return values[i];
    }

    /** The name of projected feature {@code i}; valid until the source vector changes. */
    String name(int i) {
        return source.name(sources[i]);
    }

    /** Replaces the content with {@code features}, slots masked with {@code mask}. */
    void project(Features features, int mask) {
        int n = features.size();
        if (n > slots.length) {
            int capacity = Math.max(n, slots.length * 2);
            slots = Arrays.copyOf(slots, capacity);
            values = Arrays.copyOf(values, capacity);
            sources = Arrays.copyOf(sources, capacity);
        }
        if (2 * n > table.length) {
            table = new long[Integer.highestOneBit(2 * n - 1) << 1];
            generation = 0;
        }
        source = features;
        size = 0;
        nextGeneration();
        for (int i = 0; i < n; i++) {
            add(features.slot(i) & mask, i, features.value(i));
        }
    }

    private void add(int slot, int position, double value) {
        int tableMask = table.length - 1;
        for (int h = mix(slot) & tableMask; ; h = (h + 1) & tableMask) {
            long e = table[h];
            if ((int) (e >>> 32) != generation) {
                table[h] = (long) generation << 32 | size;
                slots[size] = slot;
                values[size] = value;
                sources[size] = position;
                size++;
                return;
            }
            int at = (int) e;
            if (slots[at] == slot) {
                double merged = values[at] + value;
                if (merged == 0.0) {
                    removeAt(at);
                } else {
                    values[at] = merged;
                }
                return;
            }
        }
    }

    /** As {@link Features}: the last feature moves into the hole; the table is then rebuilt. */
    private void removeAt(int at) {
        size--;
        slots[at] = slots[size];
        values[at] = values[size];
        sources[at] = sources[size];
        nextGeneration();
        int tableMask = table.length - 1;
        for (int i = 0; i < size; i++) {
            int h = mix(slots[i]) & tableMask;
            while ((int) (table[h] >>> 32) == generation) {
                h = (h + 1) & tableMask;
            }
            table[h] = (long) generation << 32 | i;
        }
    }

    private void nextGeneration() {
        if (++generation == 0) { // wrapped: stale stamps could look current
            Arrays.fill(table, 0L);
            generation = 1;
        }
    }

    private static int mix(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
