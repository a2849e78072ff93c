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

    // Slot -> position of this event's features.
    private final SlotPositions positions = new SlotPositions(128);

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
        positions.clear(Integer.highestOneBit(Math.max(1, 2 * n) - 1) << 1);
        source = features;
        size = 0;
        for (int i = 0; i < n; i++) {
            add(features.slot(i) & mask, i, features.value(i));
        }
    }

    private void add(int slot, int position, double value) {
        int at = positions.findOrAdd(slot, slots, size);
        if (at < 0) {
            slots[size] = slot;
            values[size] = value;
            sources[size] = position;
            size++;
        } else {
            double merged = values[at] + value;
            if (merged == 0.0) {
                removeAt(at);
            } else {
                values[at] = merged;
            }
        }
    }

    /** As {@link Features}: the last feature moves into the hole; the table is then rebuilt. */
    private void removeAt(int at) {
        size--;
        slots[at] = slots[size];
        values[at] = values[size];
        sources[at] = sources[size];
        positions.rebuild(slots, size, positions.capacity());
    }
}
