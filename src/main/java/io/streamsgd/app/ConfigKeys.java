package io.streamsgd.app;

import io.streamsgd.codec.ReadLimits;
import io.streamsgd.learn.FeatureHasher;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.stream.TopologyConfig;
import java.util.List;

/**
 * Every key of the service's configuration file ({@code run --config FILE}), with its default,
 * accepted values and description: the one place the README's configuration reference is
 * generated from ({@link ConfigReference}). Key names are relied on by deployment files and
 * tooling: never rename one.
 *
 * <p>Besides these, {@code kafka.<setting>} passes any Kafka client or Streams setting through
 * ({@link #KAFKA_PREFIX}).
 */
public final class ConfigKeys {
    /** Keys starting with this are passed to Kafka Streams (and its clients) without the prefix. */
    public static final String KAFKA_PREFIX = "kafka.";
    /** Environment variables starting with this override keys: {@code STREAMSGD_} + key in upper case. */
    public static final String ENV_PREFIX = "STREAMSGD_";
    /** Per-model keys start with this, followed by the model's name and a {@link #MODEL_KEYS} suffix. */
    public static final String MODEL_PREFIX = "model.";

    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.text("bootstrap.servers", "127.0.0.1:9092",
            "Kafka brokers to connect to, host:port[,host:port...].");
    public static final Setting<String> APPLICATION_ID = Setting.text("application.id", "streamsgd",
            "Kafka Streams application id: instances sharing it share the work; prefixes internal topics and the group.");
    public static final Setting<String> STATE_DIR = Setting.text("state.dir", null,
            "Directory of the local state stores (the weights); keep it on a persistent volume.")
            .withDefaultDoc("Kafka Streams' default, <java.io.tmpdir>/kafka-streams");
    public static final Setting<String> TOPICS_EVENTS = Setting.topic("topics.events",
            TopologyConfig.DEFAULT_EVENTS_TOPIC, "Input topic of events (JSON).");
    public static final Setting<String> TOPICS_PREDICTIONS = Setting.topic("topics.predictions",
            TopologyConfig.DEFAULT_PREDICTIONS_TOPIC, "Output topic of predictions, one per event and model (key: event id).");
    public static final Setting<String> TOPICS_MODELS = Setting.topic("topics.models",
            TopologyConfig.DEFAULT_MODELS_TOPIC, "Output topic of model snapshots, in parts (key: model name).");
    public static final Setting<String> TOPICS_DEAD_LETTERS = Setting.topic("topics.dead-letters",
            TopologyConfig.DEFAULT_DEAD_LETTERS_TOPIC, "Output topic of rejected records, with the reason.");
    public static final Setting<Integer> TOPICS_PARTITIONS = Setting.integer("topics.partitions", 3, 1, 10_000,
            "Partitions of the four topics when the service creates them (existing topics are left as they are).");
    public static final Setting<Short> TOPICS_REPLICATION = Setting.replication("topics.replication",
            "Replication factor of the topics the service creates, and of Kafka Streams' internal topics.");
    public static final Setting<List<String>> MODELS = Setting.names("models", "model",
            "Every model the service trains; each takes its settings from model.<name>.* keys.");
    public static final Setting<List<String>> MODELS_DEFAULT = Setting.names("models.default", null,
            "The models an event without a \"model\" field trains (a subset of models).")
            .withDefaultDoc("every model in models");
    public static final Setting<Boolean> INPUT_KEYED_BY_MODEL = Setting.bool("input.keyed-by-model", false,
            "True when all events of a model arrive in one input partition (records keyed by model name, or one "
                    + "partition): skips the repartition hop.");
    public static final Setting<String> STORE = Setting.choice("store", "rocksdb", List.of("rocksdb", "in-memory"),
            "Where the model store keeps its pages, names and deltas: RocksDB on disk, or the heap (both backed by "
                    + "a changelog topic; the weights are read and trained in an in-memory table either way). The heap "
                    + "was about 5% faster in the end-to-end benchmark, but holds the deltas since the last checkpoint "
                    + "(twice the RSS there), and a restart restores from the changelog.");
    public static final Setting<Boolean> TRAINING_THREAD = Setting.bool("training.thread", false,
            "True to train each task's models on a thread of their own while the stream thread reads the next "
                    + "events (the same predictions and models, to the bit). It needs a core to spare: in the "
                    + "end-to-end benchmark on 2 cores, two models made 3-23% more events per second on small "
                    + "events (median 12%), one model about as many, and one model on large events (hundreds of "
                    + "features) 12-19% fewer.");
    public static final Setting<Integer> MAX_FEATURES = Setting.integer("max.features",
            ReadLimits.DEFAULT_MAX_FEATURES, 1, 10_000_000,
            "Most features one event may have; more is dead-lettered as too_many_features.");
    public static final Setting<Integer> MAX_RECORD_BYTES = Setting.integer("max.record.bytes",
            ReadLimits.DEFAULT_MAX_RECORD_BYTES, 64, 100 << 20,
            "Largest event record accepted, in bytes; larger is dead-lettered as record_too_large.");
    public static final Setting<Integer> SNAPSHOT_PART_BYTES = Setting.integer("snapshot.part.bytes",
            TopologyConfig.DEFAULT_MAX_SNAPSHOT_PART_BYTES, 4096, 64 << 20,
            "Largest snapshot record; bigger models are written in parts (keep under the topic's max.message.bytes).");
    public static final Setting<String> METRICS_HOST = Setting.text("metrics.host", "127.0.0.1",
            "Address the HTTP server (/metrics, /health) listens on; 0.0.0.0 for every interface.");
    public static final Setting<Integer> METRICS_PORT = Setting.integer("metrics.port", 9404, 0, 65_535,
            "Port of the HTTP server (/metrics, /health); 0 picks a free one.");
    public static final Setting<Long> STARTUP_TIMEOUT_MS = Setting.longInteger("startup.timeout.ms", 120_000,
            1_000, 3_600_000, "How long start-up waits for Kafka Streams to be RUNNING before it gives up.");
    public static final Setting<Long> SHUTDOWN_TIMEOUT_MS = Setting.longInteger("shutdown.timeout.ms", 30_000,
            1_000, 600_000, "How long a clean shutdown waits for the final snapshots, and then again for Kafka Streams to close.");

