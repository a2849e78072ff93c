package io.streamsgd.codec;

import io.streamsgd.learn.Features;
import java.util.Objects;

/**
 * Reads Vowpal Wabbit text lines: {@code [label [importance]] ['tag]|ns[:scale] f[:v] f2 |ns2 ...}.
 *
 * <p>Follows VW's own reading of the part before the first {@code |}: its last token is the tag
 * if it starts with {@code '} or touches the {@code |} (so {@code 1|a} is an unlabeled event
 * tagged {@code 1}, exactly as in VW: write {@code 1 |a}); the tokens before it are the label and
 * the importance weight. The rules:
 * <ul>
 *   <li>a blank line holds no event; a line without {@code |} is {@code not_vw};
 *   <li>no label means unlabeled; a label that is not a finite number is {@code bad_label};
 *       the importance becomes the event weight and must be a finite number greater than 0
 *       ({@code bad_weight}); a third label field (VW's initial prediction) is not supported and
 *       is {@code not_vw}; the tag, without its quote, becomes the event id;
 *   <li>a feature is named {@code ns^f} in a named namespace and {@code f} in the default one
 *       ({@code | f}, a space after the bar); its value is {@code v} (1 when absent) times the
 *       namespace scale; a value that is not a number is categorical ({@code f:paris} is
 *       {@code f=paris} with value 1, as a string is in JSON), except words like {@code nan}
 *       or {@code inf} and numbers that overflow, which are {@code bad_feature_value};
 *   <li>a feature repeated in a line adds up, as in VW (no {@code duplicate_feature} here);
 *   <li>no features at all is {@code empty_features}; an empty feature or namespace name is
 *       {@code not_vw}.
 * </ul>
 *
 * <p>Not thread-safe; one reader per thread.
 */
public final class VwReader extends TextLineReader {
    /** Label, importance, initial prediction and tag: VW's most. */
    private static final int MAX_HEADER_TOKENS = 4;

    private final int[] headerStarts = new int[MAX_HEADER_TOKENS];
    private final int[] headerEnds = new int[MAX_HEADER_TOKENS];

    public VwReader() {
        this(ReadLimits.DEFAULTS);
    }

    public VwReader(ReadLimits limits) {
        super(limits);
    }

    @Override
    protected boolean parseLine(String line, Event into) throws BadInputException {
        if (Text.isBlank(line)) {
            return false;
        }
        int bar = line.indexOf('|');
        if (bar < 0) {
            throw new BadInputException(BadInputReason.NOT_VW, "no '|' before the features in " + Text.quote(line));
        }
        readHeader(line, bar, into);
        int count = 0;
        for (int at = bar; at < line.length(); ) {
            int next = line.indexOf('|', at + 1);
            int segmentEnd = next < 0 ? line.length() : next;
            count = readNamespace(line, at + 1, segmentEnd, into.features(), count);
            at = segmentEnd;
        }
        if (count == 0) {
            throw new BadInputException(BadInputReason.EMPTY_FEATURES, "the line has no features");
        }
        return true;
    }

