package io.streamsgd.learn;

import java.util.Arrays;

/**
 * In-memory {@link WeightStore}: open addressing with linear probing (no boxing, no per-entry
 * objects), load factor at most 1/2, deletion by backward shift so that no tombstones accumulate.
 * Sized by the number of non-zero weights, not by the hash space, so a 2^28-slot model with a
 * million non-zeros costs a few tens of megabytes.
 *
 * <p>Layout, for memory: the probed array holds, per position, only a key and the index of its
 * entry (8 bytes), and the entries are dense, in the order they were created: the four numbers of
 * an entry (value, step, sum of squares, scale) side by side, 32 bytes, in chunks of
 * 4,096 entries (so that an entry absent from the caches costs one miss, not one per
 * field), and the slot in an {@code int} array (to find the probed position of an entry that
 * moves). At a load between 1/4 and 1/2 this is 52 to 68 bytes a weight (plus at most half of the
 * slots' 4 bytes as room to grow), where entries at the probed positions took 72 to 144: the
 * entries' 32 bytes are paid once per weight, only the 8 bytes per position twice to four times.
 * Removing an entry moves the last one into its place; growing rehashes the 8-byte positions and
 * adds chunks, never copying an entry. Names, needed only when a weight is created or exported,
 * are apart, by entry. At most {@value #MAX_ENTRIES} entries.
 *
 * <p>An owner that logs the model's changes (the Kafka Streams store) can have the table
 * {@linkplain #trackChanges() track} them: a bit per entry, set by every write and moved with the
 * entry, and a list of removed slots. The learner then writes straight into the table, at the
 * entries its loads found, and the owner collects what changed once per commit with
 * {@link #drainChanges}, in entry order, instead of keeping a second map of changes per write.
 *
 * <p>Not thread-safe: one learner owns it.
 */
public final class HashedWeightTable implements WeightStore {
    /** Largest number of entries: the probed array (twice as many positions) must stay within Java's array size limit. */
    static final int MAX_ENTRIES = 1 << 27;

    /** Slots whose low bits agree form a group, whose entries the table keeps together. */
    public static final int GROUP_BITS = 12;
    public static final int GROUPS = 1 << GROUP_BITS;

    /** A free position; an occupied one holds {@code (slot << 32) | entry index}, slots being {@code >= 0}. */
    private static final long EMPTY = -1L;
    private static final int STRIDE = 4;
    /**
     * Entries per chunk of the entries' numbers (4,096: 128 KB): the entries grow by chunks, so
     * that a growing model never copies its entries nor needs a large contiguous block of heap
     * (with one array, a heap of 200 MB ran out of memory copying that of 750,000 weights into
     * a larger one, with 100 MB live). Entry i's fields start at {@code (i & CHUNK_MASK) << 2} in
     * chunk {@code i >>> CHUNK_BITS}.
     */
    private static final int CHUNK_BITS = 12;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK - 1;
    private static final int MIN_ENTRIES = 16;
    private static final int VALUE = 0;
    private static final int STEP = 1;
    private static final int SUMS = 2;
    private static final int SCALE = 3;

    /** Per position: EMPTY, or the slot in the high half and its entry's index in the low one. */
    private long[] probe;
    /** Per entry (the first {@code size} are in use): its slot, its four numbers, its name. */
    private int[] slots;
    /** The entries' numbers by chunks of CHUNK entries; a table of fewer entries has one chunk, as small as it needs. */
    private long[][] chunks = new long[0][];
    /** Feature names by entry, or null in a table that keeps none. */
    private String[] names;
    private final boolean keepNames;
    private int size;
    private int mask;
    /** log2(positions) - GROUP_BITS: how far a slot's group is shifted in its home; -1 below GROUPS positions. */
    private int groupShift;
    // Incremented whenever an entry moves to another index (a removal moves the last entry into
    // the hole): an index found before is still the entry's while this is unchanged. Positions in
    // the probed array move more often (a removal shifts its probe run; growing rehashes them),
    // but the learner keeps indices, not positions.
    private int layout;
    /**
     * Change tracking (null when off): a bit per entry that changed since the last drain, and the
     * words of it that became non-zero (a word may be listed twice, or be zero again), so that a
     * drain costs what changed, not the table's size.
     */
    private long[] changed;
    private int changedCount;
    private int[] changedWords;
    private int changedWordCount;
    private int[] removedSlots;
    private int removedCount;