    public static final Setting<String> LOSS = Setting.choice("model.<name>.loss", "logistic",
            List.of("logistic", "squared", "hinge"), "The loss: logistic (log loss), squared or hinge.");
    public static final Setting<Double> L1 = Setting.number("model.<name>.l1", "0", null, 0, true, false,
            "L1 gravity g of truncated gradient (0: no L1).");
    public static final Setting<Double> L2 = Setting.number("model.<name>.l2", "0", null, 0, true, false,
            "L2 weight decay lambda (0: no L2); learning-rate * l2 must be < 1.");
    public static final Setting<Integer> TRUNCATE_EVERY = Setting.integer("model.<name>.truncate-every", 1, 1,
            Integer.MAX_VALUE, "Truncation period K: L1 truncation every K-th step, by K times the gravity.");
    public static final Setting<Double> THETA = Setting.number("model.<name>.theta", "Infinity", null, 0, false, true,
            "Truncation threshold theta: only weights with |w| <= theta are truncated (Infinity: soft threshold).");
    public static final Setting<String> SCHEDULE = Setting.choice("model.<name>.schedule", "adaptive",
            List.of("adaptive", "adagrad", "invscaling", "constant"),
            "Learning-rate schedule: adaptive (normalized, as Vowpal Wabbit), adagrad, invscaling or constant.");
    public static final Setting<Double> LEARNING_RATE = Setting.number("model.<name>.learning-rate", null,
            "per schedule: adaptive 1.0, adagrad 0.5, invscaling 0.5, constant 0.1", 0, false, false,
            "eta0, the base learning rate.");
    public static final Setting<Double> POWER_T = Setting.number("model.<name>.power-t",
            String.valueOf(LearnerConfig.DEFAULT_POWER_T), null, 0, true, false,
            "Exponent of invscaling: eta0 / (1 + (t-1)/t0)^power-t.");
    public static final Setting<Double> T0 = Setting.number("model.<name>.t0", "1", null, 0, false, false,
            "Time constant t0 of invscaling.");
    public static final Setting<Integer> HASH_BITS = Setting.integer("model.<name>.hash-bits",
            FeatureHasher.DEFAULT_BITS, 1, LearnerConfig.MAX_HASH_BITS,
            "The model has 2^hash-bits weight slots; feature names are hashed into them.");
    public static final Setting<Long> SNAPSHOT_EVENTS = Setting.longInteger("model.<name>.snapshot.events", 100_000,
            0, Long.MAX_VALUE, "Snapshot the model every this many trained events (0: never by count).");
    public static final Setting<Long> SNAPSHOT_INTERVAL_MS = Setting.longInteger("model.<name>.snapshot.interval.ms",
            60_000, 0, Long.MAX_VALUE, "Snapshot the model every this many milliseconds of wall-clock time (0: never by time).");

    /** The global keys, in the order of the reference. */
    public static final List<Setting<?>> GLOBAL = List.of(BOOTSTRAP_SERVERS, APPLICATION_ID, STATE_DIR,
            TOPICS_EVENTS, TOPICS_PREDICTIONS, TOPICS_MODELS, TOPICS_DEAD_LETTERS, TOPICS_PARTITIONS,
            TOPICS_REPLICATION, MODELS, MODELS_DEFAULT, INPUT_KEYED_BY_MODEL, STORE, TRAINING_THREAD, MAX_FEATURES,
            MAX_RECORD_BYTES, SNAPSHOT_PART_BYTES, METRICS_HOST, METRICS_PORT, STARTUP_TIMEOUT_MS, SHUTDOWN_TIMEOUT_MS);

    /** The per-model keys, {@code model.<name>.*}, in the order of the reference. */
    public static final List<Setting<?>> MODEL_KEYS = List.of(LOSS, L1, L2, TRUNCATE_EVERY, THETA, SCHEDULE,
            LEARNING_RATE, POWER_T, T0, HASH_BITS, SNAPSHOT_EVENTS, SNAPSHOT_INTERVAL_MS);

    /**
     * Kafka settings the service sets itself from its own keys: given under {@code kafka.} they
     * would silently compete with them.
     */
    static final List<String> RESERVED_KAFKA_SETTINGS = List.of("application.id", "bootstrap.servers", "state.dir");

    private ConfigKeys() {
    }

    /**
     * The environment variable that overrides {@code key}: {@code STREAMSGD_} + the key in upper
     * case with every '.' and '-' replaced by '_' ({@code model.l1.truncate-every} is
     * {@code STREAMSGD_MODEL_L1_TRUNCATE_EVERY}).
     */
    public static String envName(String key) {
        StringBuilder b = new StringBuilder(ENV_PREFIX.length() + key.length()).append(ENV_PREFIX);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            b.append(c == '.' || c == '-' ? '_' : Character.toUpperCase(c));
        }
        return b.toString();
    }
}
