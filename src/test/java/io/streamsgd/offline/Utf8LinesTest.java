package io.streamsgd.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Utf8Lines} gives the very lines {@code BufferedReader.readLine} over a UTF-8
 * {@code InputStreamReader} gives, whatever the bytes and however the stream splits its reads:
 * terminators {@code \n}, {@code \r}, {@code \r\n} (also across two reads), a last line without
 * one, empty lines, malformed and truncated sequences (replaced alike), lines longer than the
 * buffer.
 */
class Utf8LinesTest {
    /** Reads at most {@code max} bytes at a time, a seeded random number of them. */
    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final SplittableRandom random;
        private final int max;
        private int pos;

        Trickle(byte[] bytes, long seed, int max) {
            this.bytes = bytes;
            this.random = new SplittableRandom(seed);
            this.max = max;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, bytes.length - pos), 1 + random.nextInt(max));
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static List<String> expected(byte[] bytes) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static List<String> actual(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        try (LineSource source = LineSource.utf8(in)) {
            for (String line; (line = source.readLine()) != null; ) {
                lines.add(line);
            }
            assertThat(source.readLine()).isNull(); // and it stays at the end
        }
        return lines;
    }

    private static void assertSameLines(byte[] bytes, long seed) throws IOException {
        List<String> want = expected(bytes);
        assertThat(actual(new ByteArrayInputStream(bytes))).isEqualTo(want);
        assertThat(actual(new Trickle(bytes, seed, 7))).isEqualTo(want);
    }

    @Test
    void terminatorsEmptyLinesAndTheLastLine() throws IOException {
        for (String text : List.of("", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb\r", "\n\n", "\r\r\n\n", "a\r\n\r\nb",
                "1 3:0.5 # café\n-1 2:1e-3\r\n")) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            assertSameLines(bytes, text.length());
        }
        assertThat(actual(new ByteArrayInputStream("x\r\ny\rz\n\nw".getBytes(StandardCharsets.UTF_8))))
                .containsExactly("x", "y", "z", "", "w");
    }

    @Test
    void aCarriageReturnAndItsLineFeedInTwoReads() throws IOException {
        byte[] bytes = "ab\r\ncd".getBytes(StandardCharsets.UTF_8);
        InputStream split = new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < bytes.length ? bytes[pos++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == bytes.length) {
                    return -1;
                }
                int n = pos < 3 ? 3 - pos : bytes.length - pos; // "ab\r", then "\ncd"
                System.arraycopy(bytes, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        assertThat(actual(split)).containsExactly("ab", "cd");
    }

    @Test
    void randomBytesGiveTheReadersLines() throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        // Mostly ASCII, with terminators, multi-byte characters, and stray or truncated
        // continuation and lead bytes.
        byte[] alphabet = {'a', 'b', ' ', ':', '1', '\n', '\r', (byte) 0x80, (byte) 0xBF, (byte) 0xC3, (byte) 0xA9,
            (byte) 0xE0, (byte) 0xA0, (byte) 0xE2, (byte) 0x82, (byte) 0xAC, (byte) 0xF0, (byte) 0x9F, (byte) 0x98,
            (byte) 0x80, (byte) 0xED, (byte) 0xA0, (byte) 0xF4, (byte) 0x90, (byte) 0xFF, (byte) 0xC0};
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes = new byte[random.nextInt(200)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = alphabet[random.nextInt(alphabet.length)];
            }
            assertSameLines(bytes, round);
        }
    }

    @Test
    void theTerminatorSearchFindsExactlyTheFirstLineFeedOrCarriageReturn() {
        SplittableRandom random = new SplittableRandom(7);
        for (int value = 0; value < 256; value++) {
            for (int at = 0; at < 40; at++) {
                byte[] b = new byte[40];
                for (int i = 0; i < b.length; i++) {
                    int filler;
                    do {
                        filler = random.nextInt(256);
                    } while (filler == '\n' || filler == '\r');
                    b[i] = (byte) filler;
                }
                b[at] = (byte) value;
                boolean terminator = value == '\n' || value == '\r';
                for (int from = 0; from <= at; from += 3) {
                    assertThat(Utf8Lines.terminator(b, from, b.length)).as("byte %d at %d from %d", value, at, from)
                            .isEqualTo(terminator ? at : b.length);
                    assertThat(Utf8Lines.terminator(b, from, at)).isEqualTo(at); // never beyond the end
                }
            }
        }
    }

    @Test
    void linesLongerThanTheBuffer() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            b.append("é".repeat(100_000 + i)).append(i == 1 ? "\r\n" : "\n");
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        assertSameLines(bytes, 1);
        assertThat(actual(new ByteArrayInputStream(bytes))).extracting(String::length).containsExactly(100_000, 100_001, 100_002);
    }
}
