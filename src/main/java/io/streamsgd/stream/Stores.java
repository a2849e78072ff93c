package io.streamsgd.stream;

import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The trainer's state stores, both changelogged and cached (Kafka Streams' record cache absorbs
 * the repeated writes of hot weights and of the model records between commits): {@value #WEIGHTS}
 * holds every weight entry and each model's record, {@value #NAMES} the feature names, apart so
 * that the per-event path never reads them.
 */
final class Stores {
    static final String WEIGHTS = "streamsgd-weights";
    static final String NAMES = "streamsgd-names";

    private Stores() {
    }

    static Set<StoreBuilder<?>> builders(TopologyConfig.StoreBackend backend) {
        return Set.of(builder(WEIGHTS, backend), builder(NAMES, backend));
    }

    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(String name, TopologyConfig.StoreBackend backend) {
        KeyValueBytesStoreSupplier supplier = backend == TopologyConfig.StoreBackend.IN_MEMORY
                ? org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(name)
                : org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name);
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray())
                .withCachingEnabled()
                .withLoggingEnabled(java.util.Map.of());
    }
}
