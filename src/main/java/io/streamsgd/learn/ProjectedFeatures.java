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
 * <p>When the source's hasher has no more bits than the model ({@code learn}'s parser hashes
 * with the model's bits, the service's trainer with the bits its models share), every slot
 * already fits the mask and the source has merged its duplicate slots itself: the projection is
 * the source as it is, and its arrays are read in place, nothing copied. That is the vector
 * hashing with 32 bits and projecting gives, for an event whose names are distinct (parsers
 * reject a name given twice) and whose names' full 32-bit hashes are distinct too; where two names
 * of one event share their full hash, the values of features colliding at the model's bits may be
 * added in another order (the last bit of the sum).
 *
 * <p>Names are kept as positions in the source vector, looked up only when asked for (a new
 * weight, a message): storing a reference per feature would cost, with G1, a card-marking write
 * barrier per feature for a name that is rarely needed.
 */
final class ProjectedFeatures {
    private int[] ownSlots = new int[64];
    private double[] ownValues = new double[64];
    private int[] sources = new int[64]; // position in the source of the feature whose name is kept
    // What slot() and value() read: the arrays above, or the source's own when nothing is to merge.
    private int[] slots = ownSlots;
    private double[] values = ownValues;
    private boolean inPlace;
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
        return source.name(inPlace ? i : sources[i]);
    }

    /** Replaces the content with {@code features}, slots masked with {@code mask}. */
    void project(Features features, int mask) {
        int n = features.size();
        source = features;
        inPlace = (features.hasher().mask() & ~mask) == 0; // every slot already within the mask
        if (inPlace) {
            slots = features.slotArray();
            values = features.valueArray();
            size = n;
            return;
        }
        if (n > ownSlots.length) {
            int capacity = Math.max(n, ownSlots.length * 2);
            ownSlots = Arrays.copyOf(ownSlots, capacity);
            ownValues = Arrays.copyOf(ownValues, capacity);
            sources = Arrays.copyOf(sources, capacity);
        }
        slots = ownSlots;
        values = ownValues;
        positions.clear(Integer.highestOneBit(Math.max(1, 2 * n) - 1) << 1);
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
