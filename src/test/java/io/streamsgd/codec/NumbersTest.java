package io.streamsgd.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumbersTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "+0", "1", "-1", "+1", "007", "0.5", ".5", "5.", "-.5", "1e3", "1E-3", "2.5e+2",
        "0.19245", "0.0590281", "123456789012345678", "1234567890123456789012", "9007199254740993",
        "0.1234567890123456789", "1e22", "1e23", "4.9e-324", "2e-324", "1.7976931348623157e308", "1e309", "-1e400",
        "1e-400", "0e99999", "00000000000000000000000001", "3.14159265358979323846264338327950288"})
    void shouldParseLikeDoubleParseDouble(String text) {
        assertThat(Double.doubleToRawLongBits(Numbers.parse(text, 0, text.length())))
                .as(text).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1,5", " 1", "1 ", "NaN", "Infinity", "inf",
        "0x10", "1d", "1f", "1_000", "--1", "1e5.5", "١"})
    void shouldRefuseWhatIsNotADecimalNumber(String text) {
        assertThat(Numbers.parse(text, 0, text.length())).as(text).isNaN();
    }

    @Test
    void shouldParseARangeInsideALongerText() {
        assertThat(Numbers.parse("12:0.75 x", 3, 7)).isEqualTo(0.75);
    }

    @Test
    void shouldRoundCorrectlyOnRandomDecimals() {
        Random random = new Random(3);
        for (int n = 0; n < 50_000; n++) {
            String text = switch (n % 4) {
                case 0 -> Double.toString(Double.longBitsToDouble(random.nextLong()));
                case 1 -> String.format(Locale.ROOT, "%." + random.nextInt(12) + "f", random.nextDouble() * Math.pow(10, random.nextInt(12)));
                case 2 -> random.nextInt(1_000_000) + "e" + (random.nextInt(60) - 30);
                default -> String.format(Locale.ROOT, "%.6g", random.nextGaussian());
            };
            double expected = Double.parseDouble(text);
            if (text.contains("NaN") || text.contains("Infinity")) { // words Java accepts and we refuse
                assertThat(Numbers.parse(text, 0, text.length())).isNaN();
            } else {
                assertThat(Double.doubleToRawLongBits(Numbers.parse(text, 0, text.length())))
                        .as(text).isEqualTo(Double.doubleToRawLongBits(expected));
            }
        }
    }

    @Test
    void shouldRecognizeNonFiniteWords() {
        for (String word : new String[] {"nan", "NaN", "-inf", "+Infinity", "INF"}) {
            assertThat(Numbers.isNonFiniteWord(word, 0, word.length())).as(word).isTrue();
        }
        for (String word : new String[] {"paris", "in", "nana", "-", ""}) {
            assertThat(Numbers.isNonFiniteWord(word, 0, word.length())).as(word).isFalse();
        }
    }
}
