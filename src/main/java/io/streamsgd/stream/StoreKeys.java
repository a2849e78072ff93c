package io.streamsgd.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of a model's records in the store. Every key starts with the model's prefix
 * {@code [name length: 1 byte][name: UTF-8]} and a tag: {@code 'P'} + 4-byte big-endian page
 * number for a page of weights, {@code 'N'} + 4-byte page number + 8-byte sequence number for a
 * chunk of a page's feature names, {@code 'D'} + 4-byte ring position for a delta, {@code 'C'}
 * for the checkpoint record. Big-endian numbers sort, so pages, name chunks (by page, then in the
 * order they were written) and deltas are each one prefix range.
 */
final class StoreKeys {
    static final byte PAGE = 'P';
    static final byte NAMES = 'N';
    static final byte DELTA = 'D';
    static final byte CHECKPOINT = 'C';

    private final byte[] name;

    StoreKeys(String model) {
        byte[] utf8 = model.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 255) {
            throw new IllegalArgumentException("model name too long for a store key: " + model);
        }
        name = new byte[utf8.length + 1];
        name[0] = (byte) utf8.length;
        System.arraycopy(utf8, 0, name, 1, utf8.length);
    }

    Bytes page(int page) {
        return numbered(PAGE, page);
    }

    Bytes names(int page, long seq) {
        byte[] k = Arrays.copyOf(numbered(NAMES, page).get(), name.length + 13);
        for (int i = 0; i < 8; i++) {
            k[name.length + 5 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return Bytes.wrap(k);
    }

    /** The prefix of every name chunk of a page. */
    Bytes namesPrefix(int page) {
        return numbered(NAMES, page);
    }

    Bytes delta(int position) {
        return numbered(DELTA, position);
    }

    Bytes checkpoint() {
        byte[] k = new byte[name.length + 1];
        System.arraycopy(name, 0, k, 0, name.length);
        k[name.length] = CHECKPOINT;
        return Bytes.wrap(k);
    }

    /** The prefix of every key of the given tag. */
    Bytes prefix(byte tag) {
        byte[] k = new byte[name.length + 1];
        System.arraycopy(name, 0, k, 0, name.length);
        k[name.length] = tag;
        return Bytes.wrap(k);
    }

    /** The number of a page or delta key, or the page of a name chunk's key. */
    int numberOf(Bytes key) {
        byte[] k = key.get();
        int n = name.length + 1;
        return ((k[n] & 0xFF) << 24) | ((k[n + 1] & 0xFF) << 16) | ((k[n + 2] & 0xFF) << 8) | (k[n + 3] & 0xFF);
    }

    private Bytes numbered(byte tag, int number) {
        byte[] k = new byte[name.length + 5];
        System.arraycopy(name, 0, k, 0, name.length);
        int n = name.length;
        k[n] = tag;
        k[n + 1] = (byte) (number >>> 24);
        k[n + 2] = (byte) (number >>> 16);
        k[n + 3] = (byte) (number >>> 8);
        k[n + 4] = (byte) number;
        return Bytes.wrap(k);
    }
}
