package io.streamsgd.bench.e2e;

import io.streamsgd.stream.ModelStoreRocksDbConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Measures a RocksDB state store left by a cleanly closed Kafka Streams application: SST bytes as
 * closed (memtables flushed), then after a full manual compaction with the options Kafka Streams
 * itself uses (no compression, universal compaction; read back from the store's OPTIONS file),
 * and the exact serialized size of its entries (key + value bytes), split for the weights store
 * into pages of weights (tag {@code 'P'}, counted by the weight entries they hold), chunks of
 * feature names (tag {@code 'N'}, counted by the names they hold) and the rest (deltas {@code 'D'}
 * and checkpoint records {@code 'C'}; see {@code ModelStorage}).
 */
final class StoreInspector {
    private StoreInspector() {
    }

    /** Inspects every task's copy of {@code store} under {@code appStateDir} and adds the sums to {@code out}. */
    static void inspect(Path appStateDir, String store, String prefix, Properties out) {
        List<Path> dbs;
        try (Stream<Path> tasks = Files.list(appStateDir)) {
            dbs = tasks.map(t -> t.resolve("rocksdb").resolve(store)).filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long sstClosed = 0;
        long sstCompacted = 0;
        // entries, key bytes, value bytes; weights in pages, page key bytes, page value bytes; names in chunks, chunk key bytes, chunk value bytes
        long[] counts = new long[9];
        String options = "";
        RocksDB.loadLibrary();
        for (Path db : dbs) {
            sstClosed += storeFileBytes(db);
            options = optionsSummary(db);
            try {
                compactAndCount(db, counts);
            } catch (RocksDBException e) {
                throw new IllegalStateException("cannot inspect " + db + ": " + e.getMessage(), e);
            }
            sstCompacted += storeFileBytes(db);
        }
        out.put(prefix + ".stores", Integer.toString(dbs.size()));
        out.put(prefix + ".options", options);
        out.put(prefix + ".sstAfterClose", Long.toString(sstClosed));
        out.put(prefix + ".sstAfterCompaction", Long.toString(sstCompacted));
        out.put(prefix + ".entries", Long.toString(counts[0]));
        out.put(prefix + ".keyBytes", Long.toString(counts[1]));
        out.put(prefix + ".valueBytes", Long.toString(counts[2]));
        out.put(prefix + ".weightEntries", Long.toString(counts[3]));
        out.put(prefix + ".weightKeyBytes", Long.toString(counts[4]));
        out.put(prefix + ".weightValueBytes", Long.toString(counts[5]));
        out.put(prefix + ".nameEntries", Long.toString(counts[6]));
        out.put(prefix + ".nameKeyBytes", Long.toString(counts[7]));
        out.put(prefix + ".nameValueBytes", Long.toString(counts[8]));
    }

    private static void compactAndCount(Path db, long[] counts) throws RocksDBException {
        List<byte[]> families;
        try (Options o = new Options()) {
            families = RocksDB.listColumnFamilies(o, db.toString());
        }
        // The service's blob settings (ModelStoreRocksDbConfig), with every blob file's live values
        // relocated by the full compaction, so that the files measured after it hold no garbage.
        try (ColumnFamilyOptions cf = new ColumnFamilyOptions()
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setCompactionStyle(CompactionStyle.UNIVERSAL)
                .setEnableBlobFiles(true)
                .setMinBlobSize(ModelStoreRocksDbConfig.MIN_BLOB_BYTES)
                .setEnableBlobGarbageCollection(true)
                .setBlobGarbageCollectionAgeCutoff(1.0);
             DBOptions dbOptions = new DBOptions()) {
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (byte[] f : families) {
                descriptors.add(new ColumnFamilyDescriptor(f, cf));
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            try (RocksDB rocks = RocksDB.open(dbOptions, db.toString(), descriptors, handles)) {
                try {
                    for (ColumnFamilyHandle h : handles) {
                        rocks.compactRange(h);
                        try (RocksIterator it = rocks.newIterator(h)) {
                            for (it.seekToFirst(); it.isValid(); it.next()) {
                                byte[] k = it.key();
                                byte[] v = it.value();
                                counts[0]++;
                                counts[1] += k.length;
                                counts[2] += v.length;
                                int tagAt = (k[0] & 0xFF) + 1;
                                if (tagAt < k.length && k[tagAt] == 'P') {
                                    counts[3] += java.nio.ByteBuffer.wrap(v).getInt() & Integer.MAX_VALUE; // weights in the page (the high bit marks the compact format)
                                    counts[4] += k.length;
                                    counts[5] += v.length;
                                } else if (tagAt < k.length && k[tagAt] == 'N') {
                                    counts[6] += java.nio.ByteBuffer.wrap(v).getInt(); // names in the chunk
                                    counts[7] += k.length;
                                    counts[8] += v.length;
                                }
                            }
                        }
                    }
                } finally {
                    handles.forEach(ColumnFamilyHandle::close);
                }
            }
        }
    }

    private static long storeFileBytes(Path db) {
        try (Stream<Path> files = Files.list(db)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sst") || f.getFileName().toString().endsWith(".blob")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** compression and compaction_style of the store's newest OPTIONS file, as Kafka Streams wrote it. */
    private static String optionsSummary(Path db) {
        try (Stream<Path> files = Files.list(db)) {
            Path newest = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-"))
                    .max(Comparator.comparing(Path::toString)).orElse(null);
            if (newest == null) {
                return "";
            }
            StringBuilder b = new StringBuilder();
            for (String line : Files.readAllLines(newest)) {
                String t = line.strip();
                if ((t.startsWith("compression=") || t.startsWith("compaction_style=")) && b.indexOf(t) < 0) {
                    b.append(b.length() > 0 ? " " : "").append(t);
                }
            }
            return b.toString();
        } catch (IOException e) {
            return "";
        }
    }
}