    public HashedWeightTable() {
        this(16);
    }

    public HashedWeightTable(int expectedEntries) {
        this(expectedEntries, true);
    }

    /**
     * A table for a model of {@code 2^hashBits} slots, with names: room for 65,536 weights to
     * start with (it grows as needed), or for every slot of a smaller space, so that a small
     * model's table is no larger than it can ever need and stays within the core's caches.
     */
    public static HashedWeightTable forHashBits(int hashBits) {
        return new HashedWeightTable((int) Math.min(1L << 16, 1L << hashBits));
    }

    /**
     * A table for about {@code expectedEntries} weights; without names ({@code keepNames} false)
     * it ignores the names it is given and its sweeps visit null names, for an owner that keeps
     * them elsewhere (4 bytes less per entry).
     */
    public HashedWeightTable(int expectedEntries, boolean keepNames) {
        this.keepNames = keepNames;
        int positions = Math.max(16, Integer.highestOneBit(Math.max(1, Math.min(expectedEntries, MAX_ENTRIES)) * 2 - 1) << 1);
        allocateProbe(positions);
        int entries = positions / 2;
        slots = new int[entries];
        coverEntries(entries);
        names = keepNames ? new String[entries] : null;
    }

    /** Makes the chunks hold at least {@code entries} entries. */
    private void coverEntries(int entries) {
        int have = chunks.length;
        int needed = (entries + CHUNK - 1) >>> CHUNK_BITS;
        if (have == 1 && chunks[0].length < Math.min(entries, CHUNK) * STRIDE) { // a small table's one chunk grows as its table
            chunks[0] = Arrays.copyOf(chunks[0], Math.min(entries, CHUNK) * STRIDE);
        }
        if (needed > have) {
            chunks = Arrays.copyOf(chunks, needed);
            for (int c = have; c < needed; c++) {
                chunks[c] = new long[(needed == 1 ? entries : CHUNK) * STRIDE];
            }
        }
    }

    private void allocateProbe(int positions) {
        probe = new long[positions];
        Arrays.fill(probe, EMPTY);
        mask = positions - 1;
        groupShift = positions >= GROUPS ? Integer.numberOfTrailingZeros(positions) - GROUP_BITS : -1;
    }

    /**
     * Makes room for one more entry: the slots grow by half, the numbers by one chunk when the
     * new entry is the first of a chunk not yet made (indices stay). Chunks made only as entries
     * reach them spare the numbers of the slots' room to grow: up to a third of the entries, 32 B
     * each (12 MB for the service's table of 971,129 weights in the e2e memory run).
     */
    private void ensureEntryRoom() {
        if (size == slots.length) {
            int entries = (int) Math.min(MAX_ENTRIES, Math.max(MIN_ENTRIES, slots.length + (slots.length >> 1)));
            slots = Arrays.copyOf(slots, entries);
            if (keepNames) {
                names = Arrays.copyOf(names, entries);
            }
            if (changed != null) {
                changed = Arrays.copyOf(changed, (entries + 63) >>> 6);
            }
        }
        coverEntries(Math.min(slots.length, (size & ~CHUNK_MASK) + CHUNK));
    }

    /**
     * An entry's first probe position. Slots are hashes (uniform in their low bits), so they are
     * used as they are, only reordered: the slot's group (its low {@value #GROUP_BITS} bits) makes
     * the high bits of the position and the next bits of the slot the low ones, so that a group's
     * entries lie in one run of positions ({@link #forEachInGroup}). Tables of fewer positions
     * than groups mix the bits instead (a group is then less than a position).
     */
    private int home(int slot) {
        if (groupShift < 0) {
            int h = slot * 0x9E3779B9;
            return (h ^ (h >>> 16)) & mask;
        }
        return ((slot & (GROUPS - 1)) << groupShift) | ((slot >>> GROUP_BITS) & ((1 << groupShift) - 1));
    }

    private long[] chunkOf(int index) {
        return chunks[index >>> CHUNK_BITS];
    }

    private static int base(int index) {
        return (index & CHUNK_MASK) << 2;
    }

    private static int slotAt(long positionValue) {
        return (int) (positionValue >>> 32);
    }

    private static int indexAt(long positionValue) {
        return (int) positionValue;
    }

