package io.streamsgd.codec;

import io.streamsgd.learn.Features;
import java.util.Objects;

/**
 * Reads LibSVM / SVMlight lines: {@code label index:value index:value ... [# comment]}.
 *
 * <p>The feature name is the index as written ({@code "12"}, {@code "012"} being another name),
 * hashed like any name, so a LibSVM file and its JSON twin with the same names train the same
 * model. The rules:
 * <ul>
 *   <li>a blank or comment-only line holds no event;
 *   <li>the label is a finite decimal number, else {@code bad_label} (also when it is missing and
 *       the line starts with a feature);
 *   <li>a token that is not {@code index:value}, or an index that is not a non-negative
 *       integer, is {@code not_libsvm}; a value that is not a finite decimal number is
 *       {@code bad_feature_value}; an index given twice is {@code duplicate_feature};
 *   <li>indices need not be ascending; zero values are valid and contribute nothing;
 *   <li>a label without features is {@code empty_features}, as {@code "features": {}} is in JSON,
 *       so a file converted to JSON is accepted by the service line for line.
 * </ul>
 *
 * <p>Indices written in their canonical form ({@code 0} or no leading zero) below
 * {@value #CACHED_INDICES} take a faster path with the same result: their name strings and hashes
 * are made once per reader and kept, and duplicates among them are found by index.
 *
 * <p>Not thread-safe; one reader per thread. The events it fills refer to its name cache
 * ({@link Features#addToSlot(int, String[], int, double)}): another thread may read them once
 * they were handed over in a way that orders the two (a queue, as {@code learn}'s parser does),
 * while this one goes on reading lines.
 */
public final class LibSvmReader extends TextLineReader {
    /** Canonical indices below this have their names and hashes cached. */
    static final int CACHED_INDICES = 1 << 20;

    private final NameSet names = new NameSet();
    private String[] cachedNames = new String[256];
    // per cached index, side by side: the name's hash (high half) and the line (generation) that
    // last listed it (low half)
    private long[] cachedHashes = new long[256];
    private int generation;
    // The index read by shortCanonicalIndexEnd.
    private int scannedIndex;

    public LibSvmReader() {
        this(ReadLimits.DEFAULTS);
    }

    public LibSvmReader(ReadLimits limits) {
        super(limits);
    }

