package io.streamsgd.stream;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The trainer's state store, {@value #MODELS}: every model's pages, deltas and checkpoint
 * ({@link ModelStorage}), changelogged. Not cached: a model writes its changes once per commit
 * already ({@link PreCommitStore}), so the record cache would have nothing to merge.
 */
final class Stores {
    static final String MODELS = "streamsgd-models";

    private Stores() {
    }

    static Set<StoreBuilder<?>> builders(TopologyConfig.StoreBackend backend, CommitHooks hooks) {
        KeyValueBytesStoreSupplier supplier = backend == TopologyConfig.StoreBackend.IN_MEMORY
                ? org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(MODELS)
                : org.apache.kafka.streams.state.Stores.persistentKeyValueStore(MODELS);
        StoreBuilder<KeyValueStore<Bytes, byte[]>> builder = org.apache.kafka.streams.state.Stores
                .keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled()
                .withLoggingEnabled(Map.of());
        return Set.of(PreCommitStore.builder(builder, hooks));
    }
}