    /** The slot's position in the probed array, or {@code -1 - p} where p is where it would go. */
    private int find(int slot) {
        return findFrom(home(slot), slot);
    }

    /** {@link #find}, given the slot's home position. */
    private int findFrom(int home, int slot) {
        for (int i = home; ; i = (i + 1) & mask) {
            long p = probe[i];
            if (slotAt(p) == slot) {
                return i;
            }
            if (p == EMPTY) {
                return -1 - i; // where it would go
            }
        }
    }

    // Reads ahead of a load, for a table larger than the caches: the learner reads every weight's
    // home position, then finds each weight's entry index (down its probe run, in the caches by
    // then) and reads the entry, before it loads any of them, so that the cache misses overlap
    // instead of waiting one after the other; the loads then use those indices without probing
    // again. Each read is a method of its own, called in a loop that does nothing else: the
    // fewer the instructions between two reads, the more of them the core keeps in flight.
    // (BENCHMARKS.md section 4, ninth session: +5-8% at 2^28 for the bare loops over loops that
    // also computed each home; +3-12% more for reading the entry of the weight, not of the home's
    // occupant, which differ for a weight down a probe run.)

    /** {@code slot}'s home position in the probed array, for {@link #touchAt} (valid until the table changes). */
    int homeOf(int slot) {
        return home(slot);
    }

    /** Reads the probed array at {@code home}; returns a value only so that the read is not optimized away. */
    int touchAt(int home) {
        return (int) probe[home];
    }

    /**
     * The index of {@code slot}'s entry, or -1 if it has none, probing from {@code home} (its
     * {@link #homeOf}, whose position is in the caches by now): what {@link #indexOf} returns.
     */
    int indexFrom(int home, int slot) {
        int i = findFrom(home, slot);
        return i >= 0 ? indexAt(probe[i]) : -1;
    }

    /** Reads the first number of entry {@code index} (nothing for a negative index); the value is not meant to be used. */
    int touchIndex(int index) {
        return index >= 0 ? (int) chunks[index >>> CHUNK_BITS][base(index)] : 0;
    }

    /** Entries the chunks have numbers for (for tests: at most a chunk more than the entries in use, beyond the initial size). */
    int entryCapacity() {
        int c = chunks.length;
        return c == 0 ? 0 : (c - 1) * CHUNK + chunks[c - 1].length / STRIDE;
    }

    /** Whether the table is larger than reading ahead ({@link #touchAt}) is worth it for: beyond the core's own caches. */
    boolean isLarge() {
        return probe.length > (1 << 14);
    }

    // Index-based access, for the learner: an event's weights are loaded, then written back at
    // the entries the loads found, without a second probe, as long as layout() is unchanged.

    /** The index of the slot's entry, or a negative number if the slot has none. */
    int indexOf(int slot) {
        return indexFrom(home(slot), slot);
    }

    /** Fills {@code into} from the entry at index {@code index} (from {@link #indexOf}). */
    void read(int index, WeightEntry into) {
        long[] data = chunkOf(index);
        int b = base(index);
        into.value = Double.longBitsToDouble(data[b + VALUE]);
        into.step = data[b + STEP];
        into.sumSquares = Double.longBitsToDouble(data[b + SUMS]);
        into.scale = Double.longBitsToDouble(data[b + SCALE]);
    }

    /** Overwrites the entry at index {@code index}, found while {@link #layout()} had its current value. */
    void write(int index, double value, long step, double sumSquares, double scale) {
        if (changed != null) {
            markChanged(index);
        }
        long[] data = chunkOf(index);
        int b = base(index);
        data[b + VALUE] = Double.doubleToRawLongBits(value);
        data[b + STEP] = step;
        data[b + SUMS] = Double.doubleToRawLongBits(sumSquares);
        data[b + SCALE] = Double.doubleToRawLongBits(scale);
    }

    /**
     * Starts tracking changes (see the class comment): from now on every write and removal is
     * remembered until the next {@link #drainChanges} or {@link #forgetChanges}.
     */
    public void trackChanges() {
        if (changed == null) {
            changed = new long[(slots.length + 63) >>> 6];
            changedWords = new int[16];
            removedSlots = new int[16];
        }
    }

    /** Entries written and slots removed since the last drain (an upper bound on what a drain visits). */
    public int pendingChanges() {
        return changedCount + removedCount;
    }

