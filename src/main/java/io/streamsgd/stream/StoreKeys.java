package io.streamsgd.stream;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the state stores. Every key starts with the model's prefix
 * {@code [name length: 1 byte][name: UTF-8]} followed by a tag: {@code 'W'} + 4-byte big-endian
 * slot for a weight (and its name in the names store), {@code 'M'} for the model's own record.
 * Slots are non-negative, so big-endian keys sort by slot and a model's weights are one prefix
 * range. A model called "l1" costs 7 bytes of key per weight.
 */
final class StoreKeys {
    static final byte WEIGHT = 'W';
    static final byte MODEL = 'M';

    private final byte[] weightPrefix;
    private final Bytes modelKey;

    StoreKeys(String model) {
        byte[] name = model.getBytes(StandardCharsets.UTF_8);
        if (name.length > 255) {
            throw new IllegalArgumentException("model name too long for a store key: " + model);
        }
        weightPrefix = new byte[name.length + 2];
        weightPrefix[0] = (byte) name.length;
        System.arraycopy(name, 0, weightPrefix, 1, name.length);
        weightPrefix[name.length + 1] = WEIGHT;
        byte[] m = weightPrefix.clone();
        m[m.length - 1] = MODEL;
        modelKey = Bytes.wrap(m);
    }

    /** A fresh key for a slot (stores may keep the key they are given, so it is never reused). */
    Bytes weight(int slot) {
        int n = weightPrefix.length;
        byte[] key = new byte[n + 4];
        System.arraycopy(weightPrefix, 0, key, 0, n);
        key[n] = (byte) (slot >>> 24);
        key[n + 1] = (byte) (slot >>> 16);
        key[n + 2] = (byte) (slot >>> 8);
        key[n + 3] = (byte) slot;
        return Bytes.wrap(key);
    }

    /** The prefix of every weight key of the model. */
    Bytes weightPrefix() {
        return Bytes.wrap(weightPrefix);
    }

    Bytes model() {
        return modelKey;
    }

    /** The slot of a weight key of this model. */
    int slotOf(Bytes key) {
        byte[] k = key.get();
        int n = weightPrefix.length;
        return ((k[n] & 0xFF) << 24) | ((k[n + 1] & 0xFF) << 16) | ((k[n + 2] & 0xFF) << 8) | (k[n + 3] & 0xFF);
    }
}
