package io.streamsgd.stream;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * RocksDB options for the model store: values of at least {@value #MIN_BLOB_BYTES} bytes (the
 * deltas, up to about 240 KB each, and the larger pages) go to blob files (RocksDB's integrated
 * BlobDB, key-value separation), so that compactions move keys and references instead of
 * rewriting the values. A delta is written once, read only by a restore, and deleted at the next
 * checkpoint: with the values in the SST files every compaction of level 0 copied them again, on
 * the core the stream thread needs. Blob files whose values are all deleted go with the
 * compactions that drop the tombstones; blob garbage collection relocates the live values of the
 * oldest files. Other stores are left as Kafka Streams configures them.
 */
public final class ModelStoreRocksDbConfig implements RocksDBConfigSetter {
    public static final long MIN_BLOB_BYTES = 4096;
    public static final long BLOB_FILE_BYTES = 64L << 20;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        if (!storeName.equals(Stores.MODELS)) {
            return;
        }
        options.setEnableBlobFiles(true);
        options.setMinBlobSize(MIN_BLOB_BYTES);
        options.setBlobFileSize(BLOB_FILE_BYTES);
        options.setEnableBlobGarbageCollection(true);
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing was allocated: the options set above are plain values.
    }
}
