package io.streamsgd.app;

import static io.streamsgd.testkit.Http.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamsgd.cli.StreamSgd;
import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.PredictionJson;
import io.streamsgd.codec.SnapshotJson;
import io.streamsgd.codec.SyntheticEvents;
import io.streamsgd.learn.ModelSnapshot;
import io.streamsgd.stream.SnapshotReader;
import io.streamsgd.testkit.Http;
import io.streamsgd.testkit.SharedBroker;
import io.streamsgd.testkit.TestClients;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service against the shared real broker: events in, predictions out, snapshots readable by
 * the {@code model} command, and {@code /metrics} agreeing with what was consumed.
 */
class StreamSgdServiceIT {
    private static final int EVENTS = 2_000;
    private static final int UNLABELED_EVERY = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static Properties settings(String prefix, Path stateDir) {
        Properties p = SharedBroker.serviceSettings(prefix, stateDir);
        p.put("topics.partitions", "2");
        p.put("models", "l1,l2");
        p.put("model.l1.schedule", "constant");
        p.put("model.l1.l1", "1e-3");
        p.put("model.l2.schedule", "constant");
        p.put("model.l2.l2", "1e-3");
        p.put("model.l1.snapshot.events", "500");
        p.put("model.l2.snapshot.events", "500");
        p.put("metrics.port", "0");
        return p;
    }