    private void readHeader(String line, int bar, Event into) throws BadInputException {
        int tokens = 0;
        for (int i = Text.skipSpaces(line, 0, bar); i < bar; i = Text.skipSpaces(line, i, bar)) {
            if (tokens == MAX_HEADER_TOKENS) {
                throw new BadInputException(BadInputReason.NOT_VW,
                        "too many fields before '|': " + Text.quote(line.substring(0, bar)));
            }
            headerStarts[tokens] = i;
            i = Text.tokenEnd(line, i, bar);
            headerEnds[tokens++] = i;
        }
        if (tokens > 0 && (headerEnds[tokens - 1] == bar || line.charAt(headerStarts[tokens - 1]) == '\'')) {
            tokens--;
            int tagStart = headerStarts[tokens] + (line.charAt(headerStarts[tokens]) == '\'' ? 1 : 0);
            if (tagStart < headerEnds[tokens]) {
                into.setId(line.substring(tagStart, headerEnds[tokens]));
            }
        }
        if (tokens >= 3) {
            throw new BadInputException(BadInputReason.NOT_VW,
                    "a third label field (VW's initial prediction) is not supported: " + Text.quote(line.substring(0, bar)));
        }
        if (tokens >= 1) {
            double label = Numbers.parse(line, headerStarts[0], headerEnds[0]);
            if (!Double.isFinite(label)) {
                throw new BadInputException(BadInputReason.BAD_LABEL,
                        "the label " + Text.quote(line.substring(headerStarts[0], headerEnds[0])) + " is not a finite number");
            }
            into.setLabel(label);
        }
        if (tokens == 2) {
            double importance = Numbers.parse(line, headerStarts[1], headerEnds[1]);
            if (!(importance > 0.0) || importance == Double.POSITIVE_INFINITY) {
                throw new BadInputException(BadInputReason.BAD_WEIGHT, "the importance "
                        + Text.quote(line.substring(headerStarts[1], headerEnds[1])) + " is not a finite number > 0");
            }
            into.setWeight(importance);
        }
    }

    /** Reads the namespace in {@code line[from, to)} (just after a bar); returns the feature count so far. */
    private int readNamespace(String line, int from, int to, Features features, int count) throws BadInputException {
        String namespace = "";
        double scale = 1.0;
        int i = from;
        if (i < to && !Text.isSpace(line.charAt(i))) {
            int nameEnd = Text.tokenEnd(line, i, to);
            int colon = Text.indexOf(line, ':', i, nameEnd);
            int end = colon >= 0 ? colon : nameEnd;
            if (end == i) {
                throw new BadInputException(BadInputReason.NOT_VW,
                        "empty namespace name in " + Text.quote(line.substring(i, nameEnd)));
            }
            namespace = line.substring(i, end);
            if (colon >= 0) {
                scale = Numbers.parse(line, colon + 1, nameEnd);
                if (!Double.isFinite(scale)) {
                    throw new BadInputException(BadInputReason.BAD_FEATURE_VALUE, "namespace " + Text.quote(namespace)
                            + " has the scale " + Text.quote(line.substring(colon + 1, nameEnd)) + ", not a finite number");
                }
            }
            i = nameEnd;
        }
        for (i = Text.skipSpaces(line, i, to); i < to; i = Text.skipSpaces(line, i, to)) {
            int tokenEnd = Text.tokenEnd(line, i, to);
            if (++count > limits.maxFeatures()) {
                throw new BadInputException(BadInputReason.TOO_MANY_FEATURES, "more than " + limits.maxFeatures() + " features");
            }
            addFeature(line, i, tokenEnd, namespace, scale, features);
            i = tokenEnd;
        }
        return count;
    }

    private static void addFeature(String line, int from, int to, String namespace, double scale, Features features)
            throws BadInputException {
        int colon = Text.indexOf(line, ':', from, to);
        int nameEnd = colon >= 0 ? colon : to;
        if (nameEnd == from || colon == to - 1) {
            throw new BadInputException(BadInputReason.NOT_VW,
                    "expected feature[:value], got " + Text.quote(line.substring(from, to)));
        }
        String name = namespace.isEmpty() ? line.substring(from, nameEnd) : namespace + '^' + line.substring(from, nameEnd);
        if (colon < 0) {
            features.add(name, scale);
            return;
        }
        double value = Numbers.parse(line, colon + 1, to);
        if (Double.isNaN(value) && !Numbers.isNonFiniteWord(line, colon + 1, to)) {
            features.add(name + '=' + line.substring(colon + 1, to), scale);
            return;
        }
        double scaled = value * scale;
        if (!Double.isFinite(scaled)) {
            throw new BadInputException(BadInputReason.BAD_FEATURE_VALUE, "feature " + Text.quote(name)
                    + " has the value " + Text.quote(line.substring(colon + 1, to)) + ", not a finite number");
        }
        features.add(name, scaled);
    }

    @Override
    public String toString() {
        return "VwReader{" + limits + "}";
    }
}
