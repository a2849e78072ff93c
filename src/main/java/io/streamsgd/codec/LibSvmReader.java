package io.streamsgd.codec;

import io.streamsgd.learn.Features;

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
 * <p>Indices written in their canonical form ({@code 0} or no leading zero) of at most 7 digits
 * take a faster path with the same result: no string is made for them (their name's hash is
 * computed from the digits as they are read, the name itself only if a model asks for it, see
 * {@link Features#addToSlot(int, int, double)}), and duplicates among them are found by number.
 * (A cache per index of names and hashes did the same before; on fine_foods' 153,000 indices its
 * 1.8 MB missed the caches at most features.)
 *
 * <p>Not thread-safe; one reader per thread.
 */
public final class LibSvmReader extends TextLineReader {
    /** Most digits of an index that takes the numeric path (its digits fit a long, its value an int). */
    static final int NUMERIC_DIGITS = 7;

    private final NameSet names = new NameSet();
    // The index read by shortCanonicalIndexEnd, and its digits as ASCII bytes packed little-endian.
    private int scannedIndex;
    private long scannedDigits;

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
        int count = 0;
        for (int i = Text.skipSpaces(line, labelEnd, end); i < end; ) {
            // The common token, a short canonical index, its colon and a value, is checked and its
            // index read in one scan; anything else takes the general path, which finds the same
            // index or the error.
            int colon = shortCanonicalIndexEnd(line, i, end);
            int tokenEnd = colon < 0 ? -1 : Text.tokenEnd(line, colon + 1, end);
            int index;
            if (tokenEnd > colon + 1) {
                index = scannedIndex;
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
                // a canonical index of at most NUMERIC_DIGITS digits followed by a value took
                // the path above, so this one is a name
                index = -1;
            }
            if (++count > limits.maxFeatures()) {
                throw new BadInputException(BadInputReason.TOO_MANY_FEATURES,
                        "more than " + limits.maxFeatures() + " features");
            }
            String name = index >= 0 ? null : line.substring(i, colon);
            if (index >= 0 ? !names.addNumber(index) : !names.add(name)) {
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
                features.addToSlot(features.hasher().indexAscii(scannedDigits, colon - i), index, value);
            }
            i = Text.skipSpaces(line, tokenEnd, end);
        }
        if (count == 0) {
            throw new BadInputException(BadInputReason.EMPTY_FEATURES, "the line has a label but no features");
        }
        return true;
    }

    /**
     * If {@code s[from, end)} starts with a canonical index of at most {@value #NUMERIC_DIGITS}
     * digits followed by a colon, the colon's position, the index and its digits being left in
     * {@link #scannedIndex} and {@link #scannedDigits}; else -1.
     */
    private int shortCanonicalIndexEnd(String s, int from, int end) {
        int index = 0;
        long digits = 0;
        int i = from;
        int limit = Math.min(end, from + NUMERIC_DIGITS);
        char c = 0;
        while (i < limit && (c = s.charAt(i)) >= '0' && c <= '9') {
            index = index * 10 + (c - '0');
            digits |= (long) c << ((i - from) << 3);
            i++;
        }
        if (i == from || i == end || s.charAt(i) != ':' || (s.charAt(from) == '0' && i - from > 1)) {
            return -1;
        }
        scannedIndex = index;
        scannedDigits = digits;
        return i;
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
