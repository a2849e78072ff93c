package io.streamsgd.stream;

import io.streamsgd.learn.WeightEntry;
import io.streamsgd.learn.WeightStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@link WeightStore} of one model inside Kafka Streams state stores, so that every change is
 * in the changelog and a restored task continues exactly. One entry per non-zero weight:
 * {@code value, step} (16 bytes) and, for adaptive schedules, {@code sumSquares, scale}
 * (32 bytes in all), in the weights store; the feature name in a separate names store, written
 * once when the weight is created and deleted with it, so that the hot path never reads it.
 *
 * <p>The entry count is kept by the caller (it is part of the model's record): a store-wide
 * count would mix models.
 */
final class StoreWeightStore implements WeightStore {
    private static final BytesSerializer KEY_SERIALIZER = new BytesSerializer();

    private final KeyValueStore<Bytes, byte[]> weights;
    private final KeyValueStore<Bytes, byte[]> names;
    private final StoreKeys keys;
    private final boolean adaptiveState;
    private long size;

    StoreWeightStore(KeyValueStore<Bytes, byte[]> weights, KeyValueStore<Bytes, byte[]> names, StoreKeys keys,
                     boolean adaptiveState, long size) {
        this.weights = weights;
        this.names = names;
        this.keys = keys;
        this.adaptiveState = adaptiveState;
        this.size = size;
    }

    @Override
    public boolean load(int slot, WeightEntry into) {
        byte[] bytes = weights.get(keys.weight(slot));
        if (bytes == null) {
            into.clear();
            return false;
        }
        decode(bytes, into);
        return true;
    }

    @Override
    public void save(int slot, WeightEntry entry, String nameIfNew) {
        Bytes key = keys.weight(slot);
        weights.put(key, encode(entry));
        if (nameIfNew != null) {
            names.put(key, nameIfNew.getBytes(StandardCharsets.UTF_8));
            size++;
        }
    }

    @Override
    public void remove(int slot) {
        Bytes key = keys.weight(slot);
        if (weights.delete(key) != null) {
            names.delete(key);
            size--;
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void sweep(Sweeper sweeper) {
        List<KeyValue<Bytes, byte[]>> updates = new ArrayList<>();
        List<Bytes> removals = new ArrayList<>();
        WeightEntry entry = new WeightEntry();
        try (KeyValueIterator<Bytes, byte[]> it = weights.prefixScan(keys.weightPrefix(), KEY_SERIALIZER)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                decode(kv.value, entry);
                byte[] name = names.get(kv.key);
                String featureName = name == null ? null : new String(name, StandardCharsets.UTF_8);
                switch (sweeper.visit(keys.slotOf(kv.key), featureName, entry)) {
                    case KEEP -> { }
                    case UPDATE -> updates.add(KeyValue.pair(kv.key, encode(entry)));
                    case REMOVE -> removals.add(kv.key);
                }
            }
        }
        // Changing a store while iterating it is not safe for every backend.
        weights.putAll(updates);
        for (Bytes key : removals) {
            weights.delete(key);
            names.delete(key);
        }
        size -= removals.size();
    }

    private byte[] encode(WeightEntry e) {
        ByteBuffer b = ByteBuffer.allocate(adaptiveState ? 32 : 16);
        b.putDouble(e.value).putLong(e.step);
        if (adaptiveState) {
            b.putDouble(e.sumSquares).putDouble(e.scale);
        }
        return b.array();
    }

    private static void decode(byte[] bytes, WeightEntry into) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        double value = b.getDouble();
        long step = b.getLong();
        if (bytes.length >= 32) {
            into.set(value, step, b.getDouble(), b.getDouble());
        } else {
            into.set(value, step, 0.0, 0.0);
        }
    }
}
