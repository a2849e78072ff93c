package io.streamsgd.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.learn.Loss;
import io.streamsgd.learn.Schedule;
import io.streamsgd.stream.ModelSpec;
import io.streamsgd.stream.ModelStoreRocksDbConfig;
import io.streamsgd.stream.TopologyConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigTest {
    private static ServiceConfig config(Map<String, String> file, Map<String, String> env) {
        Properties p = new Properties();
        p.putAll(file);
        return ServiceConfig.of(p, "file test.properties", env);
    }

    private static ServiceConfig config(Map<String, String> file) {
        return config(file, Map.of());
    }

    @Test
    void shouldApplyDocumentedDefaults() {
        ServiceConfig c = config(Map.of());
        assertThat(c.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(c.applicationId()).isEqualTo("streamsgd");
        assertThat(c.stateDir()).isNull();
        assertThat(c.metricsHost()).isEqualTo("127.0.0.1");
        assertThat(c.metricsPort()).isEqualTo(9404);
        assertThat(c.partitions()).isEqualTo(3);
        assertThat(c.replication()).isEqualTo((short) -1);
        TopologyConfig t = c.topology();
        assertThat(t.eventsTopic()).isEqualTo("streamsgd.events");
        assertThat(t.predictionsTopic()).isEqualTo("streamsgd.predictions");
        assertThat(t.modelsTopic()).isEqualTo("streamsgd.models");
        assertThat(t.deadLettersTopic()).isEqualTo("streamsgd.dead-letters");
        assertThat(t.models()).containsOnlyKeys("model");
        assertThat(t.defaultModels()).containsExactly("model");
        assertThat(t.inputKeyedByModel()).isFalse();
        assertThat(t.store()).isEqualTo(TopologyConfig.StoreBackend.ROCKSDB);
        ModelSpec m = t.models().get("model");
        assertThat(m.learner().loss()).isEqualTo(Loss.LOGISTIC);
        assertThat(m.learner().schedule()).isEqualTo(Schedule.Kind.ADAPTIVE);
        assertThat(m.learner().learningRate()).isEqualTo(Schedule.Kind.ADAPTIVE.defaultLearningRate());
        assertThat(m.learner().hashBits()).isEqualTo(24);
        assertThat(m.learner().regularization().theta()).isInfinite();
        assertThat(m.snapshotEvents()).isEqualTo(100_000);
        assertThat(m.snapshotIntervalMs()).isEqualTo(60_000);
        Properties streams = c.streamsProperties();
        assertThat(streams.getProperty("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(streams.getProperty("application.id")).isEqualTo("streamsgd");
        assertThat(streams.getProperty("bootstrap.servers")).isEqualTo("127.0.0.1:9092");
        assertThat(streams).doesNotContainKey("state.dir");
        assertThat(streams.getProperty("rocksdb.config.setter")).isEqualTo(ModelStoreRocksDbConfig.class.getName());
    }

    @Test
    void shouldLetKafkaSettingsReplaceTheRocksDbOptions() {
        assertThat(config(Map.of("kafka.rocksdb.config.setter", "com.example.Mine")).streamsProperties())
                .containsEntry("rocksdb.config.setter", "com.example.Mine");
    }

    @Test
    void shouldBuildEveryModelFromItsKeys() {
        ServiceConfig c = config(Map.ofEntries(
                Map.entry("models", "l1, l2,sq"),
                Map.entry("models.default", "l1,l2"),
                Map.entry("model.l1.l1", "1e-5"),
                Map.entry("model.l1.truncate-every", "10"),
                Map.entry("model.l1.theta", "0.5"),
                Map.entry("model.l2.l2", "1e-4"),
                Map.entry("model.l2.schedule", "CONSTANT"),
                Map.entry("model.l2.snapshot.events", "0"),
                Map.entry("model.sq.loss", "squared"),
                Map.entry("model.sq.schedule", "invscaling"),
                Map.entry("model.sq.learning-rate", "0.05"),
                Map.entry("model.sq.power-t", "0.25"),
                Map.entry("model.sq.t0", "100"),
                Map.entry("model.sq.hash-bits", "18"),
                Map.entry("model.sq.snapshot.interval.ms", "5000")));
        TopologyConfig t = c.topology();
        assertThat(t.models()).containsOnlyKeys("l1", "l2", "sq");
        assertThat(t.defaultModels()).containsExactly("l1", "l2");
        ModelSpec l1 = t.models().get("l1");
        assertThat(l1.learner().regularization().l1()).isEqualTo(1e-5);
        assertThat(l1.learner().regularization().truncateEvery()).isEqualTo(10);
        assertThat(l1.learner().regularization().theta()).isEqualTo(0.5);
        ModelSpec l2 = t.models().get("l2");
        assertThat(l2.learner().regularization().l2()).isEqualTo(1e-4);
        assertThat(l2.learner().schedule()).isEqualTo(Schedule.Kind.CONSTANT);
        assertThat(l2.learner().learningRate()).as("the constant schedule's own default rate").isEqualTo(0.1);
        assertThat(l2.snapshotEvents()).isZero();
        ModelSpec sq = t.models().get("sq");
        assertThat(sq.learner().loss()).isEqualTo(Loss.SQUARED);
        assertThat(sq.learner().learningRate()).isEqualTo(0.05);
        assertThat(sq.learner().powerT()).isEqualTo(0.25);
        assertThat(sq.learner().t0()).isEqualTo(100);
        assertThat(sq.learner().hashBits()).isEqualTo(18);
        assertThat(sq.snapshotIntervalMs()).isEqualTo(5000);
        assertThat(c.effectiveSettings()).containsEntry("model.l2.learning-rate", "0.1")
                .containsEntry("models", "l1,l2,sq");
    }

    @Test
    void shouldNameTheKeyOriginAndRangeOfABadValue() {
        assertThatThrownBy(() -> config(Map.of("metrics.port", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid value '70000' for metrics.port (file test.properties): expected an integer in [0, 65535]");
        assertThatThrownBy(() -> config(Map.of("topics.partitions", "many")))
                .hasMessageContaining("topics.partitions").hasMessageContaining("[1, 10000]");
        assertThatThrownBy(() -> config(Map.of("models", "a,b", "model.b.l1", "-1")))
                .hasMessage("invalid value '-1' for model.b.l1 (file test.properties): expected a finite number >= 0");
        assertThatThrownBy(() -> config(Map.of("model.model.theta", "0")))
                .hasMessageContaining("model.model.theta").hasMessageContaining("> 0, or Infinity");
        assertThatThrownBy(() -> config(Map.of("model.model.l2", "NaN"))).hasMessageContaining("model.model.l2");
        assertThatThrownBy(() -> config(Map.of("model.model.schedule", "fast")))
                .hasMessageContaining("model.model.schedule").hasMessageContaining("adaptive, adagrad, invscaling, constant");
        assertThatThrownBy(() -> config(Map.of("store", "redis")))
                .hasMessageContaining("store").hasMessageContaining("rocksdb, in-memory");
        assertThatThrownBy(() -> config(Map.of("input.keyed-by-model", "yes")))
                .hasMessageContaining("input.keyed-by-model").hasMessageContaining("true or false");
        assertThatThrownBy(() -> config(Map.of("topics.replication", "0")))
                .hasMessageContaining("topics.replication").hasMessageContaining("-1");
        assertThatThrownBy(() -> config(Map.of("topics.events", "bad topic")))
                .hasMessageContaining("topics.events");
        assertThatThrownBy(() -> config(Map.of("models", "a,a"))).hasMessageContaining("models");
        assertThatThrownBy(() -> config(Map.of("models", "a.b"))).hasMessageContaining("models");
        assertThatThrownBy(() -> config(Map.of("application.id", "  "))).hasMessageContaining("application.id");
    }

    @Test
    void shouldRejectRulesAcrossKeysNamingTheModel() {
        assertThatThrownBy(() -> config(Map.of("models", "m", "model.m.schedule", "constant",
                "model.m.learning-rate", "2", "model.m.l2", "0.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("model.m.*: learning-rate * l2 must be < 1");
        assertThatThrownBy(() -> config(Map.of("models", "a,b", "models.default", "c")))
                .hasMessage("models.default names 'c', which is not in models [a, b]");
        assertThatThrownBy(() -> config(Map.of("topics.models", "streamsgd.events")))
                .hasMessageContaining("four different topics");
        assertThatThrownBy(() -> config(Map.of("models", "a-b,a_b")))
                .hasMessageContaining("would share environment variables");
    }

    @Test
    void shouldRejectUnknownKeysAndKeysOfUnlistedModels() {
        assertThatThrownBy(() -> config(Map.of("bootstrap.server", "x:1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown key 'bootstrap.server' (file test.properties)");
        assertThatThrownBy(() -> config(Map.of("models", "l1", "model.l2.l2", "0.1")))
                .hasMessage("model.l2.l2 (file test.properties) configures model 'l2', which is not in models [l1]");
        assertThatThrownBy(() -> config(Map.of("kafka.bootstrap.servers", "x:1")))
                .hasMessageContaining("kafka.bootstrap.servers").hasMessageContaining("set bootstrap.servers instead");
    }

    @Test
    void shouldLetEnvironmentVariablesOverrideEveryKey() {
        ServiceConfig c = config(
                Map.of("metrics.port", "1000", "models", "l1", "model.l1.l1", "0.5", "kafka.security.protocol", "SSL"),
                Map.of("STREAMSGD_METRICS_PORT", "2000",
                        "STREAMSGD_BOOTSTRAP_SERVERS", "broker:9093",
                        "STREAMSGD_MODELS", "l1,l2",
                        "STREAMSGD_MODEL_L1_L1", "1e-6",
                        "STREAMSGD_MODEL_L1_TRUNCATE_EVERY", "5",
                        "STREAMSGD_MODEL_L2_SNAPSHOT_INTERVAL_MS", "1000",
                        "STREAMSGD_TOPICS_DEAD_LETTERS", "dlq",
                        "STREAMSGD_INPUT_KEYED_BY_MODEL", "true",
                        "STREAMSGD_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                        "STREAMSGD_KAFKA_SASL_MECHANISM", "PLAIN"));
        assertThat(c.metricsPort()).isEqualTo(2000);
        assertThat(c.bootstrapServers()).isEqualTo("broker:9093");
        assertThat(c.topology().models()).containsOnlyKeys("l1", "l2");
        assertThat(c.topology().models().get("l1").learner().regularization().l1()).isEqualTo(1e-6);
        assertThat(c.topology().models().get("l1").learner().regularization().truncateEvery()).isEqualTo(5);
        assertThat(c.topology().models().get("l2").snapshotIntervalMs()).isEqualTo(1000);
        assertThat(c.topology().deadLettersTopic()).isEqualTo("dlq");
        assertThat(c.topology().inputKeyedByModel()).isTrue();
        assertThat(c.kafkaSettings()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN");
        assertThat(c.streamsProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "broker:9093");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void shouldNameTheEnvironmentVariableOfABadValue() {
        assertThatThrownBy(() -> config(Map.of(), Map.of("STREAMSGD_MODEL_MODEL_HASH_BITS", "31")))
                .hasMessage("invalid value '31' for model.model.hash-bits (environment variable "
                        + "STREAMSGD_MODEL_MODEL_HASH_BITS): expected an integer in [1, 30]");
    }

    @Test
    void shouldWarnAboutUnknownEnvironmentVariables() {
        ServiceConfig c = config(Map.of(), Map.of("STREAMSGD_METRICS_PROT", "1", "HOME", "/root"));
        assertThat(c.warnings()).containsExactly(
                "environment variable STREAMSGD_METRICS_PROT matches no configuration key and is ignored");
    }

    @Test
    void shouldSizeRecordLimitsForTheLargestRecordItWritesUnlessOverridden() {
        // A prediction echoes an id as long as the event: twice max.record.bytes, plus headroom.
        ServiceConfig c = config(Map.of());
        assertThat(c.largestOutputRecordBytes()).isEqualTo(2 * (1 << 20) + 64 * 1024);
        assertThat(c.streamsProperties()).containsEntry("producer.max.request.size", "2162688")
                .containsEntry("topic.max.message.bytes", "2162688");
        assertThat(c.createdTopicConfigs()).containsExactly(Map.entry("max.message.bytes", "2162688"));
        // Snapshot parts larger than two events set the size instead.
        assertThat(config(Map.of("snapshot.part.bytes", String.valueOf(8 << 20))).largestOutputRecordBytes())
                .isEqualTo((8 << 20) + 64 * 1024);
        assertThat(config(Map.of("kafka.producer.max.request.size", "999999")).streamsProperties())
                .containsEntry("producer.max.request.size", "999999");
    }

    @Test
    void shouldPassKafkaSettingsThroughAndGiveTheAdminClientOnlyItsOwn() {
        ServiceConfig c = config(Map.of(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required;",
                "kafka.num.stream.threads", "2",
                "kafka.processing.guarantee", "at_least_once",
                "kafka.admin.request.timeout.ms", "5000",
                "state.dir", "/var/lib/streamsgd",
                "topics.replication", "3"));
        Properties streams = c.streamsProperties();
        assertThat(streams).containsEntry("num.stream.threads", "2")
                .containsEntry("processing.guarantee", "at_least_once")
                .containsEntry("state.dir", "/var/lib/streamsgd")
                .containsEntry("replication.factor", "3")
                .containsEntry("admin.request.timeout.ms", "5000");
        assertThat(c.adminConfig()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("request.timeout.ms", "5000")
                .containsKey("sasl.jaas.config")
                .doesNotContainKey("num.stream.threads")
                .doesNotContainKey("processing.guarantee");
        assertThat(c.effectiveSettings()).containsEntry("kafka.sasl.jaas.config", "[hidden]")
                .containsEntry("kafka.num.stream.threads", "2");
    }

    @Test
    void shouldLoadAFileAndNameAMissingOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("streamsgd.properties");
        Files.writeString(file, "# comment\nmodels = a\nmodel.a.l1 = 1e-4  \nmetrics.port=0\n", StandardCharsets.UTF_8);
        ServiceConfig c = ServiceConfig.load(file, Map.of());
        assertThat(c.topology().models().get("a").learner().regularization().l1()).isEqualTo(1e-4);
        assertThat(c.metricsPort()).isZero();
        assertThatThrownBy(() -> ServiceConfig.load(dir.resolve("missing.properties"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing.properties does not exist");
        Files.writeString(file, "metrics.port=x\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ServiceConfig.load(file, Map.of())).hasMessageContaining("(file " + file + ")");
    }

    @Test
    void envNameShouldUpperCaseAndReplaceDotsAndDashes() {
        assertThat(ConfigKeys.envName("bootstrap.servers")).isEqualTo("STREAMSGD_BOOTSTRAP_SERVERS");
        assertThat(ConfigKeys.envName("model.l1.l1")).isEqualTo("STREAMSGD_MODEL_L1_L1");
        assertThat(ConfigKeys.envName("topics.dead-letters")).isEqualTo("STREAMSGD_TOPICS_DEAD_LETTERS");
    }
}