    @Test
    void shouldTrainFromEventsAndAgreeWithItsPredictionsSnapshotsAndMetrics(@TempDir Path tmp) throws Exception {
        String prefix = "svc-it-";
        StreamSgdService service = new StreamSgdService(ServiceConfig.of(settings(prefix, tmp), "test", Map.of()));
        try {
            long begin = System.nanoTime();
            service.start();
            log("service started in %d ms", millisSince(begin));
            assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
            int port = service.httpPort();
            HttpResponse<String> health = Http.get(port, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body().strip()).isEqualTo("RUNNING");

            SyntheticEvents events = new SyntheticEvents(7, SyntheticEvents.Shape.DEFAULT.withUnlabeledEvery(UNLABELED_EVERY));
            begin = System.nanoTime();
            try (KafkaProducer<String, String> producer = TestClients.producer(SharedBroker.bootstrapServers())) {
                for (int i = 0; i < EVENTS; i++) {
                    producer.send(new ProducerRecord<>(prefix + "events", null, new String(events.next(), StandardCharsets.UTF_8)));
                }
                producer.send(new ProducerRecord<>(prefix + "events", "not json"));
                producer.send(new ProducerRecord<>(prefix + "events", "{\"model\":\"nope\",\"label\":1,\"features\":{\"a\":1}}"));
                producer.send(new ProducerRecord<>(prefix + "events", "{\"model\":\"l1\",\"label\":7,\"features\":{\"a\":1}}"))
                        .get(30, TimeUnit.SECONDS);
            }
            List<ConsumerRecord<String, String>> records =
                    TestClients.readCommitted(SharedBroker.bootstrapServers(), prefix + "predictions", 2 * EVENTS, TIMEOUT);
            log("%d predictions consumed %d ms after the first event was sent", records.size(), millisSince(begin));
            assertThat(records).hasSize(2 * EVENTS);
            List<ConsumerRecord<String, String>> deadLetters =
                    TestClients.readCommitted(SharedBroker.bootstrapServers(), prefix + "dead-letters", 3, TIMEOUT);
            assertThat(deadLetters).hasSize(3);

            Map<String, List<Prediction>> byModel = new HashMap<>();
            for (ConsumerRecord<String, String> r : records) {
                Prediction p = PredictionJson.read(r.value().getBytes(StandardCharsets.UTF_8));
                assertThat(r.key()).isEqualTo(p.id());
                byModel.computeIfAbsent(p.model(), m -> new ArrayList<>()).add(p);
            }
            assertThat(byModel).containsOnlyKeys("l1", "l2");

            String scrape = Http.get(port, "/metrics").body();
            for (String model : List.of("l1", "l2")) {
                List<Prediction> trained = byModel.get(model).stream().filter(Prediction::trained).toList();
                double lossSum = trained.stream().mapToDouble(Prediction::loss).sum();
                String tag = "model=\"" + model + "\"";
                assertThat(trained).hasSize(EVENTS - EVENTS / UNLABELED_EVERY);
                assertThat(sample(scrape, "streamsgd_progressive_loss_count", tag)).isEqualTo(trained.size());
                assertThat(sample(scrape, "streamsgd_progressive_loss_sum", tag)).isCloseTo(lossSum, within(1e-9 * lossSum));
                assertThat(sample(scrape, "streamsgd_progressive_loss_max", tag))
                        .isEqualTo(trained.stream().mapToDouble(Prediction::loss).max().orElseThrow());
                assertThat(sample(scrape, "streamsgd_events_total", tag + ",outcome=\"trained\"")).isEqualTo(trained.size());
                assertThat(sample(scrape, "streamsgd_events_total", tag + ",outcome=\"predicted\""))
                        .isEqualTo(EVENTS / UNLABELED_EVERY);
                assertThat(sample(scrape, "streamsgd_update_latency_seconds_count", tag)).isEqualTo(EVENTS);
            }
            assertThat(sample(scrape, "streamsgd_events_total", "model=\"l1\",outcome=\"dead_lettered\"")).isEqualTo(1);
            assertThat(sample(scrape, "streamsgd_events_total", "model=\"none\",outcome=\"dead_lettered\"")).isEqualTo(2);
            assertThat(scrape).contains("kafka_stream_thread_commit_total", "jvm_memory_used_bytes", "process_cpu_usage");

            // A snapshot now: the nonzero and version gauges must be those of the snapshot on the topic.
            assertThat(service.snapshotNow(Duration.ofSeconds(30))).isTrue();
            for (String model : List.of("l1", "l2")) {
                ModelSnapshot snapshot = awaitSnapshot(prefix + "models", model, service);
                String tag = "model=\"" + model + "\"";
                String after = Http.get(port, "/metrics").body();
                assertThat(snapshot.events()).isEqualTo(EVENTS - EVENTS / UNLABELED_EVERY);
                assertThat(sample(after, "streamsgd_model_nonzero_weights", tag)).isEqualTo(snapshot.nonzeros());
                assertThat(sample(after, "streamsgd_model_weight_l1_norm", tag)).isEqualTo(snapshot.l1Norm());
                assertThat(sample(after, "streamsgd_model_weight_l2_norm", tag)).isEqualTo(snapshot.l2Norm());
                assertThat(sample(after, "streamsgd_snapshot_last_timestamp_seconds", tag))
                        .isEqualTo(snapshot.timestampMillis() / 1000.0);
                assertThat(byModel.get(model).stream().mapToLong(Prediction::modelVersion).max().orElseThrow())
                        .as("predictions carry versions up to the snapshot's").isLessThan(snapshot.version());
                assertThat(sample(after, "streamsgd_progressive_accuracy", tag)).isBetween(0.6, 1.0);
            }
            ModelSnapshot l1 = SnapshotReader.latest(SharedBroker.bootstrapServers(), prefix + "models", "l1", TIMEOUT).orElseThrow();
            ModelSnapshot l2 = SnapshotReader.latest(SharedBroker.bootstrapServers(), prefix + "models", "l2", TIMEOUT).orElseThrow();
            assertThat(l1.nonzeros()).as("L1 truncation keeps fewer weights than L2 decay").isLessThan(l2.nonzeros() / 2);

            checkModelCommand(prefix + "models", l1, tmp.resolve("l1.json"));
        } finally {
            int port = service.httpPort();
            service.stop();
            assertThat(service.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
            assertConnectionRefused(port);
        }
        ModelSnapshot last = SnapshotReader.latest(SharedBroker.bootstrapServers(), prefix + "models", "l1", TIMEOUT).orElseThrow();
        assertThat(last.events()).as("the final snapshot on stop").isEqualTo(EVENTS - EVENTS / UNLABELED_EVERY);
    }

    /** {@code streamsgd model} prints the snapshot and writes it in the form of {@code learn --snapshot-out}. */
    private static void checkModelCommand(String topic, ModelSnapshot expected, Path output) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = StreamSgd.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("model", "--bootstrap-servers", SharedBroker.bootstrapServers(), "--topic", topic,
                        "--name", "l1", "--top", "3", "--output", output.toString());
        assertThat(code).as("model exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).startsWith("model l1  version " + expected.version() + "  events "
                        + String.format(Locale.ROOT, "%,d", expected.events()))
                .contains("nonzeros " + String.format(Locale.ROOT, "%,d", expected.nonzeros()))
                .contains("top 3 weights by magnitude:");
        ModelSnapshot written = SnapshotJson.read(Files.readAllBytes(output));
        assertThat(written.version()).isEqualTo(expected.version());
        assertThat(written.nonzeros()).isEqualTo(expected.nonzeros());
        assertThat(written.bias()).isEqualTo(expected.bias());
        assertThat(written.weights()).hasSize(expected.weights().size());
        Map<String, Double> weights = new HashMap<>();
        expected.weights().forEach(w -> weights.put(w.name(), w.value()));
        written.weights().forEach(w -> assertThat(w.value()).isEqualTo(weights.get(w.name())));
    }

    /** The newest complete snapshot once its version is the one the gauges report. */
    private static ModelSnapshot awaitSnapshot(String topic, String model, StreamSgdService service)
            throws InterruptedException {
        long version = service.metrics().training().latest(model).orElseThrow().version();
        Optional<ModelSnapshot> s = SnapshotReader.awaitVersion(SharedBroker.bootstrapServers(), topic, model, version,
                TIMEOUT);
        assertThat(s).as("snapshot version %d of %s", version, model).isPresent();
        assertThat(s.get().version()).as("newest snapshot of %s", model).isEqualTo(version);
        return s.get();
    }

    private static void assertConnectionRefused(int port) throws InterruptedException {
        try {
            HttpResponse<String> response = Http.get(port, "/health");
            throw new AssertionError("the HTTP server still answers after stop: " + response.statusCode());
        } catch (ConnectException expected) {
            // the port is released
        } catch (IOException e) {
            throw new AssertionError("expected a refused connection, got " + e, e);
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "StreamSgdServiceIT: " + format + "%n", args);
    }
}
