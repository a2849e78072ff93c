package io.streamsgd.codec;

/** Small text helpers shared by the readers; only the error paths allocate. */
final class Text {
    /** Longest excerpt of input quoted in a message: enough to find it, bounded for dead letters and logs. */
    static final int MAX_EXCERPT = 64;

    private Text() {
    }

    /** {@code s} in single quotes, cut to {@link #MAX_EXCERPT} characters with an ellipsis. */
    static String quote(CharSequence s) {
        if (s.length() <= MAX_EXCERPT) {
            return "'" + s + "'";
        }
        return "'" + s.subSequence(0, MAX_EXCERPT) + "...' (" + s.length() + " chars)";
    }

    /** Whether {@code s} holds only spaces, tabs, carriage returns and line feeds. */
    static boolean isBlank(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The whitespace that separates tokens in the text formats (and that JSON allows). */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** The first index in {@code [i, end)} that is not a space, or {@code end}. */
    static int skipSpaces(CharSequence s, int i, int end) {
        while (i < end && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The end of the token starting at {@code i}: the next space, or {@code end}. */
    static int tokenEnd(CharSequence s, int i, int end) {
        while (i < end && !isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The first index of {@code c} in {@code s[from, to)}, or -1. */
    static int indexOf(CharSequence s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Rejects a text line longer than the record limit. Characters, not bytes: a cheap lower
     * bound of the UTF-8 size, which is what the limit is for.
     */
    static void checkLength(String line, ReadLimits limits) throws BadInputException {
        if (line.length() > limits.maxRecordBytes()) {
            throw new BadInputException(BadInputReason.RECORD_TOO_LARGE,
                    "the line is " + line.length() + " characters, more than the limit of " + limits.maxRecordBytes());
        }
    }

    /** Up to 4 bytes from {@code from} as hex, e.g. {@code 0xC3 0x28}, to show an invalid sequence. */
    static String hex(byte[] bytes, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < Math.min(to, from + 4); i++) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(String.format(java.util.Locale.ROOT, "0x%02X", bytes[i] & 0xFF));
        }
        return b.toString();
    }
}
