package io.streamsgd.app;

import io.streamsgd.codec.ReadLimits;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.learn.Loss;
import io.streamsgd.learn.Regularization;
import io.streamsgd.learn.Schedule;
import io.streamsgd.stream.ModelSpec;
import io.streamsgd.stream.ModelStoreRocksDbConfig;
import io.streamsgd.stream.TopologyConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The service's configuration, read from a properties file and the environment, validated as a
 * whole: {@link #load} either returns a usable configuration or throws a {@link ConfigException}
 * naming the key, where its value came from and what is accepted. Every key is defined in
 * {@link ConfigKeys}.
 *
 * <p>Rules:
 * <ul>
 *   <li>An environment variable {@code STREAMSGD_<KEY>} ({@link ConfigKeys#envName}) overrides
 *       the file's value of that key, per-model keys of the configured models included.</li>
 *   <li>{@code kafka.<setting>} passes a Kafka client or Streams setting through. One given
 *       only in the environment, {@code STREAMSGD_KAFKA_SASL_MECHANISM}, is read as
 *       {@code kafka.sasl.mechanism}: Kafka's own keys are lower case and dotted.</li>
 *   <li>An unknown key in the file, or a per-model key of a model not in {@code models}, is an
 *       error (a typo must not silently leave a default in force). Unknown {@code STREAMSGD_*}
 *       variables are reported by {@link #warnings()} only: environments carry unrelated ones.</li>
 * </ul>
 * Immutable.
 */
public final class ServiceConfig {
    private static final String FILE_NONE = "defaults";

    private final Map<String, String> effective = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, String> kafka = new TreeMap<>();
    private final String bootstrapServers;
    private final String applicationId;
    private final String stateDir;
    private final int partitions;
    private final short replication;
    private final String metricsHost;
    private final int metricsPort;
    private final Duration startupTimeout;
    private final Duration shutdownTimeout;
    private final TopologyConfig topology;

    private ServiceConfig(ConfigSource source) {
        bootstrapServers = get(source, ConfigKeys.BOOTSTRAP_SERVERS);
        applicationId = get(source, ConfigKeys.APPLICATION_ID);
        stateDir = get(source, ConfigKeys.STATE_DIR);
        partitions = get(source, ConfigKeys.TOPICS_PARTITIONS);
        replication = get(source, ConfigKeys.TOPICS_REPLICATION);
        metricsHost = get(source, ConfigKeys.METRICS_HOST);
        metricsPort = get(source, ConfigKeys.METRICS_PORT);
        startupTimeout = Duration.ofMillis(get(source, ConfigKeys.STARTUP_TIMEOUT_MS));
        shutdownTimeout = Duration.ofMillis(get(source, ConfigKeys.SHUTDOWN_TIMEOUT_MS));

        List<String> models = get(source, ConfigKeys.MODELS);
        checkEnvNamesDistinct(models);
        List<String> defaults = Optional.ofNullable(get(source, ConfigKeys.MODELS_DEFAULT)).orElse(models);
        for (String name : defaults) {
            if (!models.contains(name)) {
                throw new ConfigException("models.default names '" + name + "', which is not in models " + models);
            }
        }
        Map<String, ModelSpec> specs = new LinkedHashMap<>();
        for (String name : models) {
            specs.put(name, modelSpec(source, name));
        }
        ReadLimits limits = new ReadLimits(get(source, ConfigKeys.MAX_RECORD_BYTES), get(source, ConfigKeys.MAX_FEATURES),
                ReadLimits.DEFAULT_MAX_DEPTH);
        TopologyConfig.StoreBackend store = get(source, ConfigKeys.STORE).equals("in-memory")
                ? TopologyConfig.StoreBackend.IN_MEMORY : TopologyConfig.StoreBackend.ROCKSDB;
        topology = new TopologyConfig(get(source, ConfigKeys.TOPICS_EVENTS), get(source, ConfigKeys.TOPICS_PREDICTIONS),
                get(source, ConfigKeys.TOPICS_MODELS), get(source, ConfigKeys.TOPICS_DEAD_LETTERS), specs, defaults,
                get(source, ConfigKeys.INPUT_KEYED_BY_MODEL), store, limits, get(source, ConfigKeys.SNAPSHOT_PART_BYTES),
                get(source, ConfigKeys.TRAINING_THREAD));
        checkTopicsDistinct();

        readKafkaSettings(source);
        checkUnknownFileKeys(source, models);
        warnUnknownEnvironment(source, models);
    }

    /**
     * Reads {@code file} (UTF-8 properties) and overrides from {@code env}.
     *
     * @throws ConfigException if the file cannot be read or the configuration is not valid
     */
    public static ServiceConfig load(Path file, Map<String, String> env) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) { // a malformed \\uXXXX escape is an IAE
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        return of(properties, "file " + file, env);
    }

    /**
     * A configuration from properties (as if read from a file called {@code origin}) and
     * environment overrides.
     *
     * @throws ConfigException if the configuration is not valid
     */
    public static ServiceConfig of(Properties properties, String origin, Map<String, String> env) {
        Map<String, String> file = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            file.put(key, properties.getProperty(key));
        }
        return new ServiceConfig(new ConfigSource(file, origin, env));
    }

    /** Defaults and {@code env} only, no file. */
    public static ServiceConfig fromEnvironment(Map<String, String> env) {
        return new ServiceConfig(new ConfigSource(Map.of(), FILE_NONE, env));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String applicationId() {
        return applicationId;
    }

    /** The state directory, or null for Kafka Streams' default. */
    public String stateDir() {
        return stateDir;
    }

    public int partitions() {
        return partitions;
    }

    /** -1 for the broker's default. */
    public short replication() {
        return replication;
    }

    public String metricsHost() {
        return metricsHost;
    }

    public int metricsPort() {
        return metricsPort;
    }

    public Duration startupTimeout() {
        return startupTimeout;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** What the topology is built from: topics, models, limits, store. */
    public TopologyConfig topology() {
        return topology;
    }

    /** The {@code kafka.*} settings without the prefix. */
    public Map<String, String> kafkaSettings() {
        return Collections.unmodifiableMap(kafka);
    }

    /**
     * The producer's {@code batch.size}: 256 KiB instead of 16 KiB. The producer wakes its I/O
     * thread at every send while more than one batch waits for a partition, which with 16 KiB
     * batches of predictions was most sends (a native write per event on the stream thread);
     * the end-to-end benchmark measured 33,000 against 43,000 events/s for one L1 model (one
     * round each, bench/E2E.md). Memory: at most one open batch per partition written to.
     */
    public static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    /**
     * The Kafka Streams configuration: application id, bootstrap servers, state directory,
     * {@code processing.guarantee=exactly_once_v2}, {@code replication.factor} from
     * {@code topics.replication}, {@code processing.exception.handler.global.enabled=true}, the
     * producer's {@code max.request.size} and the internal topics' {@code max.message.bytes} from
     * {@link #largestOutputRecordBytes()}, the model store's RocksDB options
     * ({@link ModelStoreRocksDbConfig}: its large values in blob files), then every
     * {@code kafka.*} setting, which wins (so {@code kafka.processing.guarantee=at_least_once}
     * is possible).
     */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (stateDir != null) {
            p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        }
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, String.valueOf(replication));
        // The topology has no global stores; saying so explicitly stops a warning at every start
        // (it becomes the default in Kafka 5.0).
        p.put("processing.exception.handler.global.enabled", "true");
        // Room for the largest record the topology writes (see largestOutputRecordBytes): with
        // Kafka's 1 MiB defaults a valid event near max.record.bytes fails its send to the
        // repartition topic, and the stream thread dies on the same record after every restart.
        String largest = String.valueOf(largestOutputRecordBytes());
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), largest);
        p.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), largest); // internal topics
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), String.valueOf(PRODUCER_BATCH_BYTES));
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, ModelStoreRocksDbConfig.class.getName());
        p.putAll(kafka);
        return p;
    }

    /**
     * The largest record the service may write, in bytes, with headroom for keys, headers and
     * batch overhead: a routed event (at most {@code max.record.bytes}), a prediction (it echoes the
     * event's id, bounded by the event, in its key and its value), a snapshot part
     * ({@code snapshot.part.bytes}) or a dead letter (64 KiB of the original). Used as the
     * producer's {@code max.request.size} and the {@code max.message.bytes} of the topics the
     * service or Kafka Streams create; {@code kafka.*} settings override both.
     */
    public int largestOutputRecordBytes() {
        long largest = Math.max(2L * topology.limits().maxRecordBytes(), topology.maxSnapshotPartBytes()) + 64 * 1024;
        return (int) Math.min(Integer.MAX_VALUE, largest);
    }

    /**
     * Settings of the topics the service creates when they are missing: {@code max.message.bytes}
     * large enough for {@link #largestOutputRecordBytes()}. Existing topics are left as they are.
     */
    public Map<String, String> createdTopicConfigs() {
        return Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(largestOutputRecordBytes()));
    }

    /**
     * The configuration of the admin client that creates topics: bootstrap servers and the
     * {@code kafka.*} settings an admin client knows (security ones included), then
     * {@code kafka.admin.*} ones without their {@code admin.} prefix, as Kafka Streams reads them.
     */
    public Map<String, Object> adminConfig() {
        Map<String, Object> config = new HashMap<>();
        Set<String> known = AdminClientConfig.configNames();
        kafka.forEach((k, v) -> {
            if (known.contains(k)) {
                config.put(k, v);
            }
        });
        kafka.forEach((k, v) -> {
            if (k.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
                config.put(k.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()), v);
            }
        });
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, applicationId + "-topic-admin");
        return config;
    }

    /**
     * Every setting in force with its value, sorted, for the start-up log. Values of Kafka
     * settings that may hold secrets (passwords, JAAS configurations, keys) are hidden.
     */
    public Map<String, String> effectiveSettings() {
        Map<String, String> all = new TreeMap<>(effective);
        kafka.forEach((k, v) -> all.put(ConfigKeys.KAFKA_PREFIX + k, isSecret(k) ? "[hidden]" : v));
        return Collections.unmodifiableMap(all);
    }

    /** Problems that do not stop the service, e.g. an unknown {@code STREAMSGD_*} variable. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    private <T> T get(ConfigSource source, Setting<T> setting) {
        return get(source, setting, setting.key());
    }

    private <T> T get(ConfigSource source, Setting<T> setting, String key) {
        Optional<ConfigSource.Value> value = source.get(key);
        T parsed;
        if (value.isPresent()) {
            parsed = setting.parse(key, value.get().text(), value.get().origin());
        } else if (setting.defaultValue() != null) {
            parsed = setting.parse(key, setting.defaultValue(), "default");
        } else {
            return null;
        }
        effective.put(key, parsed instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(parsed));
        return parsed;
    }

    private ModelSpec modelSpec(ConfigSource source, String name) {
        String prefix = ConfigKeys.MODEL_PREFIX + name + ".";
        Schedule.Kind kind = Schedule.Kind.parse(get(source, ConfigKeys.SCHEDULE, ConfigKeys.SCHEDULE.keyFor(name)));
        Double learningRate = get(source, ConfigKeys.LEARNING_RATE, ConfigKeys.LEARNING_RATE.keyFor(name));
        if (learningRate == null) {
            learningRate = kind.defaultLearningRate();
            effective.put(ConfigKeys.LEARNING_RATE.keyFor(name), String.valueOf(learningRate));
        }
        try {
            Regularization regularization = new Regularization(
                    get(source, ConfigKeys.L1, ConfigKeys.L1.keyFor(name)),
                    get(source, ConfigKeys.L2, ConfigKeys.L2.keyFor(name)),
                    get(source, ConfigKeys.TRUNCATE_EVERY, ConfigKeys.TRUNCATE_EVERY.keyFor(name)),
                    get(source, ConfigKeys.THETA, ConfigKeys.THETA.keyFor(name)));
            LearnerConfig learner = new LearnerConfig(Loss.parse(get(source, ConfigKeys.LOSS, ConfigKeys.LOSS.keyFor(name))),
                    regularization, kind, learningRate,
                    get(source, ConfigKeys.POWER_T, ConfigKeys.POWER_T.keyFor(name)),
                    get(source, ConfigKeys.T0, ConfigKeys.T0.keyFor(name)),
                    get(source, ConfigKeys.HASH_BITS, ConfigKeys.HASH_BITS.keyFor(name)),
                    false, LearnerConfig.DEFAULT_EPOCH_STEPS);
            return new ModelSpec(name, learner,
                    get(source, ConfigKeys.SNAPSHOT_EVENTS, ConfigKeys.SNAPSHOT_EVENTS.keyFor(name)),
                    get(source, ConfigKeys.SNAPSHOT_INTERVAL_MS, ConfigKeys.SNAPSHOT_INTERVAL_MS.keyFor(name)));
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) { // a rule across keys, e.g. learning-rate * l2 < 1
            throw new ConfigException(prefix + "*: " + e.getMessage());
        }
    }

    private void checkEnvNamesDistinct(List<String> models) {
        Map<String, String> byEnvName = new HashMap<>();
        for (String model : models) {
            String previous = byEnvName.put(ConfigKeys.envName(model), model);
            if (previous != null) {
                throw new ConfigException("models '" + previous + "' and '" + model
                        + "' would share environment variables (STREAMSGD_MODEL_" + ConfigKeys.envName(model)
                        .substring(ConfigKeys.ENV_PREFIX.length()) + "_*): rename one");
            }
        }
    }

    private void checkTopicsDistinct() {
        List<String> topics = List.of(topology.eventsTopic(), topology.predictionsTopic(), topology.modelsTopic(),
                topology.deadLettersTopic());
        if (new HashSet<>(topics).size() != topics.size()) {
            throw new ConfigException("topics.events, topics.predictions, topics.models and topics.dead-letters must be"
                    + " four different topics, got " + topics);
        }
    }

    private void readKafkaSettings(ConfigSource source) {
        Set<String> envNamesOfFileKeys = new HashSet<>();
        for (String key : source.fileKeys()) {
            if (key.startsWith(ConfigKeys.KAFKA_PREFIX)) {
                envNamesOfFileKeys.add(ConfigKeys.envName(key));
                putKafka(key, source.get(key).orElseThrow());
            }
        }
        String envKafkaPrefix = ConfigKeys.envName(ConfigKeys.KAFKA_PREFIX);
        source.envOverrides().forEach((name, value) -> {
            if (name.startsWith(envKafkaPrefix) && name.length() > envKafkaPrefix.length()
                    && !envNamesOfFileKeys.contains(name)) {
                String key = ConfigKeys.KAFKA_PREFIX
                        + name.substring(envKafkaPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                putKafka(key, new ConfigSource.Value(value, "environment variable " + name));
            }
        });
    }

    private void putKafka(String key, ConfigSource.Value value) {
        String setting = key.substring(ConfigKeys.KAFKA_PREFIX.length());
        if (setting.isEmpty()) {
            throw new ConfigException("'" + key + "' (" + value.origin() + ") names no Kafka setting");
        }
        if (ConfigKeys.RESERVED_KAFKA_SETTINGS.contains(setting)) {
            throw new ConfigException(key + " (" + value.origin() + ") is not allowed: set " + setting + " instead");
        }
        kafka.put(setting, value.text().strip());
    }

    private void checkUnknownFileKeys(ConfigSource source, List<String> models) {
        Set<String> known = knownKeys(models);
        for (String key : source.fileKeys()) {
            if (known.contains(key) || key.startsWith(ConfigKeys.KAFKA_PREFIX)) {
                continue;
            }
            String model = modelOfPerModelKey(key);
            if (model != null) {
                throw new ConfigException(key + " (" + source.fileName() + ") configures model '" + model
                        + "', which is not in models " + models);
            }
            throw new ConfigException("unknown key '" + key + "' (" + source.fileName()
                    + "); see `streamsgd run --print-config-reference` for every key");
        }
    }

    private void warnUnknownEnvironment(ConfigSource source, List<String> models) {
        Set<String> knownEnv = new HashSet<>();
        knownKeys(models).forEach(k -> knownEnv.add(ConfigKeys.envName(k)));
        String envKafkaPrefix = ConfigKeys.envName(ConfigKeys.KAFKA_PREFIX);
        for (String name : source.envOverrides().keySet()) {
            if (!knownEnv.contains(name) && !name.startsWith(envKafkaPrefix)) {
                warnings.add("environment variable " + name + " matches no configuration key and is ignored");
            }
        }
    }

    private static Set<String> knownKeys(List<String> models) {
        Set<String> known = new HashSet<>();
        ConfigKeys.GLOBAL.forEach(s -> known.add(s.key()));
        for (String model : models) {
            ConfigKeys.MODEL_KEYS.forEach(s -> known.add(s.keyFor(model)));
        }
        return known;
    }

    /** The model named by a key shaped like a per-model key ({@code model.x.l1}), else null. */
    private static String modelOfPerModelKey(String key) {
        if (!key.startsWith(ConfigKeys.MODEL_PREFIX)) {
            return null;
        }
        for (Setting<?> s : ConfigKeys.MODEL_KEYS) {
            String suffix = s.key().substring(s.key().indexOf(Setting.MODEL_PLACEHOLDER) + Setting.MODEL_PLACEHOLDER.length());
            if (key.endsWith(suffix) && key.length() > ConfigKeys.MODEL_PREFIX.length() + suffix.length()) {
                return key.substring(ConfigKeys.MODEL_PREFIX.length(), key.length() - suffix.length());
            }
        }
        return null;
    }

    private static boolean isSecret(String kafkaSetting) {
        String k = kafkaSetting.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.endsWith(".key")
                || k.contains("token") || k.contains("credential");
    }

    @Override
    public String toString() {
        return "ServiceConfig" + effectiveSettings();
    }
}
