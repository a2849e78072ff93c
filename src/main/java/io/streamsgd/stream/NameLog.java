package io.streamsgd.stream;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The feature names a model created since its last checkpoint, in order: slot and UTF-8 name,
 * the names' bytes one after the other in one array (a string each would cost about 50 bytes
 * more a name on the heap).
 */
final class NameLog {
    private int[] slots = new int[64];
    private byte[] bytes = new byte[1024];
    /** Where each name's bytes end in {@link #bytes} (name i starts where name i - 1 ends). */
    private int[] ends = new int[64];
    private int size;

    void add(int slot, byte[] utf8) {
        if (size == slots.length) {
            slots = Arrays.copyOf(slots, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        int start = start(size);
        if (start + utf8.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, start + utf8.length));
        }
        System.arraycopy(utf8, 0, bytes, start, utf8.length);
        slots[size] = slot;
        ends[size++] = start + utf8.length;
    }

    int size() {
        return size;
    }

    /** The slots, in order; only the first {@link #size} are names. */
    int[] slots() {
        return slots;
    }

    byte[] name(int i) {
        return Arrays.copyOfRange(bytes, start(i), ends[i]);
    }

    /** Bytes the names [from, to) take in {@link #write}. */
    int encodedSize(int from, int to) {
        return 8 * (to - from) + start(to) - start(from);
    }

    /** Writes names [from, to) as (slot, length, UTF-8 bytes). */
    void write(ByteBuffer b, int from, int to) {
        for (int i = from; i < to; i++) {
            int start = start(i);
            b.putInt(slots[i]).putInt(ends[i] - start).put(bytes, start, ends[i] - start);
        }
    }

    /** Forgets the first {@code count} names. */
    void dropFirst(int count) {
        int dropped = start(count);
        int left = size - count;
        System.arraycopy(slots, count, slots, 0, left);
        System.arraycopy(bytes, dropped, bytes, 0, start(size) - dropped);
        for (int i = 0; i < left; i++) {
            ends[i] = ends[count + i] - dropped;
        }
        size = left;
    }

    /** Forgets every name, and gives back the memory a burst of new features took. */
    void clear() {
        size = 0;
        if (slots.length > 1 << 16) {
            slots = new int[64];
            ends = new int[64];
            bytes = new byte[1024];
        }
    }

    private int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }
}
