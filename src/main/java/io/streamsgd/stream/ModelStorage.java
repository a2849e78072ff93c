package io.streamsgd.stream;

import io.streamsgd.learn.HashedWeightTable;
import io.streamsgd.learn.WeightEntry;
import io.streamsgd.learn.WeightStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
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
 * thread). Here a <em>commit</em> costs about one record:
 * <ul>
 *   <li>a <b>delta</b> per commit ({@link #flush}, run by {@link PreCommitStore} just before
 *       Kafka Streams commits the task): the new state of each weight changed since the last
 *       delta, once however often it changed (absolute values, so replaying a delta twice is
 *       harmless), the names of weights created, and the model's record; split into records of
 *       at most {@value #MAX_DELTA_ENTRIES} entries. (Written as soon as that many weights had
 *       changed instead, so that the producer would send them while the task goes on, they cost
 *       27% more changelog bytes, a frequent weight being in every record, and made the app 15-22%
 *       slower on 2 cores.) Deltas go to a ring of {@code ring} keys, so the store never grows
 *       with the number of commits;</li>
 *   <li>a <b>checkpoint</b> once the deltas since the last one hold more than
 *       {@value #CHECKPOINT_FACTOR} times as many entries as the model has weights (at least
 *       {@value #MIN_CHECKPOINT_ENTRIES}) or fill half the ring: every page (the weights whose
 *       slots share their low 12 bits) that changed since the last checkpoint is rewritten,
 *       {@value #DEFAULT_PAGES_PER_FLUSH} pages a commit ({@link #startStage}), and then the
 *       checkpoint record names the last delta the pages include. Deltas up to it are then dead.
 *       A restore thus replays at most a few times the model's size. A ring about to wrap
 *       checkpoints everything at once.</li>
 * </ul>
 * Feature names never change while their weight lives, so they are not rewritten with the pages:
 * a checkpoint appends one <b>name chunk</b> per page with the names created before it,
 * and a page's chunks are merged into one, without the names of removed weights, once it has
 * {@link #MAX_NAME_CHUNKS}. A growing model therefore writes each name about once instead of at
 * every checkpoint, and a checkpoint never reads the store.
 * On opening (after a restart or a restore from the changelog) the pages are loaded and the
 * deltas after the checkpoint replayed in order: the copy is exactly what it was after the last
 * committed event. Kafka Streams commits the store with the input offsets and outputs in one
 * transaction, so the two never disagree; changes not yet flushed belong to events whose offsets
 * are not committed either, and are processed again after a crash.
 *
 * <p>A {@link #sweep} (seal, epoch catch-up) visits the weights in memory in page order, with
 * their names from the chunks and the names created since; what it changes goes to the next delta.
 */
final class ModelStorage implements WeightStore {
    /**
     * Pages per model: a slot's page is its low bits (slots are hashes, so pages fill evenly).
     * A checkpoint writes at most this many records whatever the model's size; a model of 16M
     * weights still has pages of ~260 KB, within Kafka's default record size.
     */
    static final int PAGES = HashedWeightTable.GROUPS; // the table keeps a page's weights together
    /** Delta records the ring holds (a checkpoint starts when half of them are in use). */
    static final int DEFAULT_RING = 16_384;
    /** A delta entry's kinds in the first format: the weight was removed; the weight and its state follow. */
    private static final byte ABSENT = 0;
    /**
     * The high bit of a delta's or a page's entry count marks the compact entry format
     * ({@link #putEntry}); a count without it is the first format, still read.
     */
    private static final int COMPACT = 1 << 31;
    /** The most bytes {@link #putEntry} writes with the slot before it. */
    private static final int MAX_ENTRY_BYTES = 4 + 10 + 24;
    /** Entries per delta record (at most about 300 KB: an adaptive entry takes 22 to 38 bytes). */
    static final int MAX_DELTA_ENTRIES = 8192;
    /** A checkpoint starts once the deltas since the last one hold this many times the model's weights. */
    static final int CHECKPOINT_FACTOR = 4;
    static final int MIN_CHECKPOINT_ENTRIES = 1 << 20;
    /**
     * Pages a staged checkpoint rewrites per commit: all 4,096 in 64 commits. Each commit's share
     * adds to the commit's duration, which is the tail of the latency a consumer of predictions
     * sees: in alternating runs at half load on a million weights, 256 gave a p99 of 354 and 189
     * ms, 64 gave 178 and 168 ms (bench/E2E.md lists every run).
     */
    static final int DEFAULT_PAGES_PER_FLUSH = 64;
    /** Name chunks a page may have before they are merged into one. */
    static final int MAX_NAME_CHUNKS = 8;

    private static final BytesSerializer KEY_SERIALIZER = new BytesSerializer();

    private final KeyValueStore<Bytes, byte[]> store;
    private final StoreKeys keys;
    private final boolean adaptive;
    private final int ring;
    private final int pagesPerFlush;
    private final HashedWeightTable memory;
    private final WeightEntry scratch = new WeightEntry();
    /**
     * Where {@link #encodePage} builds a page and {@link #writeDelta} a delta, reused: a fresh
     * buffer per delta record (up to 300 KB, zeroed by the JVM) took 7% of the flush's CPU
     * samples; reusing it left the median flush as it was and shortened its 90th percentile
     * ({@code StoreFlushLoop}, bench/E2E.md).
     */
    private ByteBuffer pageBuffer = ByteBuffer.allocate(16 * 1024);
    private int pageEntries;
    private long pageNewest;

    /** Weights changed since the last delta, with their state. */
    private final PendingChanges changes;
    /**
     * Slots created since the last checkpoint and their names, in order (the chunks do not have
     * them yet); those from {@code deltaNamesFrom} on are not in a delta yet.
     */
    private final NameLog newNames = new NameLog();
    private int deltaNamesFrom;
    /** Whether anything changed since the last delta or checkpoint. */
    private boolean pending;
    private long entriesSinceCheckpoint;
    /**
     * A staged checkpoint in progress: the pages dirty when it began ({@code stageSeq}), rewritten
     * a few per commit with the weights they have then; the names created before it; the delta
     * entries written since.
     */
    private boolean staging;
    private int[] stagePages;
    private int stagePageCount;
    private int stageNextPage;
    private long stageSeq;
    private int stageNames;
    /** The stage's names grouped by page, each page's chunk written with the page (null if none). */
    private NameGroups stageNameGroups;
    private long entriesSinceStage;
    /** The sequence number of the newest name chunk: chunk keys must never repeat. */
    private long nameSeq;
    private Supplier<ModelRecord> currentRecord = () -> this.lastRecord != null ? this.lastRecord : ModelRecord.INITIAL;
    /** Pages changed since the last checkpoint: a flag per page and the list of those set. */
    private final boolean[] dirty = new boolean[PAGES];
    private final int[] dirtyPages = new int[PAGES];
    private int dirtyCount;
    /** Name chunks each page has in the store. */
    private final int[] nameChunks = new int[PAGES];
    private long seq;
    private long checkpointSeq;
    private ModelRecord lastRecord;

    private ModelStorage(KeyValueStore<Bytes, byte[]> store, StoreKeys keys, boolean adaptive, int ring,
                         int pagesPerFlush, int expected) {
        this.pagesPerFlush = pagesPerFlush;
        this.store = store;
        this.keys = keys;
        this.adaptive = adaptive;
        this.ring = ring;
        this.memory = new HashedWeightTable(expected, false); // the names are in the store
        this.changes = new PendingChanges(adaptive);
    }

    /**
     * Opens a model's storage, loading what the store holds.
     *
     * @param adaptive whether entries carry the adaptive state (sum of squares and scale)
     */
    static ModelStorage open(KeyValueStore<Bytes, byte[]> store, StoreKeys keys, boolean adaptive, int ring) {
        return open(store, keys, adaptive, ring, DEFAULT_PAGES_PER_FLUSH);
    }

    /** As {@link #open(KeyValueStore, StoreKeys, boolean, int)}, with the pace of staged checkpoints (for tests). */
    static ModelStorage open(KeyValueStore<Bytes, byte[]> store, StoreKeys keys, boolean adaptive, int ring,
                             int pagesPerFlush) {
        byte[] checkpoint = store.get(keys.checkpoint());
        ModelRecord record = null;
        long checkpointSeq = 0;
        if (checkpoint != null) {
            ByteBuffer b = ByteBuffer.wrap(checkpoint);
            checkpointSeq = b.getLong();
            record = ModelRecord.decode(Arrays.copyOfRange(checkpoint, 8, checkpoint.length));
        }
        ModelStorage s = new ModelStorage(store, keys, adaptive, ring, pagesPerFlush,
                record == null ? 16 : (int) Math.min(1 << 28, Math.max(16, record.stored())));
        s.checkpointSeq = checkpointSeq;
        s.seq = checkpointSeq;
        s.lastRecord = record;
        try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(keys.prefix(StoreKeys.PAGE), KEY_SERIALIZER)) {
            while (it.hasNext()) {
                s.loadPage(it.next().value);
            }
        }
        try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(keys.prefix(StoreKeys.NAMES), KEY_SERIALIZER)) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                s.nameChunks[keys.numberOf(key)]++;
                byte[] k = key.get();
                s.nameSeq = Math.max(s.nameSeq, ByteBuffer.wrap(k, k.length - 8, 8).getLong());
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
        s.memory.trackChanges(); // from here on, every change goes to the next delta
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
        if (nameIfNew != null) {
            newNames.add(slot, nameIfNew.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void remove(int slot) {
        memory.remove(slot);
    }

    /** The table the learner writes directly; it tracks the changes for the next delta. */
    @Override
    public HashedWeightTable table() {
        return memory;
    }

    @Override
    public long size() {
        return memory.size();
    }

    private static int page(int slot) {
        return slot & (PAGES - 1);
    }

    private void markDirty(int page) {
        if (!dirty[page]) {
            dirty[page] = true;
            dirtyPages[dirtyCount++] = page;
        }
    }

    /** Forgets the table's changes since the last delta, marking their pages dirty (a checkpoint rewrites those pages). */
    private void markChangedPagesDirty() {
        memory.drainChanges(new HashedWeightTable.ChangeVisitor() {
            @Override
            public void changed(int slot, WeightEntry entry) {
                markDirty(page(slot));
            }

            @Override
            public void removed(int slot) {
                markDirty(page(slot));
            }
        });
    }

    /** Where the model's record comes from when a delta or checkpoint is written: it must be current then. */
    void currentRecord(Supplier<ModelRecord> source) {
        this.currentRecord = source;
    }

    /** Marks the end of an event: its changes and record go to the store at the next {@link #flush}. */
    void endEvent() {
        pending = true;
    }

    /**
     * Writes every change since the last delta as one delta (in as many records as it takes), or
     * a full checkpoint instead when the ring would wrap; then starts or continues a staged
     * checkpoint. Run just before each commit of the task.
     */
    void flush() {
        writeDeltas();
        long limit = Math.max((long) CHECKPOINT_FACTOR * memory.size(), MIN_CHECKPOINT_ENTRIES);
        if (!staging && (entriesSinceCheckpoint > limit || seq - checkpointSeq >= ring / 2)) {
            startStage();
        }
        if (staging) {
            stageStep();
        }
    }

    /**
     * Every change since the last delta as one delta, or a full checkpoint when the ring would
     * wrap. The changes are drained from the table into {@link #changes} and written a record of
     * {@value #MAX_DELTA_ENTRIES} at a time, as soon as one is full: the list never holds more
     * than a record's worth, however many weights a commit changed (with at-least-once's 30 s
     * commits, or after a long pause, that can be every weight of the model).
     */
    private void writeDeltas() {
        if (pending || memory.pendingChanges() > 0) {
            int newNamesToWrite = newNames.size() - deltaNamesFrom;
            // The table's count is an upper bound of the changes the drain reports (a slot
            // removed twice, or removed and created again, is reported once).
            if (seq + recordsFor(memory.pendingChanges(), newNamesToWrite) - checkpointSeq >= ring) {
                checkpoint(); // a staged checkpoint could not keep up: the ring must not overwrite live deltas
                return;
            }
            ModelRecord record = currentRecord.get();
            lastRecord = record;
            DeltaWriter writer = new DeltaWriter(record.encode(), newNamesToWrite);
            memory.drainChanges(writer);
            writer.finish();
            entriesSinceCheckpoint += writer.changed;
            entriesSinceStage += writer.changed;
            deltaNamesFrom = newNames.size();
            pending = false;
        }
    }

    /** Delta records for {@code changed} changes and {@code names} new names: at least one. */
    private static int recordsFor(int changed, int names) {
        return Math.max(1, Math.max((changed + MAX_DELTA_ENTRIES - 1) / MAX_DELTA_ENTRIES,
                (names + MAX_DELTA_ENTRIES - 1) / MAX_DELTA_ENTRIES));
    }

    /**
     * Receives the table's changes and writes them as delta records: the r-th record holds the
     * r-th {@value #MAX_DELTA_ENTRIES} changes, in the drain's order, and the r-th
     * {@value #MAX_DELTA_ENTRIES} new names, with the model's record.
     */
    private final class DeltaWriter implements HashedWeightTable.ChangeVisitor {
        private final byte[] recordBytes;
        private final int names;
        private int records;
        int changed;

        DeltaWriter(byte[] recordBytes, int names) {
            this.recordBytes = recordBytes;
            this.names = names;
        }

        @Override
        public void changed(int slot, WeightEntry entry) {
            changes.changed(slot, entry);
            added(slot);
        }

        @Override
        public void removed(int slot) {
            changes.removed(slot);
            added(slot);
        }

        private void added(int slot) {
            markDirty(page(slot));
            changed++;
            if (changes.size() == MAX_DELTA_ENTRIES) {
                writeRecord();
            }
        }

        /** Writes the last changes, and records for the names left over when there are more names than changes. */
        void finish() {
            while (changes.size() > 0 || records == 0 || (long) records * MAX_DELTA_ENTRIES < names) {
                writeRecord();
            }
        }

        private void writeRecord() {
            int r = records++;
            writeDelta(recordBytes, changes.size(), deltaNamesFrom + Math.min(r * MAX_DELTA_ENTRIES, names),
                    deltaNamesFrom + Math.min((r + 1) * MAX_DELTA_ENTRIES, names));
            changes.clear();
        }
    }

    /**
     * Begins a staged checkpoint: rewriting every page at once stalled the stream thread for
     * seconds on a model of a million weights (36 MB through RocksDB and the producer in one
     * commit), so the pages dirty now are rewritten a few per commit, and the checkpoint record
     * moves to now only when the last is written. Until then a restore loads the pages, old and
     * new alike, and replays every delta since the previous checkpoint: deltas hold each changed
     * weight's whole state, so a page written later than a delta is overwritten by the same or a
     * newer state, and a page not dirty now has had no change since the previous checkpoint.
     */
    private void startStage() {
        stagePages = Arrays.copyOf(dirtyPages, dirtyCount);
        stagePageCount = dirtyCount;
        stageNextPage = 0;
        for (int i = 0; i < dirtyCount; i++) {
            dirty[dirtyPages[i]] = false; // a change from now on marks its page again, for the next checkpoint
        }
        dirtyCount = 0;
        stageSeq = seq;
        stageNames = newNames.size();
        // Every page with one of these names is dirty now (creating the weight changed the page),
        // so each page's names can go with the page instead of all at the end.
        stageNameGroups = stageNames == 0 ? null : groupNames(stageNames);
        entriesSinceStage = 0;
        staging = true;
    }

    /** Rewrites the next pages of the staged checkpoint, and completes it after the last. */
    private void stageStep() {
        List<KeyValue<Bytes, byte[]>> writes = new ArrayList<>();
        int until = Math.min(stagePageCount, stageNextPage + pagesPerFlush);
        for (; stageNextPage < until; stageNextPage++) {
            int page = stagePages[stageNextPage];
            writes.add(KeyValue.pair(keys.page(page), encodePage(page)));
            if (stageNameGroups != null) {
                writePageNames(writes, page, stageNameGroups);
            }
        }
        if (stageNextPage == stagePageCount) {
            newNames.dropFirst(stageNames);
            deltaNamesFrom -= stageNames;
            stageNameGroups = null;
        }
        store.putAll(writes);
        if (stageNextPage == stagePageCount) {
            staging = false;
            stagePages = null;
            entriesSinceCheckpoint = entriesSinceStage;
            moveCheckpoint(stageSeq);
        }
    }

    /**
     * A page: its weights as they are now, in slot order (the same model gives the same bytes),
     * read from the page's run of table positions; null if it has none.
     */
    private byte[] encodePage(int page) {
        pageEntries = 0;
        pageNewest = 0;
        memory.forEachInGroup(page, (slot, e) -> {
            pageEntries++;
            pageNewest = Math.max(pageNewest, e.step);
        });
        if (pageEntries == 0) {
            return null;
        }
        pageBuffer.clear().putInt(pageEntries | COMPACT).putLong(pageNewest);
        memory.forEachInGroup(page, this::appendToPage);
        return Arrays.copyOf(pageBuffer.array(), pageBuffer.position());
    }

    /** {@link #pageBuffer}, cleared, with room for {@code size} bytes. */
    private ByteBuffer scratchBuffer(int size) {
        if (pageBuffer.capacity() < size) {
            pageBuffer = ByteBuffer.allocate(size);
        }
        return pageBuffer.clear();
    }

    private void appendToPage(int slot, WeightEntry e) {
        if (pageBuffer.remaining() < MAX_ENTRY_BYTES) {
            pageBuffer = ByteBuffer.allocate(pageBuffer.capacity() * 2).put(pageBuffer.flip());
        }
        pageBuffer.putInt(slot);
        putEntry(pageBuffer, e, pageNewest);
    }

    /**
     * A weight's state in the compact format of pages and deltas: a varint tag
     * {@code distance << 2 | unitScale << 1 | 1}, where distance is the weight's step counted back
     * from {@code newest} (the newest step of the record: most weights of a delta changed within
     * the last few thousand steps, two bytes) and unitScale says that the adaptive scale is
     * exactly 1 and not written (every categorical or boolean feature has x = 1, so its scale,
     * the largest |x| seen, is 1); then the value and, for adaptive schedules, the sum of squares
     * and the scale unless unit. A delta marks a removed weight with the tag 0. The bytes a model
     * writes per event, through the changelog and RocksDB, cost the service about as much as all
     * its other work beyond a pass-through (bench/E2E.md, tenth session): a categorical feature's
     * weight takes 22 bytes with its slot, where the first format took 31 in a delta and 36 in a
     * page.
     */
    private void putEntry(ByteBuffer b, WeightEntry e, long newest) {
        boolean unitScale = adaptive && e.scale == 1.0;
        putVarLong(b, (newest - e.step) << 2 | (unitScale ? 2 : 0) | 1);
        b.putDouble(e.value);
        if (adaptive) {
            b.putDouble(e.sumSquares);
            if (!unitScale) {
                b.putDouble(e.scale);
            }
        }
    }

    /**
     * One delta record: the first {@code count} of {@link #changes}, the new names [namesFrom,
     * namesTo) and the model's record. Each entry is the slot and the state ({@link #putEntry}),
     * or the tag 0 for a removed weight.
     */
    private void writeDelta(byte[] recordBytes, int count, int namesFrom, int namesTo) {
        seq++;
        int names = namesTo - namesFrom;
        int namesSize = newNames.encodedSize(namesFrom, namesTo);
        ByteBuffer b = scratchBuffer(8 + 4 + recordBytes.length + 4 + 8 + count * MAX_ENTRY_BYTES + 4 + namesSize);
        b.putLong(seq).putInt(recordBytes.length).put(recordBytes);
        b.putInt(count | COMPACT);
        long newest = 0;
        for (int i = 0; i < count; i++) {
            if (changes.present(i)) {
                newest = Math.max(newest, changes.entry(i, scratch).step);
            }
        }
        b.putLong(newest);
        for (int i = 0; i < count; i++) {
            b.putInt(changes.slot(i));
            if (!changes.present(i)) {
                b.put((byte) 0);
                continue;
            }
            putEntry(b, changes.entry(i, scratch), newest);
        }
        b.putInt(names);
        newNames.write(b, namesFrom, namesTo);
        store.put(keys.delta((int) Math.floorMod(seq, (long) ring)), Arrays.copyOf(b.array(), b.position()));
    }

    /** Applies a stored delta to the in-memory copy; returns the model record it carries. */
    private ModelRecord replay(byte[] delta) {
        ByteBuffer b = ByteBuffer.wrap(delta);
        b.getLong();
        byte[] recordBytes = new byte[b.getInt()];
        b.get(recordBytes);
        int n = b.getInt();
        boolean compact = (n & COMPACT) != 0;
        n &= ~COMPACT;
        long newest = b.getLong();
        for (int i = 0; i < n; i++) {
            int slot = b.getInt();
            if (compact ? !readCompactEntry(b, newest) : !readFirstFormatEntry(b, newest)) {
                memory.remove(slot);
            } else {
                memory.save(slot, scratch, null);
            }
            markDirty(page(slot)); // the pages do not have this change yet
        }
        readNames(b, newNames::add);
        return ModelRecord.decode(recordBytes);
    }

    /** Reads a compact entry's state into {@link #scratch} ({@link #putEntry}); false for a removed weight. */
    private boolean readCompactEntry(ByteBuffer b, long newest) {
        long tag = getVarLong(b);
        if (tag == 0) {
            return false;
        }
        double value = b.getDouble();
        double sumSquares = adaptive ? b.getDouble() : 0.0;
        double scale = !adaptive ? 0.0 : (tag & 2) != 0 ? 1.0 : b.getDouble();
        scratch.set(value, newest - (tag >>> 2), sumSquares, scale);
        return true;
    }

    /** Reads an entry of the first delta format (kind byte, value, step distance, sum of squares, scale); false for a removed weight. */
    private boolean readFirstFormatEntry(ByteBuffer b, long newest) {
        if (b.get() == ABSENT) {
            return false;
        }
        double value = b.getDouble();
        long step = newest - getVarLong(b);
        scratch.set(value, step, adaptive ? b.getDouble() : 0.0, adaptive ? b.getDouble() : 0.0);
        return true;
    }

    /**
     * Rewrites every page changed since the last checkpoint, appends the new names, and moves
     * the checkpoint to {@link #seq}: when the ring would wrap, and after a clean shutdown's final
     * snapshot ({@link ModelRuntime#checkpoint}).
     */
    void checkpoint() {
        markChangedPagesDirty();
        if (staging) { // the pages it has not rewritten yet are dirty still
            for (int i = stageNextPage; i < stagePageCount; i++) {
                markDirty(stagePages[i]);
            }
            staging = false;
            stagePages = null;
            stageNameGroups = null; // all the names go into this checkpoint's chunks (again, for pages already done)
        }
        if (dirtyCount > 0 || newNames.size() > 0) {
            writePages();
            List<KeyValue<Bytes, byte[]>> writes = new ArrayList<>();
            writeNames(writes, newNames.size());
            store.putAll(writes);
            for (int i = 0; i < dirtyCount; i++) {
                dirty[dirtyPages[i]] = false;
            }
            dirtyCount = 0;
        }
        // Everything changed is in the pages now, every name in the chunks: no delta needs them.
        newNames.clear();
        deltaNamesFrom = 0;
        changes.clear();
        pending = false;
        entriesSinceCheckpoint = 0;
        moveCheckpoint(seq);
    }

    /**
     * Writes the checkpoint record (deltas up to {@code upTo} are in the pages; the model's record
     * as it is now), then deletes the deltas it made dead. Left in place, they stayed in the store
     * and in the compacted changelog until the ring came round to their keys: up to
     * {@code ring} records of about 240 KB each at a high event rate (about 4 GB) for a model of
     * a few tens of MB, all of it read back by a restore from the changelog. The deletions come
     * after the record, so a log cut short anywhere (at-least-once) never lacks a delta that its
     * last checkpoint record needs.
     */
    private void moveCheckpoint(long upTo) {
        lastRecord = currentRecord.get();
        byte[] record = lastRecord.encode();
        store.put(keys.checkpoint(), ByteBuffer.allocate(8 + record.length).putLong(upTo).put(record).array());
        List<KeyValue<Bytes, byte[]>> deletions = new ArrayList<>();
        for (long dead = Math.max(checkpointSeq + 1, upTo - ring + 1); dead <= upTo; dead++) {
            deletions.add(KeyValue.pair(keys.delta((int) Math.floorMod(dead, (long) ring)), null)); // a null value deletes
        }
        store.putAll(deletions);
        checkpointSeq = upTo;
    }

    /**
     * Writes the dirty pages, each sorted by slot (the same model gives the same bytes), a few at
     * a time: a model's pages all at once (36 MB for a million weights) would have to fit in the
     * heap beside the model, and a snapshot of a big model ran out of a 256 MB heap so.
     */
    private void writePages() {
        List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>();
        for (int i = 0; i < dirtyCount; i++) {
            int page = dirtyPages[i];
            batch.add(KeyValue.pair(keys.page(page), encodePage(page)));
            if (batch.size() == pagesPerFlush || i == dirtyCount - 1) {
                store.putAll(batch);
                batch.clear();
            }
        }
    }

    /** The first {@code count} new names grouped by page ({@link #byPage}), under a new chunk sequence number. */
    private record NameGroups(int[] order, int[] start, long seq) {
    }

    private NameGroups groupNames(int count) {
        int[] start = new int[PAGES + 1];
        int[] order = byPage(newNames.slots(), count, start);
        return new NameGroups(order, start, ++nameSeq);
    }

    /** One chunk per page with the first {@code count} new names whose weights still live. */
    private void writeNames(List<KeyValue<Bytes, byte[]>> writes, int count) {
        if (count == 0) {
            return;
        }
        NameGroups groups = groupNames(count);
        for (int page = 0; page < PAGES; page++) {
            writePageNames(writes, page, groups);
        }
    }

    /** The page's chunk of the grouped names whose weights still live, merged with its older chunks once it has {@link #MAX_NAME_CHUNKS}. */
    private void writePageNames(List<KeyValue<Bytes, byte[]>> writes, int page, NameGroups groups) {
        int[] start = groups.start();
        if (start[page] == start[page + 1]) {
            return;
        }
        Map<Integer, byte[]> chunk = new TreeMap<>();
        for (int j = start[page]; j < start[page + 1]; j++) {
            int slot = newNames.slots()[groups.order()[j]];
            if (memory.load(slot, scratch)) {
                chunk.put(slot, newNames.name(groups.order()[j])); // in creation order: a re-created slot gets its newer name
            }
        }
        if (nameChunks[page] + 1 >= MAX_NAME_CHUNKS) {
            Map<Integer, byte[]> merged = new TreeMap<>();
            try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(keys.namesPrefix(page), KEY_SERIALIZER)) {
                while (it.hasNext()) {
                    KeyValue<Bytes, byte[]> old = it.next();
                    decodeNames(old.value, merged); // older chunks first, like the slots' creations
                    writes.add(KeyValue.pair(old.key, null));
                }
            }
            merged.putAll(chunk);
            merged.keySet().removeIf(slot -> !memory.load(slot, scratch));
            chunk = merged;
            nameChunks[page] = 0;
        }
        if (!chunk.isEmpty()) {
            writes.add(KeyValue.pair(keys.names(page, groups.seq()), encodeNames(chunk)));
            nameChunks[page]++;
        }
    }

    /**
     * The indices of the first {@code n} slots grouped by page, in their order within a page (a
     * stable counting sort); page p's are at [start[p], start[p + 1]).
     */
    private static int[] byPage(int[] slots, int n, int[] start) {
        for (int i = 0; i < n; i++) {
            start[page(slots[i]) + 1]++;
        }
        for (int p = 0; p < PAGES; p++) {
            start[p + 1] += start[p];
        }
        int[] next = Arrays.copyOf(start, PAGES);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[next[page(slots[i])]++] = i;
        }
        return order;
    }

    private static byte[] encodeNames(Map<Integer, byte[]> names) {
        int size = 4;
        for (byte[] name : names.values()) {
            size += 8 + name.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(names.size());
        for (Map.Entry<Integer, byte[]> e : names.entrySet()) {
            b.putInt(e.getKey()).putInt(e.getValue().length).put(e.getValue());
        }
        return b.array();
    }

    /** Adds a chunk's names (UTF-8) to {@code into}, replacing those of the same slots. */
    private static void decodeNames(byte[] chunk, Map<Integer, byte[]> into) {
        readNames(ByteBuffer.wrap(chunk), into::put);
    }

    /** Reads a count and that many (slot, length, UTF-8 name): a name chunk's layout, and a delta's names. */
    private static void readNames(ByteBuffer b, BiConsumer<Integer, byte[]> to) {
        int n = b.getInt();
        for (int i = 0; i < n; i++) {
            int slot = b.getInt();
            byte[] name = new byte[b.getInt()];
            b.get(name);
            to.accept(slot, name);
        }
    }

    /**
     * Visits every weight once, by page and in slot order within a page, with its feature name:
     * the page's name chunks, then the names created since the last checkpoint, newer names
     * replacing older ones. Nothing is written: what the sweeper updates or removes goes to the
     * next delta like any other change. (The sweep used to start with a full checkpoint, so that
     * the stored pages and chunks listed every weight and name: on a model of a million weights
     * that rewrote up to 36 MB of pages at every snapshot, 40% of the snapshot's time.)
     */
    @Override
    public void sweep(Sweeper sweeper) {
        long[] order = new long[(int) memory.size()]; // (page << 32) | slot: sorted, by page, then slot
        int[] n = new int[1];
        memory.sweep((slot, name, e) -> {
            order[n[0]++] = ((long) page(slot) << 32) | slot;
            return Action.KEEP;
        });
        Arrays.sort(order);
        int[] namesStart = new int[PAGES + 1];
        int[] namesOrder = byPage(newNames.slots(), newNames.size(), namesStart);
        Map<Integer, byte[]> names = new HashMap<>();
        try (KeyValueIterator<Bytes, byte[]> chunks = store.prefixScan(keys.prefix(StoreKeys.NAMES), KEY_SERIALIZER)) {
            KeyValue<Bytes, byte[]> chunk = chunks.hasNext() ? chunks.next() : null;
            int i = 0;
            while (i < order.length) {
                int page = (int) (order[i] >>> 32);
                names.clear();
                // Chunks are in page order, and a page's in the order they were written.
                while (chunk != null && keys.numberOf(chunk.key) <= page) {
                    if (keys.numberOf(chunk.key) == page) {
                        decodeNames(chunk.value, names);
                    }
                    chunk = chunks.hasNext() ? chunks.next() : null;
                }
                for (int j = namesStart[page]; j < namesStart[page + 1]; j++) {
                    names.put(newNames.slots()[namesOrder[j]], newNames.name(namesOrder[j])); // in creation order
                }
                for (; i < order.length && (int) (order[i] >>> 32) == page; i++) {
                    visit((int) order[i], names, sweeper);
                }
            }
        }
    }

    private void visit(int slot, Map<Integer, byte[]> names, Sweeper sweeper) {
        if (!memory.load(slot, scratch)) {
            return;
        }
        byte[] name = names.get(slot);
        // As for the learner's changes, the table tracks these for the next delta, which marks their pages dirty.
        switch (sweeper.visit(slot, name == null ? null : new String(name, StandardCharsets.UTF_8), scratch)) {
            case KEEP -> { }
            case UPDATE -> memory.save(slot, scratch, null);
            case REMOVE -> memory.remove(slot);
        }
    }

    private void loadPage(byte[] page) {
        ByteBuffer b = ByteBuffer.wrap(page);
        int n = b.getInt();
        boolean compact = (n & COMPACT) != 0;
        n &= ~COMPACT;
        long newest = compact ? b.getLong() : 0;
        for (int i = 0; i < n; i++) {
            int slot = b.getInt();
            if (compact) {
                readCompactEntry(b, newest);
            } else {
                getEntry(b, scratch);
            }
            memory.save(slot, scratch, null);
        }
    }

    private static void putVarLong(ByteBuffer b, long v) {
        while ((v & ~0x7FL) != 0) {
            b.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.put((byte) v);
    }

    private static long getVarLong(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
    }

    /** Reads a page entry of the first format (value, step and, for adaptive schedules, sum of squares and scale). */
    private void getEntry(ByteBuffer b, WeightEntry into) {
        double value = b.getDouble();
        long step = b.getLong();
        into.set(value, step, adaptive ? b.getDouble() : 0.0, adaptive ? b.getDouble() : 0.0);
    }

    /** The number of weight entries the pages hold (for tests: after a final checkpoint, the live weights). */
    static long pageEntries(KeyValueStore<Bytes, byte[]> store, StoreKeys keys) {
        long n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(keys.prefix(StoreKeys.PAGE), KEY_SERIALIZER)) {
            while (it.hasNext()) {
                n += ByteBuffer.wrap(it.next().value).getInt() & ~COMPACT;
            }
        }
        return n;
    }

    /** Changes the list a delta is written from has room for (for tests: it stays within a record's worth). */
    int changeListCapacity() {
        return changes.capacity();
    }
}
