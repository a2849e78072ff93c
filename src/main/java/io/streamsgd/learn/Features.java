package io.streamsgd.learn;

import java.util.Arrays;

/**
 * The sparse feature vector of one event: parallel arrays of slot, value and name, filled by a
 * parser and reused from event to event (no allocation per feature once warm).
 *
 * <p>Invariants: every slot appears once (two names that hash to the same slot are merged by
 * adding their values, the first name kept, as a dot product over hashed features would count
 * them); every value is finite and non-zero (a zero contributes nothing and is dropped).
 * Whether two <em>names</em> repeat is the parser's business: it rejects duplicate keys before
 * they get here.
 *
 * <p>A name is either held by the vector or, when it is the decimal form of a number (LibSVM's
 * indices, {@link #addToSlot(int, int, double)}), kept as that number: an {@code int} per feature
 * instead of a reference, whose store costs, with G1, a card-marking write barrier (a memory
 * fence) when the vector is long-lived, as a parser's scratch vector is (measured as 11% of
 * LibSVM parsing), and no string at all until the name is asked for (for a new weight).
 */
public final class Features {
    private final FeatureHasher hasher;
    private int[] slots = new int[16];
    private double[] values = new double[16];
    /** A feature's name, or null when it is the decimal form of {@code numericNames[i]}. */
    private String[] names = new String[16];
    private int[] numericNames = new int[16];
    /** Whether a feature since the last clear has its name in {@link #names}. */
    private boolean ownNames;
    private int size;
    // Slot -> position, used once the vector is too long for a linear scan; clearing it costs nothing.
    private final SlotPositions lookup = new SlotPositions(0);
    // True when the table does not hold the current positions (after copyFrom): rebuilt when needed.
    private boolean lookupStale;
    private static final int LINEAR_SCAN_LIMIT = 16;

    public Features(FeatureHasher hasher) {
        this.hasher = hasher;
    }

    public FeatureHasher hasher() {
        return hasher;
    }

    public void clear() {
        if (size > LINEAR_SCAN_LIMIT) {
            lookup.clear(0);
        }
        if (ownNames) {
            Arrays.fill(names, 0, size, null); // so that a null always means "a number"
            ownNames = false;
        }
        size = 0;
        lookupStale = false;
    }

    /**
     * Makes this vector a copy of {@code other}, the same features in the same order, reusing
     * this vector's arrays. Only the features are copied: the table that finds duplicate slots
     * while a vector is filled is rebuilt if features are added to the copy, so a copy costs
     * the three arrays' lengths and leaves {@code other}'s table, which its filler keeps using,
     * the only one in the caches.
     *
     * @throws IllegalArgumentException if the two vectors hash with different hashers
     */
    public void copyFrom(Features other) {
        if (other.hasher != hasher) {
            throw new IllegalArgumentException("cannot copy features hashed by " + other.hasher + " into " + hasher);
        }
        clear();
        int n = other.size;
        while (slots.length < n) {
            grow();
        }
        System.arraycopy(other.slots, 0, slots, 0, n);
        System.arraycopy(other.values, 0, values, 0, n);
        if (other.ownNames) {
            System.arraycopy(other.names, 0, names, 0, n);
            ownNames = true;
        }
        System.arraycopy(other.numericNames, 0, numericNames, 0, n);
        size = n;
        lookupStale = n > LINEAR_SCAN_LIMIT;
    }

    public int size() {
        return size;
    }

    public int slot(int i) {
        return slots[i];
    }

    public double value(int i) {
        return values[i];
    }

    /** The slots, from 0 to {@link #size}: the live array, valid until this vector next changes (for {@link ProjectedFeatures}). */
    int[] slotArray() {
        return slots;
    }

    /** The values, as {@link #slotArray}. */
    double[] valueArray() {
        return values;
    }

    public String name(int i) {
        String name = names[i];
        return name != null ? name : Integer.toString(numericNames[i]);
    }

