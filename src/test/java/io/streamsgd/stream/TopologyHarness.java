package io.streamsgd.stream;

import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.PredictionJson;
import io.streamsgd.codec.SnapshotParts;
import io.streamsgd.learn.ModelSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** A {@link TopologyTestDriver} around the streamsgd topology, with its topics and a snapshot trigger. */
final class TopologyHarness implements AutoCloseable {
    /**
     * When set, every harness trains on the models' own thread ({@link TopologyConfig#trainingThread}):
     * {@link StreamSgdTopologyTrainingThreadTest} runs every topology test so.
     */
    static boolean trainingThread;

    final TopologyConfig config;
    final SnapshotTrigger trigger = new SnapshotTrigger();
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> events;
    final TestOutputTopic<String, byte[]> predictions;
    final TestOutputTopic<String, byte[]> models;
    final TestOutputTopic<String, byte[]> deadLetters;
    private final SnapshotParts.Assembler assembler = new SnapshotParts.Assembler();
    private long time = 1_700_000_000_000L;

    TopologyHarness(TopologyConfig config, Path stateDir) {
        this(config, stateDir, TrainerListener.NONE);
    }

    TopologyHarness(TopologyConfig config, Path stateDir, TrainerListener listener) {
        this(config, stateDir, listener, new Properties());
    }

    TopologyHarness(TopologyConfig config, Path stateDir, TrainerListener listener, Properties extra) {
        config = config.withTrainingThread(config.trainingThread() || trainingThread);
        this.config = config;
        Properties props = new Properties();
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, ModelStoreRocksDbConfig.class); // as the service's
        props.putAll(extra);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "streamsgd-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put("processing.exception.handler.global.enabled", "true");
        driver = new TopologyTestDriver(StreamSgdTopology.buildTopology(config, listener, trigger), props,
                Instant.ofEpochMilli(time));
        events = driver.createInputTopic(config.eventsTopic(), new StringSerializer(), new ByteArraySerializer());
        predictions = driver.createOutputTopic(config.predictionsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        models = driver.createOutputTopic(config.modelsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(config.deadLettersTopic(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    void send(String key, String json) {
        send(key, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    void send(String key, byte[] value) {
        events.pipeInput(new TestRecord<>(key, value, Instant.ofEpochMilli(time++)));
    }

    void sendAll(List<String> jsons) {
        for (String j : jsons) {
            send(null, j);
        }
    }

    /** Asks for a snapshot of every model and lets the punctuation run. */
    void snapshotNow() {
        trigger.request();
        driver.advanceWallClockTime(Duration.ofMillis(250));
    }

    /** Asks for a final snapshot (then a checkpoint of every model), as a clean shutdown does, and lets the punctuation run. */
    void finalSnapshotNow() {
        trigger.requestFinal();
        driver.advanceWallClockTime(Duration.ofMillis(250));
    }

    /** The newest complete snapshot of a model among everything written so far. */
    ModelSnapshot latest(String model) {
        for (TestRecord<String, byte[]> r : models.readRecordsToList()) {
            try {
                assembler.add(r.value());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return assembler.latest(model).orElseThrow(() -> new AssertionError("no snapshot of " + model));
    }

    List<Prediction> predictions() {
        List<Prediction> out = new ArrayList<>();
        for (byte[] v : predictions.readValuesToList()) {
            try {
                out.add(PredictionJson.read(v));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Everything the stores wrote to their changelog topics so far, in order, per store. */
    java.util.Map<String, List<org.apache.kafka.streams.KeyValue<org.apache.kafka.common.utils.Bytes, byte[]>>> changelogs() {
        java.util.Map<String, List<org.apache.kafka.streams.KeyValue<org.apache.kafka.common.utils.Bytes, byte[]>>> out =
                new java.util.LinkedHashMap<>();
        for (String store : List.of(Stores.MODELS)) {
            List<org.apache.kafka.streams.KeyValue<org.apache.kafka.common.utils.Bytes, byte[]>> records = new ArrayList<>();
            for (TestRecord<byte[], byte[]> r : driver.createOutputTopic("streamsgd-test-" + store + "-changelog",
                    new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList()) {
                records.add(org.apache.kafka.streams.KeyValue.pair(org.apache.kafka.common.utils.Bytes.wrap(r.key()), r.value()));
            }
            out.put(store, records);
        }
        return out;
    }

    /** Replays changelog records into the stores, as Kafka Streams restores a task whose local state is gone. */
    void restore(java.util.Map<String, List<org.apache.kafka.streams.KeyValue<org.apache.kafka.common.utils.Bytes, byte[]>>> changelogs) {
        changelogs.forEach((store, records) -> {
            org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]> s = driver.getKeyValueStore(store);
            for (var kv : records) {
                if (kv.value == null) {
                    s.delete(kv.key);
                } else {
                    s.put(kv.key, kv.value);
                }
            }
        });
    }

    @Override
    public void close() {
        driver.close();
    }
}
