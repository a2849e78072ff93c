package io.streamsgd.codec;

/**
 * The non-negative ints seen in the record being parsed (LibSVM indices), to reject duplicates:
 * {@link NameSet} for numbers. Reused across records without clearing: each record gets a new
 * generation, and entries stamped with an older one count as empty.
 */
final class IndexSet {
    /** Per entry: the generation (high half) and the index (low half). */
    private long[] entries = new long[256];
    private int generation = 1;
    private int size;

    /** Starts a new record: forgets every index. */
    void clear() {
        size = 0;
        if (++generation == 0) { // wrapped after 2^32 records: stale stamps could look current
            java.util.Arrays.fill(entries, 0L);
            generation = 1;
        }
    }

    /** Adds an index (>= 0); false if the record already had it. */
    boolean add(int index) {
        if (2 * (size + 1) > entries.length) {
            grow();
        }
        long entry = (long) generation << 32 | index;
        int mask = entries.length - 1;
        for (int i = spread(index) & mask; ; i = (i + 1) & mask) {
            long e = entries[i];
            if ((int) (e >>> 32) != generation) {
                entries[i] = entry;
                size++;
                return true;
            }
            if (e == entry) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = entries;
        entries = new long[old.length * 2];
        int mask = entries.length - 1;
        for (long e : old) {
            if ((int) (e >>> 32) == generation) {
                int i = spread((int) e) & mask;
                while ((int) (entries[i] >>> 32) == generation) {
                    i = (i + 1) & mask;
                }
                entries[i] = e;
            }
        }
    }

    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
