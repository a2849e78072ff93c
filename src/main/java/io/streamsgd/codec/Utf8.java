package io.streamsgd.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (RFC 3629), done before Jackson sees a record: Jackson only decodes the
 * strings it is asked for and accepts overlong forms and encoded surrogates, while we want one
 * precise reason for any invalid byte, wherever it is.
 */
final class Utf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    /**
     * The index of the first byte of the first invalid sequence in {@code bytes[from, to)}, or -1
     * if the range is valid UTF-8. A sequence cut off by {@code to} is invalid.
     */
    static int firstInvalid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            // Records are mostly ASCII: skip 8 bytes at a time while no high bit is set.
            while (i + 8 <= to && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                i += 8;
            }
            if (i >= to) {
                break;
            }
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int length = sequenceLength(bytes, i, to);
            if (length < 0) {
                return i;
            }
            i += length;
        }
        return -1;
    }

    /** The length of the valid multi-byte sequence starting at {@code i}, or -1. */
    private static int sequenceLength(byte[] bytes, int i, int to) {
        int lead = bytes[i] & 0xFF;
        if (lead < 0xC2) {
            return -1; // a continuation byte, or C0/C1 which could only start an overlong form
        }
        if (lead < 0xE0) {
            return continuation(bytes, i + 1, to, 0x80, 0xBF) ? 2 : -1;
        }
        if (lead < 0xF0) {
            // E0 would be overlong below A0; ED followed by A0..BF encodes a UTF-16 surrogate.
            int min = lead == 0xE0 ? 0xA0 : 0x80;
            int max = lead == 0xED ? 0x9F : 0xBF;
            return continuation(bytes, i + 1, to, min, max) && continuation(bytes, i + 2, to, 0x80, 0xBF) ? 3 : -1;
        }
        if (lead < 0xF5) {
            // F0 would be overlong below 90; F4 above 8F passes U+10FFFF.
            int min = lead == 0xF0 ? 0x90 : 0x80;
            int max = lead == 0xF4 ? 0x8F : 0xBF;
            return continuation(bytes, i + 1, to, min, max)
                    && continuation(bytes, i + 2, to, 0x80, 0xBF)
                    && continuation(bytes, i + 3, to, 0x80, 0xBF) ? 4 : -1;
        }
        return -1;
    }

    private static boolean continuation(byte[] bytes, int i, int to, int min, int max) {
        if (i >= to) {
            return false;
        }
        int b = bytes[i] & 0xFF;
        return b >= min && b <= max;
    }
}
