package io.streamsgd.codec;

/**
 * The feature names seen in the record being parsed, to reject duplicates. Reused across records
 * without clearing its table: each record gets a new generation number and slots stamped with an
 * older one count as empty, so starting a record is O(1) and a warm set allocates nothing.
 *
 * <p>Names that are numbers (LibSVM's indices) can be added as numbers, without a string.
 *
 * <p>{@link io.streamsgd.learn.Features} cannot tell duplicates itself: it merges equal slots (a
 * hash collision is not an error) and never sees zero values or {@code false}.
 */
final class NameSet {
    private String[] names = new String[64];
    private int[] generations = new int[64];
    private int generation = 1;
    private int size;
    /** Names that are numbers ({@link #addNumber}), per entry the generation (high half) and the number. */
    private long[] numbers = new long[256];
    private int numberCount;

    /** Starts a new record: forgets every name. */
    void clear() {
        size = 0;
        numberCount = 0;
        if (++generation == 0) { // wrapped after 2^32 records: stale stamps could look current
            java.util.Arrays.fill(generations, 0);
            java.util.Arrays.fill(numbers, 0L);
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

    /**
     * Adds a name that is the decimal form of {@code number} ({@code >= 0}, no leading zeros: a
     * LibSVM index), by number, without a string; false if the record already had it. A name
     * added as a number is a different name from any added as a string.
     */
    boolean addNumber(int number) {
        if (2 * (numberCount + 1) > numbers.length) {
            growNumbers();
        }
        long entry = (long) generation << 32 | number;
        int mask = numbers.length - 1;
        for (int i = spread(number) & mask; ; i = (i + 1) & mask) {
            long e = numbers[i];
            if ((int) (e >>> 32) != generation) {
                numbers[i] = entry;
                numberCount++;
                return true;
            }
            if (e == entry) {
                return false;
            }
        }
    }

    private void growNumbers() {
        long[] old = numbers;
        numbers = new long[old.length * 2];
        int mask = numbers.length - 1;
        for (long e : old) {
            if ((int) (e >>> 32) == generation) {
                int i = spread((int) e) & mask;
                while ((int) (numbers[i] >>> 32) == generation) {
                    i = (i + 1) & mask;
                }
                numbers[i] = e;
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
