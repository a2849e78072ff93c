package io.streamsgd.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class ModelStoreRocksDbConfigTest {
    static {
        RocksDB.loadLibrary();
    }

    @Test
    void shouldPutTheModelStoresLargeValuesInBlobFiles() {
        try (Options options = new Options()) {
            new ModelStoreRocksDbConfig().setConfig(Stores.MODELS, options, Map.of());
            assertThat(options.enableBlobFiles()).isTrue();
            assertThat(options.minBlobSize()).isEqualTo(ModelStoreRocksDbConfig.MIN_BLOB_BYTES);
            assertThat(options.blobFileSize()).isEqualTo(ModelStoreRocksDbConfig.BLOB_FILE_BYTES);
            assertThat(options.enableBlobGarbageCollection()).isTrue();
        }
    }

    @Test
    void shouldLeaveOtherStoresAsKafkaStreamsConfiguresThem() {
        try (Options options = new Options()) {
            new ModelStoreRocksDbConfig().setConfig("KSTREAM-AGGREGATE-STATE-STORE-0000000001", options, Map.of());
            assertThat(options.enableBlobFiles()).isFalse();
            assertThat(options.enableBlobGarbageCollection()).isFalse();
        }
    }
}
