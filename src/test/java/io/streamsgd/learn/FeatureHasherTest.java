package io.streamsgd.learn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeatureHasherTest {

    /**
     * Known MurmurHash3_x86_32 values (seed 0) of UTF-8 strings, as published in Guava's
     * {@code Murmur3Hash32Test.testKnownEncodedStringInputs} for {@code murmur3_32_fixed}, plus
     * {@code "hello, world"} and {@code "café"} checked against {@link #reference}.
     */
    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                          | 00000000
            k                                           | cfbda5d1
            hell                                        | a167dbf3
            hello                                       | 248bfa47
            'hello, world'                              | 149bbb7f
            http://www.google.com/                      | 3d41b97c
            The quick brown fox jumps over the lazy dog | 2e4ff723
            ABCDefGHI\u0799                             | b5a4be05
            毎月１日,毎週月曜日                             | fc5ba834
            surrogate pair: \uD83D\uDCB0                | 8a5c3699
            café                                        | 241c0f08
            """)
    void shouldMatchKnownMurmur3Vectors(String name, String hex) {
        int expected = Integer.parseUnsignedInt(hex, 16);

        assertThat(FeatureHasher.murmur3(name, 0)).isEqualTo(expected);
        assertThat(reference(name.getBytes(UTF_8), 0)).isEqualTo(expected);
        assertThat(new FeatureHasher(32).index(name)).isEqualTo(expected);
    }

    /**
     * SMHasher's verification value for MurmurHash3_x86_32 ({@code main.cpp}, also checked by
     * Guava): proves the byte-array reference below is the real algorithm, so the string hasher
     * can be compared with it on any input.
     */
    @Test
    void theHashOfPackedAsciiBytesIsTheHashOfTheirString() {
        // every LibSVM index the numeric path takes (up to 7 digits), sampled, and every length 1-8
        Random random = new Random(11);
        for (int n = 0; n < 3_000_000; n += n < 100_000 ? 1 : 1 + random.nextInt(20)) {
            assertAsciiHash(Integer.toString(n));
        }
        for (int length = 1; length <= 8; length++) {
            for (int round = 0; round < 2_000; round++) {
                StringBuilder b = new StringBuilder();
                for (int j = 0; j < length; j++) {
                    b.append((char) (random.nextInt(128)));
                }
                assertAsciiHash(b.toString());
            }
        }
        assertThat(new FeatureHasher(18).indexAscii('7' | '2' << 8, 2)).isEqualTo(new FeatureHasher(18).index("72"));
    }

    private static void assertAsciiHash(String s) {
        long packed = 0;
        for (int j = 0; j < s.length(); j++) {
            packed |= (long) s.charAt(j) << (j << 3);
        }
        assertThat(FeatureHasher.murmur3Ascii(packed, s.length())).as(s).isEqualTo(FeatureHasher.murmur3(s, 0));
    }

    @Test
    void shouldPassSmhasherVerificationWithTheReference() {
        byte[] key = new byte[256];
        byte[] hashes = new byte[4 * 256];
        for (int i = 0; i < 256; i++) {
            key[i] = (byte) i;
            int h = reference(Arrays.copyOf(key, i), 256 - i);
            for (int b = 0; b < 4; b++) {
                hashes[4 * i + b] = (byte) (h >>> (8 * b));
            }
        }
        assertThat(reference(hashes, 0)).isEqualTo(0xB0F57EE3);
    }

    @Test
    void shouldEncodeUnpairedSurrogatesAsQuestionMarksLikeGetBytes() {
        for (String s : new String[] {"a\uD800z", "\uDC00", "x\uD83D", "\uDE00\uD83D"}) {
            assertThat(FeatureHasher.murmur3(s, 0)).as(s).isEqualTo(reference(s.getBytes(UTF_8), 0));
        }
    }

    @Test
    void shouldAgreeWithTheReferenceOnRandomStringsFromEveryUtf8Length() {
        Random random = new Random(7);
        int[] limits = {0x80, 0x800, 0x10000, 0x110000};
        for (int n = 0; n < 20_000; n++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                int cp = random.nextInt(limits[random.nextInt(limits.length)]);
                if (random.nextInt(50) == 0) {
                    s.append((char) (0xD800 + random.nextInt(0x800))); // sometimes a lone surrogate
                } else {
                    s.appendCodePoint(cp);
                }
            }
            int seed = random.nextInt();
            String name = s.toString();
            assertThat(FeatureHasher.murmur3(name, seed)).as(name).isEqualTo(reference(name.getBytes(UTF_8), seed));
        }
    }

    @Test
    void shouldMaskTheFullHashToTheConfiguredBits() {
        int full = 0x248bfa47;
        assertThat(new FeatureHasher(32).index("hello")).isEqualTo(full);
        assertThat(new FeatureHasher(FeatureHasher.DEFAULT_BITS).index("hello")).isEqualTo(full & 0xFFFFFF);
        assertThat(new FeatureHasher(1).index("hello")).isEqualTo(full & 1);
        assertThat(new FeatureHasher(31).index("hello")).isEqualTo(full & 0x7FFFFFFF);
    }

    @Test
    void shouldGiveNegativeSlotsOnlyWithTheFull32Bits() {
        // "hell" hashes to 0xa167dbf3, whose top bit is set.
        assertThat(new FeatureHasher(32).index("hell")).isNegative();
        assertThat(new FeatureHasher(31).index("hell")).isEqualTo(0x2167dbf3);
    }

    @Test
    void shouldRejectBitsOutsideOneToThirtyTwo() {
        assertThat(FeatureHasher.MAX_BITS).isEqualTo(32);
        assertThatThrownBy(() -> new FeatureHasher(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FeatureHasher(33)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1, 32]");
    }

    /** MurmurHash3_x86_32 over a byte array, written straight from the reference C code. */
    static int reference(byte[] data, int seed) {
        int h1 = seed;
        int c1 = 0xcc9e2d51;
        int c2 = 0x1b873593;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int k1 = (data[4 * i] & 0xFF) | (data[4 * i + 1] & 0xFF) << 8
                    | (data[4 * i + 2] & 0xFF) << 16 | (data[4 * i + 3] & 0xFF) << 24;
            k1 *= c1;
            k1 = Integer.rotateLeft(k1, 15);
            k1 *= c2;
            h1 ^= k1;
            h1 = Integer.rotateLeft(h1, 13);
            h1 = h1 * 5 + 0xe6546b64;
        }
        int tail = blocks * 4;
        int remaining = data.length & 3;
        if (remaining > 0) {
            int k1 = 0;
            for (int i = remaining - 1; i >= 0; i--) {
                k1 = k1 << 8 | (data[tail + i] & 0xFF);
            }
            k1 *= c1;
            k1 = Integer.rotateLeft(k1, 15);
            k1 *= c2;
            h1 ^= k1;
        }
        h1 ^= data.length;
        h1 ^= h1 >>> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >>> 13;
        h1 *= 0xc2b2ae35;
        h1 ^= h1 >>> 16;
        return h1;
    }
}
