package io.streamsgd.codec;

/**
 * Strict decimal numbers for the text formats: {@code [+-]? (digits [. digits?] | . digits)
 * ([eE] [+-]? digits)?}. Unlike {@link Double#parseDouble} it refuses {@code NaN},
 * {@code Infinity}, hex floats, {@code d}/{@code f} suffixes and surrounding blanks, which in a
 * data file are mistakes, not numbers.
 *
 * <p>Parses without allocating in the common case (Clinger's fast path: at most 18 significant
 * digits forming an integer below 2^53, scaled by a power of ten up to 10^22, is exact in one
 * correctly rounded multiplication or division); anything else goes to
 * {@code Double.parseDouble}. Either way the result is the correctly rounded double.
 */
final class Numbers {
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };
    private static final long EXACT_MANTISSA_LIMIT = 1L << 53;

    private Numbers() {
    }

    /**
     * The value of {@code text[from, to)}, or NaN if it is not a decimal number in the grammar
     * above (so NaN always means a syntax error). May be infinite when the number overflows.
     */
    static double parse(CharSequence text, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        long mantissa = 0;
        int significant = 0; // digits accumulated in mantissa, leading zeros excluded
        boolean truncated = false; // more significant digits than a long holds
        int scale = 0; // decimal exponent adjustment from fraction digits and dropped digits
        int digits = 0;
        for (; i < to && isDigit(text.charAt(i)); i++, digits++) {
            int d = text.charAt(i) - '0';
            if (significant < 18) {
                if (mantissa != 0 || d != 0) {
                    mantissa = mantissa * 10 + d;
                    significant++;
                }
            } else {
                truncated = true;
                scale++;
            }
        }
        if (i < to && text.charAt(i) == '.') {
            i++;
            for (; i < to && isDigit(text.charAt(i)); i++, digits++) {
                int d = text.charAt(i) - '0';
                if (significant < 18) {
                    if (mantissa != 0 || d != 0) {
                        mantissa = mantissa * 10 + d;
                        significant++;
                    }
                    scale--;
                } else {
                    truncated = true;
                }
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        long exponent = 0;
        if (i < to && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                negativeExponent = text.charAt(i) == '-';
                i++;
            }
            int exponentDigits = 0;
            for (; i < to && isDigit(text.charAt(i)); i++, exponentDigits++) {
                if (exponent < 1_000_000_000L) { // beyond that the value is 0 or infinite anyway
                    exponent = exponent * 10 + (text.charAt(i) - '0');
                }
            }
            if (exponentDigits == 0) {
                return Double.NaN;
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        if (i != to) {
            return Double.NaN;
        }
        if (mantissa == 0 && !truncated) {
            return negative ? -0.0 : 0.0;
        }
        long power = exponent + scale;
        if (!truncated && mantissa < EXACT_MANTISSA_LIMIT && power >= -22 && power <= 22) {
            double value = power >= 0 ? mantissa * POWERS_OF_TEN[(int) power] : mantissa / POWERS_OF_TEN[(int) -power];
            return negative ? -value : value;
        }
        return Double.parseDouble(text.subSequence(from, to).toString());
    }

    /**
     * Whether {@code text[from, to)} spells a non-finite value ({@code nan}, {@code inf},
     * {@code infinity}, any case, optional sign): in a cell where a string would be a category,
     * such a word is a broken number, not a category.
     */
    static boolean isNonFiniteWord(CharSequence text, int from, int to) {
        int i = from;
        if (i < to && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        String word = text.subSequence(i, to).toString();
        return word.equalsIgnoreCase("nan") || word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("infinity");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