    /**
     * Adds a numeric feature.
     *
     * @throws IllegalArgumentException if the value is not finite
     */
    public void add(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("feature '" + name + "' has a non-finite value " + value);
        }
        if (value == 0.0) {
            return;
        }
        addToSlot(hasher.index(name), name, value);
    }

    /** Adds a categorical feature: {@code name=value} with value 1. */
    public void addCategorical(String name, String category) {
        add(name + "=" + category, 1.0);
    }

    /** Adds a boolean feature: 1 for true; false contributes nothing. */
    public void addBoolean(String name, boolean value) {
        if (value) {
            add(name, 1.0);
        }
    }

    /**
     * Adds a value to an already hashed slot (for formats that carry indices, not names); the name is not null.
     *
     * @throws IllegalArgumentException if the slot is not one this vector's hasher gives (outside its mask)
     */
    public void addToSlot(int slot, String name, double value) {
        checkSlot(slot);
        ownNames = true;
        add(slot, name, 0, value);
    }

    /**
     * Adds a value to an already hashed slot whose name is the decimal form of {@code number}
     * ({@code >= 0}, no leading zeros), kept as that number (see the class comment).
     *
     * @throws IllegalArgumentException as {@link #addToSlot(int, String, double)}
     */
    public void addToSlot(int slot, int number, double value) {
        checkSlot(slot);
        add(slot, null, number, value);
    }

    // Every slot fits the hasher's mask: a model with at least the hasher's bits then uses the
    // vector as it is (ProjectedFeatures), so a slot outside it would be read unmasked.
    private void checkSlot(int slot) {
        if ((slot & ~hasher.mask()) != 0) {
            throw new IllegalArgumentException("slot " + slot + " is outside the " + hasher.bits() + "-bit hash space");
        }
    }

    private void add(int slot, String name, int number, double value) {
        // With a long vector whose table holds every position and has room, one probe finds the
        // slot or records where the new one goes (LibSVM text has 100+ features a line).
        boolean recorded = size > LINEAR_SCAN_LIMIT && !lookupStale && lookup.capacity() >= 2 * (size + 1);
        int at = recorded ? lookup.findOrAdd(slot, slots, size) : find(slot);
        if (at >= 0) {
            merge(at, value);
            return;
        }
        if (size == slots.length) {
            grow();
        }
        slots[size] = slot;
        values[size] = value;
        if (name != null) {
            names[size] = name;
        }
        numericNames[size] = number;
        size++;
        if (!recorded && size > LINEAR_SCAN_LIMIT) {
            if (size == LINEAR_SCAN_LIMIT + 1 || lookup.capacity() < 2 * size) {
                rebuildLookup();
            } else {
                lookup.add(slot, size - 1);
            }
        }
    }

    /** Adds {@code value} to the feature at {@code at}, dropping it if the sum is zero. */
    private void merge(int at, double value) {
        double merged = values[at] + value;
        if (merged == 0.0) {
            removeAt(at);
        } else {
            values[at] = merged;
        }
    }

    private int find(int slot) {
        if (size <= LINEAR_SCAN_LIMIT) {
            for (int i = 0; i < size; i++) {
                if (slots[i] == slot) {
                    return i;
                }
            }
            return -1;
        }
        if (lookupStale) {
            rebuildLookup();
        }
        return lookup.find(slot, slots);
    }

    private void removeAt(int at) {
        size--;
        slots[at] = slots[size];
        values[at] = values[size];
        names[at] = names[size];
        names[size] = null;
        numericNames[at] = numericNames[size];
        if (size >= LINEAR_SCAN_LIMIT) {
            rebuildLookup();
        }
    }

    /** Makes the table hold exactly the current positions, at load factor at most 1/4 (it never shrinks). */
    private void rebuildLookup() {
        lookupStale = false;
        lookup.rebuild(slots, size, Integer.highestOneBit(Math.max(64, size * 4) - 1) << 1);
    }

    private void grow() {
        int n = slots.length * 2;
        slots = Arrays.copyOf(slots, n);
        values = Arrays.copyOf(values, n);
        names = Arrays.copyOf(names, n);
        numericNames = Arrays.copyOf(numericNames, n);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Features{");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(name(i)).append('@').append(slots[i]).append('=').append(values[i]);
        }
        return b.append('}').toString();
    }
}