    @Override
    protected boolean parseLine(String line, Event into) throws BadInputException {
        int comment = line.indexOf('#');
        int end = comment >= 0 ? comment : line.length();
        int start = Text.skipSpaces(line, 0, end);
        if (start == end) {
            return false;
        }
        int labelEnd = Text.tokenEnd(line, start, end);
        double label = Numbers.parse(line, start, labelEnd);
        if (!Double.isFinite(label)) {
            throw new BadInputException(BadInputReason.BAD_LABEL,
                    "the label " + Text.quote(line.substring(start, labelEnd)) + " is not a finite number");
        }
        into.setLabel(label);

        Features features = into.features();
        names.clear();
        if (++generation == 0) { // wrapped: stale stamps could look current
            for (int i = 0; i < cachedHashes.length; i++) {
                cachedHashes[i] &= 0xFFFF_FFFF_0000_0000L;
            }
            generation = 1;
        }
        int count = 0;
        for (int i = Text.skipSpaces(line, labelEnd, end); i < end; ) {
            // The common token, a short canonical index, its colon and a value, is checked and its
            // index read in one scan; anything else takes the general path, which finds the same
            // index or the error.
            int colon = shortCanonicalIndexEnd(line, i, end);
            int tokenEnd = colon < 0 ? -1 : Text.tokenEnd(line, colon + 1, end);
            int index;
            if (tokenEnd > colon + 1) {
                index = scannedIndex < CACHED_INDICES ? scannedIndex : -1;
            } else {
                tokenEnd = Text.tokenEnd(line, i, end);
                colon = Text.indexOf(line, ':', i, tokenEnd);
                if (colon <= i || colon == tokenEnd - 1) {
                    throw new BadInputException(BadInputReason.NOT_LIBSVM,
                            "expected index:value, got " + Text.quote(line.substring(i, tokenEnd)));
                }
                if (!isDigits(line, i, colon)) {
                    throw new BadInputException(BadInputReason.NOT_LIBSVM,
                            "the index in " + Text.quote(line.substring(i, tokenEnd)) + " is not a non-negative integer");
                }
                index = cachedIndex(line, i, colon);
            }
            if (++count > limits.maxFeatures()) {
                throw new BadInputException(BadInputReason.TOO_MANY_FEATURES,
                        "more than " + limits.maxFeatures() + " features");
            }
            if (index >= 0) {
                makeRoom(index);
            }
            String name = index >= 0 ? null : line.substring(i, colon);
            if (index >= 0 ? !firstListing(index) : !names.add(name)) {
                throw new BadInputException(BadInputReason.DUPLICATE_FEATURE,
                        "index " + Text.quote(line.substring(i, colon)) + " appears twice");
            }
            double value = Numbers.parse(line, colon + 1, tokenEnd);
            if (!Double.isFinite(value)) {
                throw new BadInputException(BadInputReason.BAD_FEATURE_VALUE,
                        "feature " + Text.quote(line.substring(i, colon)) + " has the value "
                                + Text.quote(line.substring(colon + 1, tokenEnd)) + ", not a finite number");
            }
            if (index < 0) {
                features.add(name, value);
            } else if (value != 0.0) { // as Features.add: a zero contributes nothing
                if (cachedNames[index] == null) {
                    String created = line.substring(i, colon);
                    cachedNames[index] = created;
                    cachedHashes[index] = (long) features.hasher().index(created) << 32 | (cachedHashes[index] & 0xFFFF_FFFFL);
                }
                // the name as an index into the cache, which only grows and never changes an entry
                features.addToSlot((int) (cachedHashes[index] >>> 32), cachedNames, index, value);
            }
            i = Text.skipSpaces(line, tokenEnd, end);
        }
        if (count == 0) {
            throw new BadInputException(BadInputReason.EMPTY_FEATURES, "the line has a label but no features");
        }
        return true;
    }

    /**
     * If {@code s[from, end)} starts with a canonical index of at most 7 digits followed by a
     * colon, the colon's position, the index being left in {@link #scannedIndex}; else -1.
     */
    private int shortCanonicalIndexEnd(String s, int from, int end) {
        int index = 0;
        int i = from;
        int limit = Math.min(end, from + 7);
        char c = 0;
        while (i < limit && (c = s.charAt(i)) >= '0' && c <= '9') {
            index = index * 10 + (c - '0');
            i++;
        }
        if (i == from || i == end || s.charAt(i) != ':' || (s.charAt(from) == '0' && i - from > 1)) {
            return -1;
        }
        scannedIndex = index;
        return i;
    }

    /**
     * The index {@code s[from, to)} (digits only) if it is canonical and below
     * {@link #CACHED_INDICES}; else -1.
     */
    private int cachedIndex(String s, int from, int to) {
        if (to - from > 7 || (s.charAt(from) == '0' && to - from > 1)) {
            return -1;
        }
        int index = 0;
        for (int i = from; i < to; i++) {
            index = index * 10 + (s.charAt(i) - '0');
        }
        return index < CACHED_INDICES ? index : -1;
    }

    /** Makes room in the caches for a cached index. */
    private void makeRoom(int index) {
        if (index >= cachedNames.length) {
            int capacity = Math.min(CACHED_INDICES, Integer.highestOneBit(index) << 1);
            cachedNames = java.util.Arrays.copyOf(cachedNames, capacity);
            cachedHashes = java.util.Arrays.copyOf(cachedHashes, capacity);
        }
    }

    /** Marks a cached index as listed by the current line; false if it already was. */
    private boolean firstListing(int index) {
        long entry = cachedHashes[index];
        if ((int) entry == generation) {
            return false;
        }
        cachedHashes[index] = entry & 0xFFFF_FFFF_0000_0000L | generation & 0xFFFF_FFFFL;
        return true;
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "LibSvmReader{" + limits + "}";
    }
}