    /** What {@link #drainChanges} reports. */
    public interface ChangeVisitor {
        /** The slot's weight is stored with this state (the entry is reused after the call). */
        void changed(int slot, WeightEntry entry);

        /** The slot's weight was removed and is not stored now. */
        void removed(int slot);
    }

    /**
     * Reports every slot changed since the last drain once, with its state now: first the slots
     * removed and not stored again, then the written entries in the order the table keeps them
     * (deterministic: it depends only on the operations done on the table); then forgets them.
     */
    public void drainChanges(ChangeVisitor visitor) {
        if (changed == null) {
            throw new IllegalStateException("the table does not track changes");
        }
        Arrays.sort(removedSlots, 0, removedCount); // a slot removed twice is reported once
        for (int r = 0; r < removedCount; r++) {
            int slot = removedSlots[r];
            if ((r == 0 || removedSlots[r - 1] != slot) && find(slot) < 0) {
                visitor.removed(slot);
            }
        }
        WeightEntry entry = new WeightEntry();
        if ((long) changedWordCount * 16 >= changed.length) {
            // Changes in most words (a commit of thousands of sparse events on a table of a
            // million entries): scanning every word costs microseconds where sorting the list
            // cost milliseconds, a tenth of the service's store flush.
            for (int w = 0; w < changed.length; w++) {
                if (changed[w] != 0) {
                    drainWord(w, entry, visitor);
                }
            }
        } else {
            Arrays.sort(changedWords, 0, changedWordCount); // entry order
            for (int k = 0; k < changedWordCount; k++) {
                drainWord(changedWords[k], entry, visitor); // a word listed twice is visited once
            }
        }
        forgetChanges();
    }

    private void drainWord(int w, WeightEntry entry, ChangeVisitor visitor) {
        for (long bits = changed[w]; bits != 0; bits &= bits - 1) {
            int i = (w << 6) + Long.numberOfTrailingZeros(bits);
            read(i, entry);
            visitor.changed(slots[i], entry);
        }
        changed[w] = 0;
    }

    /** Forgets the changes tracked so far (they are stored some other way, e.g. in a checkpoint). */
    public void forgetChanges() {
        if (changed != null) {
            for (int k = 0; k < changedWordCount; k++) {
                changed[changedWords[k]] = 0;
            }
            changedWordCount = 0;
            changedCount = 0;
            removedCount = 0;
        }
    }

    private void markChanged(int index) {
        int w = index >>> 6;
        long bit = 1L << index;
        if ((changed[w] & bit) == 0) {
            if (changed[w] == 0) {
                if (changedWordCount == changedWords.length) {
                    changedWords = Arrays.copyOf(changedWords, changedWordCount * 2);
                }
                changedWords[changedWordCount++] = w;
            }
            changed[w] |= bit;
            changedCount++;
        }
    }

