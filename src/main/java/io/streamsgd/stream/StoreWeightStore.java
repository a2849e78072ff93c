package io.streamsgd.stream;

import io.streamsgd.learn.HashedWeightTable;
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
 * in the changelog and a restored task continues exactly.
 *
 * <p>The stores hold one entry per non-zero weight: {@code value, step} (16 bytes) and, for
 * adaptive schedules, {@code sumSquares, scale} (32 bytes in all) under a 7-byte key for a short
 * model name; the feature name is in a separate names store, written once when the weight is
 * created and deleted with it.
 *
 * <p>Reads are served from a typed in-memory copy ({@link HashedWeightTable}, no names), loaded
 * from the store when the task starts: an event's weights cost a probe in a primitive array
 * rather than a trip through the metered, caching and changelogging layers. Every write goes to
 * both, so the store (and through its record cache, the changelog at each commit) is always the
 * truth and the copy never holds anything the store does not. The processor that owns this
 * rebuilds it whenever Kafka Streams (re)initializes the task.
 */
final class StoreWeightStore implements WeightStore {
    private static final BytesSerializer KEY_SERIALIZER = new BytesSerializer();

    private final KeyValueStore<Bytes, byte[]> weights;
    private final KeyValueStore<Bytes, byte[]> names;
    private final StoreKeys keys;
    private final boolean adaptiveState;
    private final HashedWeightTable memory;

    /** Loads the model's weights from the store into memory. */
    StoreWeightStore(KeyValueStore<Bytes, byte[]> weights, KeyValueStore<Bytes, byte[]> names, StoreKeys keys,
                     boolean adaptiveState, long expectedSize) {
        this.weights = weights;
        this.names = names;
        this.keys = keys;
        this.adaptiveState = adaptiveState;
        this.memory = new HashedWeightTable((int) Math.min(Integer.MAX_VALUE / 4, Math.max(16, expectedSize)));
        WeightEntry entry = new WeightEntry();
        try (KeyValueIterator<Bytes, byte[]> it = weights.prefixScan(keys.weightPrefix(), KEY_SERIALIZER)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                decode(kv.value, entry);
                memory.save(keys.slotOf(kv.key), entry, null);
            }
        }
    }

    @Override
    public boolean load(int slot, WeightEntry into) {
        return memory.load(slot, into);
    }

    @Override
    public void save(int slot, WeightEntry entry, String nameIfNew) {
        memory.save(slot, entry, null);
        Bytes key = keys.weight(slot);
        weights.put(key, encode(entry));
        if (nameIfNew != null) {
            names.put(key, nameIfNew.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void remove(int slot) {
        memory.remove(slot);
        Bytes key = keys.weight(slot);
        weights.delete(key);
        names.delete(key);
    }

    @Override
    public long size() {
        return memory.size();
    }

    @Override
    public void sweep(Sweeper sweeper) {
        List<KeyValue<Bytes, byte[]>> updates = new ArrayList<>();
        List<Bytes> removals = new ArrayList<>();
        memory.sweep((slot, unused, entry) -> {
            Bytes key = keys.weight(slot);
            byte[] name = names.get(key);
            Action action = sweeper.visit(slot, name == null ? null : new String(name, StandardCharsets.UTF_8), entry);
            switch (action) {
                case KEEP -> { }
                case UPDATE -> updates.add(KeyValue.pair(key, encode(entry)));
                case REMOVE -> removals.add(key);
            }
            return action;
        });
        weights.putAll(updates);
        for (Bytes key : removals) {
            weights.delete(key);
            names.delete(key);
        }
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
