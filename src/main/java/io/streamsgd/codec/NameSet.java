package io.streamsgd.codec;

/**
 * The feature names seen in the record being parsed, to reject duplicates. Reused across records
 * without clearing its table: each record gets a new generation number and slots stamped with an
 * older one count as empty, so starting a record is O(1) and a warm set allocates nothing.
 *
 * <p>{@link io.streamsgd.learn.Features} cannot tell duplicates itself: it merges equal slots (a
 * hash collision is not an error) and never sees zero values or {@code false}.
 */
final class NameSet {
    private String[] names = new String[64];
    private int[] generations = new int[64];
    private int generation = 1;
    private int size;

    /** Starts a new record: forgets every name. */
    void clear() {
        size = 0;
        if (++generation == 0) { // wrapped after 2^32 records: stale stamps could look current
            java.util.Arrays.fill(generations, 0);
            generation = 1;
        }
    }

    /** Adds a name; false if the record already had it. */
    boolean add(String name) {
        if (2 * (size + 1) > names.length) {
            grow();
        }
        int mask = names.length - 1;
        for (int i = spread(name.hashCode()) & mask; ; i = (i + 1) & mask) {
            if (generations[i] != generation) {
                names[i] = name;
                generations[i] = generation;
                size++;
                return true;
            }
            String other = names[i];
            // Jackson hands out canonical name instances, so identity is the usual hit.
            if (other == name || other.equals(name)) {
                return false;
            }
        }
    }

    private void grow() {
        String[] oldNames = names;
        int[] oldGenerations = generations;
        names = new String[oldNames.length * 2];
        generations = new int[oldNames.length * 2];
        int mask = names.length - 1;
        for (int j = 0; j < oldNames.length; j++) {
            if (oldGenerations[j] == generation) {
                int i = spread(oldNames[j].hashCode()) & mask;
                while (generations[i] == generation) {
                    i = (i + 1) & mask;
                }
                names[i] = oldNames[j];
                generations[i] = generation;
            }
        }
    }

    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
