package io.streamsgd.stream;

import io.streamsgd.learn.HashedWeightTable;
import io.streamsgd.learn.WeightEntry;
import io.streamsgd.learn.WeightStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One model's weights in a changelogged Kafka Streams store, as a checkpoint plus a log of
 * deltas, with a typed in-memory copy ({@link HashedWeightTable}) that serves every read.
 *
 * <p>Why not one store entry per weight: a sparse event touches ~30 weights that mostly differ
 * from the previous event's, so the record cache cannot merge their writes and every event cost
 * ~50 changelog records (profiled: store, cache and changelog took three quarters of the stream
 * thread). Here an event costs one record:
 * <ul>
 *   <li>a <b>delta</b> per event ({@link #endEvent}): the new state of each weight it changed
 *       (absolute values, so replaying a delta twice is harmless), the names of weights it
 *       created, and the model's record. Deltas go to a ring of {@code ring} keys, so the store
 *       never grows with the number of events;</li>
 *   <li>a <b>checkpoint</b> at least every {@code ring - 1} deltas: every page (the weights whose
 *       slots share their low 12 bits, with their feature names) that changed since the last
 *       checkpoint is rewritten, and the checkpoint record names the last delta it includes.
 *       Deltas up to it are then dead.</li>
 * </ul>
 * On opening (after a restart or a restore from the changelog) the pages are loaded and the
 * deltas after the checkpoint replayed in order: the copy is exactly what it was after the last
 * committed event. Kafka Streams commits the store with the input offsets and outputs in one
 * transaction, so the two never disagree.
 *
 * <p>A {@link #sweep} (seal, epoch catch-up) visits weights in page order between two
 * checkpoints, so that afterwards the pages hold exactly the non-zero weights.
 */
final class ModelStorage implements WeightStore {
    /**
     * Pages per model: a slot's page is its low bits (slots are hashes, so pages fill evenly).
     * A checkpoint writes at most this many records whatever the model's size; a model of 16M
     * weights still has pages of ~260 KB, within Kafka's default record size.
     */
    static final int PAGES = 4096;
    /** Deltas between checkpoints (the ring's size): at most PAGES / RING page records per event. */
    static final int DEFAULT_RING = 16_384;

    private static final BytesSerializer KEY_SERIALIZER = new BytesSerializer();

    private final KeyValueStore<Bytes, byte[]> store;
    private final StoreKeys keys;
    private final boolean adaptive;
    private final int ring;
    private final HashedWeightTable memory;
    private final WeightEntry scratch = new WeightEntry();

    /** Slots changed by the current event (may repeat). */
    private int[] changed = new int[64];
    private int changedCount;
    /** Slots created by the current event. */
    private final List<Integer> created = new ArrayList<>();
    /** Names of slots created since the last checkpoint (the pages do not have them yet). */
    private final Map<Integer, String> newNames = new HashMap<>();
    private final Set<Integer> dirtyPages = new HashSet<>();
    private long seq;
    private long checkpointSeq;
    private ModelRecord lastRecord;

    private ModelStorage(KeyValueStore<Bytes, byte[]> store, StoreKeys keys, boolean adaptive, int ring, int expected) {
        this.store = store;
        this.keys = keys;
        this.adaptive = adaptive;
        this.ring = ring;
        this.memory = new HashedWeightTable(expected);
    }

    /**
     * Opens a model's storage, loading what the store holds.
     *
     * @param adaptive whether entries carry the adaptive state (sum of squares and scale)
     */
    static ModelStorage open(KeyValueStore<Bytes, byte[]> store, StoreKeys keys, boolean adaptive, int ring) {
        byte[] checkpoint = store.get(keys.checkpoint());
        ModelRecord record = null;
        long checkpointSeq = 0;
        if (checkpoint != null) {
            ByteBuffer b = ByteBuffer.wrap(checkpoint);
            checkpointSeq = b.getLong();
            record = ModelRecord.decode(Arrays.copyOfRange(checkpoint, 8, checkpoint.length));
        }
        ModelStorage s = new ModelStorage(store, keys, adaptive, ring,
                record == null ? 16 : (int) Math.min(1 << 28, Math.max(16, record.stored())));
        s.checkpointSeq = checkpointSeq;
        s.seq = checkpointSeq;
        s.lastRecord = record;
        try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(keys.prefix(StoreKeys.PAGE), KEY_SERIALIZER)) {
            while (it.hasNext()) {
                s.loadPage(it.next().value);
            }
        }
        TreeMap<Long, byte[]> deltas = new TreeMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(keys.prefix(StoreKeys.DELTA), KEY_SERIALIZER)) {
            while (it.hasNext()) {
                byte[] delta = it.next().value;
                long deltaSeq = ByteBuffer.wrap(delta).getLong();
                if (deltaSeq > checkpointSeq) {
                    deltas.put(deltaSeq, delta);
                }
            }
        }
        for (Map.Entry<Long, byte[]> d : deltas.entrySet()) {
            s.lastRecord = s.replay(d.getValue());
            s.seq = d.getKey();
        }
        return s;
    }

    /** The model's record as last stored, or null if the store holds nothing of this model. */
    ModelRecord recovered() {
        return lastRecord;
    }

    @Override
    public boolean load(int slot, WeightEntry into) {
        return memory.load(slot, into);
    }

    @Override
    public void save(int slot, WeightEntry entry, String nameIfNew) {
        memory.save(slot, entry, null);
        changed(slot);
        if (nameIfNew != null) {
            newNames.put(slot, nameIfNew);
            created.add(slot);
        }
    }

    @Override
    public void remove(int slot) {
        memory.remove(slot);
        changed(slot);
    }

    @Override
    public long size() {
        return memory.size();
    }

    private static int page(int slot) {
        return slot & (PAGES - 1);
    }

    private void changed(int slot) {
        if (changedCount == changed.length) {
            changed = Arrays.copyOf(changed, changedCount * 2);
        }
        changed[changedCount++] = slot;
        dirtyPages.add(page(slot));
    }

    /**
     * Ends an event (or a snapshot): stores one delta with every change since the last one and
     * the model's record, and checkpoints when the ring is about to wrap.
     */
    void endEvent(ModelRecord record) {
        seq++;
        lastRecord = record;
        byte[] recordBytes = record.encode();
        int entrySize = 4 + 1 + (adaptive ? 32 : 16);
        List<byte[]> names = new ArrayList<>(created.size());
        int namesSize = 0;
        for (int slot : created) {
            byte[] n = newNames.get(slot).getBytes(StandardCharsets.UTF_8);
            names.add(n);
            namesSize += 4 + 4 + n.length;
        }
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + recordBytes.length + 4 + changedCount * entrySize + 4 + namesSize);
        b.putLong(seq).putInt(recordBytes.length).put(recordBytes);
        b.putInt(changedCount);
        for (int i = 0; i < changedCount; i++) {
            int slot = changed[i];
            b.putInt(slot);
            if (memory.load(slot, scratch)) {
                b.put((byte) 1);
                putEntry(b, scratch);
            } else {
                b.put((byte) 0);
                b.position(b.position() + entrySize - 5); // keeps entries fixed-size
            }
        }
        b.putInt(created.size());
        for (int i = 0; i < created.size(); i++) {
            b.putInt(created.get(i)).putInt(names.get(i).length).put(names.get(i));
        }
        store.put(keys.delta((int) Math.floorMod(seq, (long) ring)), b.array());
        changedCount = 0;
        created.clear();
        if (seq - checkpointSeq >= ring - 1) {
            checkpoint();
        }
    }

    /** Applies a stored delta to the in-memory copy; returns the model record it carries. */
    private ModelRecord replay(byte[] delta) {
        ByteBuffer b = ByteBuffer.wrap(delta);
        b.getLong();
        byte[] recordBytes = new byte[b.getInt()];
        b.get(recordBytes);
        int n = b.getInt();
        int entrySize = 4 + 1 + (adaptive ? 32 : 16);
        for (int i = 0; i < n; i++) {
            int start = b.position();
            int slot = b.getInt();
            boolean present = b.get() == 1;
            if (present) {
                getEntry(b, scratch);
                memory.save(slot, scratch, null);
            } else {
                memory.remove(slot);
            }
            b.position(start + entrySize);
            dirtyPages.add(page(slot)); // the pages do not have this change yet
        }
        int names = b.getInt();
        for (int i = 0; i < names; i++) {
            int slot = b.getInt();
            byte[] name = new byte[b.getInt()];
            b.get(name);
            newNames.put(slot, new String(name, StandardCharsets.UTF_8));
        }
        return ModelRecord.decode(recordBytes);
    }

    /** Rewrites every page changed since the last checkpoint and moves the checkpoint to {@link #seq}. */
    private void checkpoint() {
        if (!dirtyPages.isEmpty()) {
            Map<Integer, List<long[]>> pages = new HashMap<>();
            memory.sweep((slot, unused, e) -> {
                int page = page(slot);
                if (dirtyPages.contains(page)) {
                    pages.computeIfAbsent(page, p -> new ArrayList<>()).add(new long[] {slot,
                        Double.doubleToRawLongBits(e.value), e.step, Double.doubleToRawLongBits(e.sumSquares),
                        Double.doubleToRawLongBits(e.scale)});
                }
                return Action.KEEP;
            });
            List<KeyValue<Bytes, byte[]>> writes = new ArrayList<>();
            for (int page : dirtyPages) {
                Bytes key = keys.page(page);
                List<long[]> entries = pages.get(page);
                if (entries == null) {
                    store.delete(key);
                    continue;
                }
                Map<Integer, String> oldNames = pageNames(store.get(key));
                entries.sort((x, y) -> Long.compare(x[0], y[0]));
                writes.add(KeyValue.pair(key, encodePage(entries, oldNames)));
            }
            store.putAll(writes);
        }
        dirtyPages.clear();
        newNames.clear();
        created.clear(); // their names are in the pages now: the event's delta need not carry them
        checkpointSeq = seq;
        byte[] record = (lastRecord != null ? lastRecord : ModelRecord.INITIAL).encode();
        store.put(keys.checkpoint(), ByteBuffer.allocate(8 + record.length).putLong(seq).put(record).array());
    }

    /**
     * Visits every weight once, in slot-page order, with its feature name; the pages are brought
     * up to date before and after, so that afterwards they hold exactly the weights in memory.
     */
    @Override
    public void sweep(Sweeper sweeper) {
        checkpoint();
        List<byte[]> pages = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(keys.prefix(StoreKeys.PAGE), KEY_SERIALIZER)) {
            while (it.hasNext()) {
                pages.add(it.next().value);
            }
        }
        int before = changedCount;
        for (byte[] page : pages) {
            ByteBuffer b = ByteBuffer.wrap(page);
            int n = b.getInt();
            int[] slots = new int[n];
            for (int i = 0; i < n; i++) {
                slots[i] = b.getInt();
                getEntry(b, scratch);
            }
            for (int i = 0; i < n; i++) {
                int length = b.getInt();
                byte[] name = new byte[length];
                b.get(name);
                if (!memory.load(slots[i], scratch)) {
                    continue;
                }
                switch (sweeper.visit(slots[i], length == 0 ? null : new String(name, StandardCharsets.UTF_8), scratch)) {
                    case KEEP -> { }
                    case UPDATE -> {
                        memory.save(slots[i], scratch, null);
                        changed(slots[i]);
                    }
                    case REMOVE -> {
                        memory.remove(slots[i]);
                        changed(slots[i]);
                    }
                }
            }
        }
        if (changedCount > before) {
            checkpoint(); // the next delta then need not carry what the sweep changed
            changedCount = before;
        }
    }

    private void loadPage(byte[] page) {
        ByteBuffer b = ByteBuffer.wrap(page);
        int n = b.getInt();
        for (int i = 0; i < n; i++) {
            int slot = b.getInt();
            getEntry(b, scratch);
            memory.save(slot, scratch, null);
        }
    }

    private Map<Integer, String> pageNames(byte[] page) {
        Map<Integer, String> names = new HashMap<>();
        if (page == null) {
            return names;
        }
        ByteBuffer b = ByteBuffer.wrap(page);
        int n = b.getInt();
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) {
            slots[i] = b.getInt();
            getEntry(b, scratch);
        }
        for (int i = 0; i < n; i++) {
            byte[] name = new byte[b.getInt()];
            b.get(name);
            names.put(slots[i], new String(name, StandardCharsets.UTF_8));
        }
        return names;
    }

    private byte[] encodePage(List<long[]> entries, Map<Integer, String> oldNames) {
        List<byte[]> names = new ArrayList<>(entries.size());
        int size = 4 + entries.size() * (4 + (adaptive ? 32 : 16));
        for (long[] e : entries) {
            int slot = (int) e[0];
            String name = newNames.getOrDefault(slot, oldNames.get(slot));
            byte[] utf8 = name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8);
            names.add(utf8);
            size += 4 + utf8.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(entries.size());
        for (long[] e : entries) {
            b.putInt((int) e[0]).putLong(e[1]).putLong(e[2]);
            if (adaptive) {
                b.putLong(e[3]).putLong(e[4]);
            }
        }
        for (byte[] n : names) {
            b.putInt(n.length).put(n);
        }
        return b.array();
    }

    private void putEntry(ByteBuffer b, WeightEntry e) {
        b.putDouble(e.value).putLong(e.step);
        if (adaptive) {
            b.putDouble(e.sumSquares).putDouble(e.scale);
        }
    }

    private void getEntry(ByteBuffer b, WeightEntry into) {
        double value = b.getDouble();
        long step = b.getLong();
        if (adaptive) {
            into.set(value, step, b.getDouble(), b.getDouble());
        } else {
            into.set(value, step, 0.0, 0.0);
        }
    }

    /** The number of weight entries the pages hold (for tests: after a seal it is the non-zero count). */
    static long pageEntries(KeyValueStore<Bytes, byte[]> store, StoreKeys keys) {
        long n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(keys.prefix(StoreKeys.PAGE), KEY_SERIALIZER)) {
            while (it.hasNext()) {
                n += ByteBuffer.wrap(it.next().value).getInt();
            }
        }
        return n;
    }
}
