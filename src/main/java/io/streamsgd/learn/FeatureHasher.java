package io.streamsgd.learn;

/**
 * Maps a feature name to a weight slot: the 32-bit MurmurHash3 (x86_32, seed 0) of the name's
 * UTF-8 bytes, masked to {@code 2^bits} slots, as Vowpal Wabbit hashes its features
 * (Weinberger et al. 2009, "Feature Hashing for Large Scale Multitask Learning").
 *
 * <p>The UTF-8 encoding is done on the fly, so hashing a name allocates nothing. Unpaired
 * surrogates are encoded as {@code '?'}, as {@link String#getBytes} does.
 */
public final class FeatureHasher {
    /** Largest hash space: 32 bits is the full hash (parsers hash once; each model masks it). */
    public static final int MAX_BITS = 32;
    public static final int DEFAULT_BITS = 24;

    private final int bits;
    private final int mask;

    public FeatureHasher(int bits) {
        if (bits < 1 || bits > MAX_BITS) {
            throw new IllegalArgumentException("hash bits must be in [1, " + MAX_BITS + "], got " + bits);
        }
        this.bits = bits;
        this.mask = (int) ((1L << bits) - 1);
    }

    public int bits() {
        return bits;
    }

    /** The mask every slot this hasher gives fits in: {@code 2^bits - 1} ({@code -1}, every bit, for 32). */
    public int mask() {
        return mask;
    }

    /**
     * The slot of a feature name: the hash masked to its low {@code bits} bits, in
     * {@code [0, 2^bits)} read as unsigned (with 32 bits it is the full hash and may be negative).
     */
    public int index(CharSequence name) {
        return murmur3(name, 0) & mask;
    }

    /** The slot of a name of {@code length} ASCII bytes packed in a long (see {@link #murmur3Ascii}). */
    public int indexAscii(long bytes, int length) {
        return murmur3Ascii(bytes, length) & mask;
    }

    /** MurmurHash3 x86_32 of the UTF-8 bytes of {@code s}. */
    public static int murmur3(CharSequence s, int seed) {
        int h = seed;
        int block = 0; // bytes accumulated little-endian
        int filled = 0; // how many bytes are in block
        int length = 0; // total bytes
        int n = s.length();
        for (int i = 0; i < n; i++) {
            int c = s.charAt(i);
            int cp;
            if (Character.isHighSurrogate((char) c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint((char) c, s.charAt(++i));
            } else if (Character.isSurrogate((char) c)) {
                cp = '?';
            } else {
                cp = c;
            }
            if (cp < 0x80) {
                block |= cp << (filled << 3);
                if (++filled == 4) { h = mixBlock(h, block); block = 0; filled = 0; }
                length += 1;
            } else {
                // The 2 to 4 UTF-8 bytes packed little-endian in one int: no array per character.
                int packed;
                int count;
                if (cp < 0x800) {
                    packed = (0xC0 | (cp >> 6)) | (0x80 | (cp & 0x3F)) << 8;
                    count = 2;
                } else if (cp < 0x10000) {
                    packed = (0xE0 | (cp >> 12)) | (0x80 | ((cp >> 6) & 0x3F)) << 8 | (0x80 | (cp & 0x3F)) << 16;
                    count = 3;
                } else {
                    packed = (0xF0 | (cp >> 18)) | (0x80 | ((cp >> 12) & 0x3F)) << 8
                            | (0x80 | ((cp >> 6) & 0x3F)) << 16 | (0x80 | (cp & 0x3F)) << 24;
                    count = 4;
                }
                for (int b = 0; b < count; b++) {
                    block |= ((packed >>> (b << 3)) & 0xFF) << (filled << 3);
                    if (++filled == 4) { h = mixBlock(h, block); block = 0; filled = 0; }
                }
                length += count;
            }
        }
        if (filled > 0) {
            h = mixTail(h, block);
        }
        h ^= length;
        return fmix(h);
    }

    /**
     * MurmurHash3 x86_32 (seed 0) of {@code length} ASCII bytes packed little-endian in
     * {@code bytes} (the first byte in the lowest 8 bits), {@code 1 <= length <= 8}: the hash of
     * the name those bytes spell, for a parser that reads a short name (a LibSVM index) byte by
     * byte and need not make it a string. Equal to {@link #murmur3} of the same name.
     */
    public static int murmur3Ascii(long bytes, int length) {
        int h = 0;
        int blocks = length >>> 2;
        if (blocks > 0) {
            h = mixBlock(h, (int) bytes);
            if (blocks > 1) {
                h = mixBlock(h, (int) (bytes >>> 32));
            }
        }
        int tail = length & 3;
        if (tail > 0) {
            h = mixTail(h, (int) (bytes >>> (blocks << 5)) & (int) ((1L << (tail << 3)) - 1));
        }
        h ^= length;
        return fmix(h);
    }

    /** The last, partial block (1 to 3 bytes, little-endian). */
    private static int mixTail(int h, int k) {
        k *= 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        k *= 0x1b873593;
        return h ^ k;
    }

    private static int mixBlock(int h, int k) {
        k *= 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        k *= 0x1b873593;
        h ^= k;
        h = Integer.rotateLeft(h, 13);
        return h * 5 + 0xe6546b64;
    }

    private static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    @Override
    public String toString() {
        return "FeatureHasher{bits=" + bits + "}";
    }
}
