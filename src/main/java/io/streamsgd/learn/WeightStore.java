package io.streamsgd.learn;

/**
 * Where a model keeps its weights: one entry per stored (non-zero) weight, addressed by hashed
 * slot, with the feature name kept beside it for inspection. The learner is the only writer; an
 * entry whose weight becomes exactly zero is removed, so the store's size is the model's real
 * memory. Implementations: {@link HashedWeightTable} in memory, a Kafka Streams state store in
 * the {@code stream} package.
 */
public interface WeightStore {
    /** Fills {@code into} with the slot's entry and returns true, or clears it and returns false. */
    boolean load(int slot, WeightEntry into);

    /**
     * Writes the slot's entry. {@code nameIfNew} is the feature name when the slot had no entry
     * before this write, else null (the name of an existing entry is kept).
     */
    void save(int slot, WeightEntry entry, String nameIfNew);

    void remove(int slot);

    /**
     * The in-memory table that holds this store's weights, if the learner may read and write it
     * directly (position by position, {@link HashedWeightTable}'s fast path), or null. A store
     * that returns its table learns of the learner's writes through the table's
     * {@linkplain HashedWeightTable#trackChanges() change tracking}; creations and removals still
     * come through {@link #save} and {@link #remove}.
     */
    default HashedWeightTable table() {
        return null;
    }

    /** Number of stored entries. */
    long size();

    /**
     * Visits every entry once. The visitor may change the entry it is given and says what to do
     * with it; removals and updates take effect without disturbing the visit.
     */
    void sweep(Sweeper sweeper);

    /** A visit of {@link #sweep}. */
    @FunctionalInterface
    interface Sweeper {
        Action visit(int slot, String name, WeightEntry entry);
    }

    /** What a sweep does with the entry it visited. */
    enum Action { KEEP, UPDATE, REMOVE }
}