    /** Changes whenever entries may have moved to other indices, invalidating indices found before. */
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
        read(indexAt(probe[i]), into);
        return true;
    }

    @Override
    public void save(int slot, WeightEntry entry, String nameIfNew) {
        if (slot < 0) {
            throw new IllegalArgumentException("slot must be >= 0, got " + slot);
        }
        int i = find(slot);
        int index;
        if (i >= 0) {
            index = indexAt(probe[i]);
        } else {
            if (size == MAX_ENTRIES) {
                throw new IllegalStateException("the weight table is full: at most " + MAX_ENTRIES + " non-zero weights");
            }
            if ((size + 1) * 2 > probe.length) {
                grow();
                i = find(slot);
            }
            ensureEntryRoom();
            index = size++;
            probe[-1 - i] = ((long) slot << 32) | index;
            slots[index] = slot;
            if (keepNames) {
                names[index] = nameIfNew;
            }
        }
        write(index, entry.value, entry.step, entry.sumSquares, entry.scale);
    }

    @Override
    public void remove(int slot) {
        int i = find(slot);
        if (i >= 0) {
            removeAt(i);
        }
    }

    private void removeAt(int hole) {
        int index = indexAt(probe[hole]);
        if (changed != null) {
            if (removedCount == removedSlots.length) {
                removedSlots = Arrays.copyOf(removedSlots, removedCount * 2);
            }
            removedSlots[removedCount++] = slotAt(probe[hole]);
            clearChanged(index);
        }
        // Backward-shift deletion: pull later members of the probe run into the hole.
        int i = hole;
        for (int j = (i + 1) & mask; probe[j] != EMPTY; j = (j + 1) & mask) {
            int h = home(slotAt(probe[j]));
            // j's entry may move to i only if its home is not cyclically within (i, j]
            boolean movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
            if (movable) {
                probe[i] = probe[j];
                i = j;
            }
        }
        probe[i] = EMPTY;
        // The last entry fills the removed one's index, so that the entries stay dense.
        int last = --size;
        if (index != last) {
            layout++;
            moveEntry(last, index);
            int at = find(slots[index]);
            probe[at] = ((long) slots[index] << 32) | index;
        }
        if (keepNames) {
            names[last] = null;
        }
    }

    private void clearChanged(int index) {
        int w = index >>> 6;
        long bit = 1L << index;
        if ((changed[w] & bit) != 0) {
            changed[w] &= ~bit;
            changedCount--;
        }
    }

    /** Moves an entry to a free index (its change mark with it). */
    private void moveEntry(int from, int to) {
        if (changed != null && (changed[from >>> 6] & (1L << from)) != 0) {
            clearChanged(from);
            markChanged(to);
        }
        slots[to] = slots[from];
        System.arraycopy(chunkOf(from), base(from), chunkOf(to), base(to), STRIDE);
        if (keepNames) {
            names[to] = names[from];
        }
    }

    /** Doubles the probed array; the entries and their indices stay where they are. */
    private void grow() {
        long[] old = probe;
        allocateProbe(old.length * 2);
        for (long p : old) {
            if (p != EMPTY) {
                probe[-1 - find(slotAt(p))] = p;
            }
        }
    }

    /** What {@link #forEachInGroup} visits. */
    @FunctionalInterface
    public interface EntryVisitor {
        /** A stored entry (reused after the call; the table must not be changed during the visit). */
        void visit(int slot, WeightEntry entry);
    }

    /**
     * Visits the entries of the slots in {@code group} (those whose low {@value #GROUP_BITS} bits
     * are {@code group}) in slot order. On a table of at least {@value #GROUPS} positions they lie
     * in the group's run of positions and past its end at most as far as the probe run that
     * crosses it, so this reads about 1/{@value #GROUPS} of the table, in order.
     */
    public void forEachInGroup(int group, EntryVisitor visitor) {
        long[] found = new long[16];
        int n = 0;
        int start = groupShift < 0 ? 0 : group << groupShift;
        int span = groupShift < 0 ? probe.length : 1 << groupShift;
        for (int k = 0; k < probe.length; k++) {
            long p = probe[(start + k) & mask];
            if (p == EMPTY) {
                if (k >= span) {
                    break; // the end of the run that crosses the group's last position
                }
                continue;
            }
            if ((slotAt(p) & (GROUPS - 1)) == group) {
                if (n == found.length) {
                    found = Arrays.copyOf(found, n * 2);
                }
                found[n++] = p; // (slot << 32) | index, slots >= 0: sorting these sorts by slot
            }
        }
        Arrays.sort(found, 0, n);
        WeightEntry entry = new WeightEntry();
        for (int j = 0; j < n; j++) {
            read((int) found[j], entry);
            visitor.visit((int) (found[j] >>> 32), entry);
        }
    }

    /** This table: the learner reads and writes it at the entries it finds. */
    @Override
    public HashedWeightTable table() {
        return this;
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
        // In position order, not entry order: the order the weights were visited in before the
        // entries were dense, so that what a sweep sums (a snapshot's norms) keeps its last bits.
        for (long p : probe) {
            if (p == EMPTY) {
                continue;
            }
            int i = indexAt(p);
            read(i, entry);
            switch (sweeper.visit(slotAt(p), keepNames ? names[i] : null, entry)) {
                case KEEP -> { }
                case UPDATE -> write(i, entry.value, entry.step, entry.sumSquares, entry.scale);
                case REMOVE -> {
                    if (removed == removals.length) {
                        removals = Arrays.copyOf(removals, removed * 2);
                    }
                    removals[removed++] = slotAt(p);
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
        return "HashedWeightTable{size=" + size + ", positions=" + probe.length + ", entries=" + slots.length + "}";
    }
}
