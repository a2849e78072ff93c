package io.streamsgd.stream;

import io.streamsgd.codec.Event;
import io.streamsgd.codec.ReadLimits;
import io.streamsgd.learn.FeatureHasher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link StreamSgdTopology#buildTopology} wires: topic names, the models, which of them
 * events without a {@code model} field train, and how records are checked and stored.
 *
 * @param eventsTopic input topic of events
 * @param predictionsTopic output topic of predictions (key: event id)
 * @param modelsTopic output topic of snapshot parts (key: model name)
 * @param deadLettersTopic output topic of rejected records
 * @param models every model, by name
 * @param defaultModels the models an event without a {@code model} field trains
 * @param inputKeyedByModel true when every event that targets a model already arrives in one
 *     input partition (a one-partition topic, or records keyed by model name): the repartition
 *     hop is skipped
 * @param store where the weights live
 * @param limits limits on a record (bytes, features, nesting)
 * @param maxSnapshotPartBytes largest snapshot record; bigger models are written in parts
 * @param trainingThread true to train each task's models on a thread of their own while the stream
 *     thread reads the next events ({@link TrainingThread}); the records and models are the same
 */
public record TopologyConfig(String eventsTopic, String predictionsTopic, String modelsTopic, String deadLettersTopic,
                             Map<String, ModelSpec> models, List<String> defaultModels, boolean inputKeyedByModel,
                             StoreBackend store, ReadLimits limits, int maxSnapshotPartBytes, boolean trainingThread) {
    /** Weight storage backends; both keep a changelog topic. */
    public enum StoreBackend { ROCKSDB, IN_MEMORY }

    public static final String DEFAULT_EVENTS_TOPIC = "streamsgd.events";
    public static final String DEFAULT_PREDICTIONS_TOPIC = "streamsgd.predictions";
    public static final String DEFAULT_MODELS_TOPIC = "streamsgd.models";
    public static final String DEFAULT_DEAD_LETTERS_TOPIC = "streamsgd.dead-letters";
    /** Leaves headroom under the broker's default max.message.bytes of 1 MiB. */
    public static final int DEFAULT_MAX_SNAPSHOT_PART_BYTES = 512 * 1024;

    public TopologyConfig {
        models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
        defaultModels = List.copyOf(defaultModels);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("at least one model must be configured");
        }
        for (String name : defaultModels) {
            if (!models.containsKey(name)) {
                throw new IllegalArgumentException("default model '" + name + "' is not configured; models: " + models.keySet());
            }
        }
        if (maxSnapshotPartBytes < 4096) {
            throw new IllegalArgumentException("max snapshot part bytes must be >= 4096, got " + maxSnapshotPartBytes);
        }
    }

    /** A configuration with the default topics, limits and store, every model a default one. */
    public static TopologyConfig of(List<ModelSpec> models) {
        Map<String, ModelSpec> byName = new LinkedHashMap<>();
        models.forEach(m -> byName.put(m.name(), m));
        return new TopologyConfig(DEFAULT_EVENTS_TOPIC, DEFAULT_PREDICTIONS_TOPIC, DEFAULT_MODELS_TOPIC,
                DEFAULT_DEAD_LETTERS_TOPIC, byName, List.copyOf(byName.keySet()), false, StoreBackend.ROCKSDB,
                ReadLimits.DEFAULTS, DEFAULT_MAX_SNAPSHOT_PART_BYTES, false);
    }

    /**
     * The hasher of the trainer's events. When every model has the same hash bits (as by default)
     * it hashes with those, as {@code learn} does: each model then reads an event's features as
     * they are, and its weights are those {@code learn} makes, to the bit. Models of different bits
     * share the full 32-bit hash ({@link Event#HASHER}), which each masks to its own bits: hashing
     * with the widest model's bits instead would make a narrower model add the values of features
     * that collide in the wide space before the others that collide with them in its own, an order
     * {@code learn} at its bits does not follow (see {@code ProjectedFeatures}).
     */
    public FeatureHasher eventHasher() {
        int bits = -1;
        for (ModelSpec spec : models.values()) {
            int b = spec.learner().hashBits();
            if (bits != -1 && b != bits) {
                return Event.HASHER;
            }
            bits = b;
        }
        return new FeatureHasher(bits);
    }

    public TopologyConfig withInputKeyedByModel(boolean keyed) {
        return new TopologyConfig(eventsTopic, predictionsTopic, modelsTopic, deadLettersTopic, models, defaultModels,
                keyed, store, limits, maxSnapshotPartBytes, trainingThread);
    }

    public TopologyConfig withStore(StoreBackend backend) {
        return new TopologyConfig(eventsTopic, predictionsTopic, modelsTopic, deadLettersTopic, models, defaultModels,
                inputKeyedByModel, backend, limits, maxSnapshotPartBytes, trainingThread);
    }

    public TopologyConfig withTopics(String events, String predictions, String snapshots, String deadLetters) {
        return new TopologyConfig(events, predictions, snapshots, deadLetters, models, defaultModels,
                inputKeyedByModel, store, limits, maxSnapshotPartBytes, trainingThread);
    }

    public TopologyConfig withDefaultModels(List<String> names) {
        return new TopologyConfig(eventsTopic, predictionsTopic, modelsTopic, deadLettersTopic, models, names,
                inputKeyedByModel, store, limits, maxSnapshotPartBytes, trainingThread);
    }

    public TopologyConfig withLimits(ReadLimits l, int partBytes) {
        return new TopologyConfig(eventsTopic, predictionsTopic, modelsTopic, deadLettersTopic, models, defaultModels,
                inputKeyedByModel, store, l, partBytes, trainingThread);
    }

    public TopologyConfig withTrainingThread(boolean on) {
        return new TopologyConfig(eventsTopic, predictionsTopic, modelsTopic, deadLettersTopic, models, defaultModels,
                inputKeyedByModel, store, limits, maxSnapshotPartBytes, on);
    }
}
