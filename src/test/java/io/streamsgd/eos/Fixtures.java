package io.streamsgd.eos;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.SyntheticEvents;
import io.streamsgd.testkit.Oracle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the exactly-once tests share: service settings, event streams, producing, and the exactly-once checks. */
final class Fixtures {
    /** Bound on any one wait of these tests; generous, as CI shares two cores with the broker and the services. */
    static final Duration LONG = Duration.ofMinutes(10);
    static final Duration READ = Duration.ofMinutes(2);

    private Fixtures() {
    }

    /**
     * Settings of one service: its own application id, state directory and output topics (all
     * prefixed), one-partition topics when it creates them, no time-based snapshots (so snapshot
     * versions and their contents are deterministic), and a short consumer session so that a
     * SIGKILLed member leaves the group in seconds rather than the default 45 s.
     */
    static Properties service(String bootstrap, String appId, String eventsTopic, String outputPrefix, Path stateDir) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("application.id", appId);
        p.put("state.dir", stateDir.toString());
        p.put("topics.events", eventsTopic);
        p.put("topics.predictions", outputPrefix + "predictions");
        p.put("topics.models", outputPrefix + "models");
        p.put("topics.dead-letters", outputPrefix + "dead-letters");
        p.put("topics.partitions", "1");
        p.put("kafka.session.timeout.ms", "6000");
        p.put("kafka.heartbeat.interval.ms", "1500");
        return p;
    }

    /** Adds a model: {@code settings} are its {@code model.<name>.*} keys without the prefix. */
    static void model(Properties p, String name, long snapshotEvents, String... settings) {
        String models = p.getProperty("models");
        p.put("models", models == null ? name : models + "," + name);
        p.put("model." + name + ".snapshot.events", String.valueOf(snapshotEvents));
        p.put("model." + name + ".snapshot.interval.ms", "0");
        for (int i = 0; i < settings.length; i += 2) {
            p.put("model." + name + "." + settings[i], settings[i + 1]);
        }
    }

    /** {@code n} synthetic labeled events ({@code e-1} ...), as JSON strings. */
    static List<String> synthetic(long seed, int n, SyntheticEvents.Shape shape) {
        SyntheticEvents source = new SyntheticEvents(seed, shape);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new String(source.next(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** A batching, idempotent producer of raw bytes, allowed records up to 8 MiB. */
    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends every value (key {@code key}, may be null) and waits until all are acknowledged. */
    static void produce(String bootstrap, String topic, String key, List<String> values) {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (String v : values) {
                sent.add(producer.send(new ProducerRecord<>(topic, key, v.getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(5, TimeUnit.MINUTES);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("producing to " + topic + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Exactly once: {@code predictions} hold one prediction per (event, model) for exactly the
     * given events of each model, none missing, none doubled, and each equals learn's
     * prediction for that event bit for bit.
     */
    static void assertExactlyOncePredictions(List<Prediction> predictions, Map<String, Oracle.Learned> learnedByModel,
                                             String what) {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        for (Prediction p : predictions) {
            counts.computeIfAbsent(p.model(), m -> new HashMap<>()).merge(p.id(), 1, Integer::sum);
        }
        assertThat(counts.keySet()).as("%s: models with predictions", what).isEqualTo(learnedByModel.keySet());
        learnedByModel.forEach((model, learned) -> {
            Map<String, Integer> c = counts.get(model);
            List<String> doubled = c.entrySet().stream().filter(e -> e.getValue() > 1)
                    .map(e -> e.getKey() + " x" + e.getValue()).limit(20).toList();
            assertThat(doubled).as("%s: %s predictions that appear more than once", what, model).isEmpty();
            List<String> missing = learned.predictions().keySet().stream().filter(id -> !c.containsKey(id)).limit(20)
                    .toList();
            assertThat(missing).as("%s: %s events without a prediction", what, model).isEmpty();
            List<String> extra = c.keySet().stream().filter(id -> !learned.predictions().containsKey(id)).limit(20)
                    .toList();
            assertThat(extra).as("%s: %s predictions of events learn did not see", what, model).isEmpty();
        });
        for (Prediction p : predictions) {
            Oracle.assertSamePrediction(p, learnedByModel.get(p.model()).predictions().get(p.id()));
        }
    }
}
