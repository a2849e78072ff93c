package io.streamsgd.cli;

import static io.streamsgd.testkit.Http.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.codec.SyntheticEvents;
import io.streamsgd.learn.ModelSnapshot;
import io.streamsgd.stream.SnapshotReader;
import io.streamsgd.testkit.ChildProcess;
import io.streamsgd.testkit.Http;
import io.streamsgd.testkit.SharedBroker;
import io.streamsgd.testkit.TestClients;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/streamsgd.jar run --config FILE} against the shared broker, configured
 * by a file and an environment variable, stopped with SIGTERM as an orchestrator stops it.
 */
class RunCommandIT {
    private static final int EVENTS = 500;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** 128 + SIGTERM: the JVM ran its shutdown hooks and exited because of the signal. */
    private static final int EXIT_ON_SIGTERM = 143;

    @Test
    void shouldServeUntilSigtermThenWriteAFinalSnapshot(@TempDir Path tmp) throws Exception {
        String prefix = "run-it-";
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        Path config = tmp.resolve("streamsgd.properties");
        Files.writeString(config, String.join("\n",
                "bootstrap.servers=" + SharedBroker.bootstrapServers(),
                "application.id=" + prefix + "app",
                "state.dir=" + tmp.resolve("state"),
                "topics.events=" + prefix + "events",
                "topics.predictions=" + prefix + "predictions",
                "topics.models=" + prefix + "models",
                "topics.dead-letters=" + prefix + "dead-letters",
                "topics.partitions=1",
                "models=m",
                // No periodic snapshot: the one on the topic at the end is the shutdown's.
                "model.m.snapshot.events=0",
                "model.m.snapshot.interval.ms=0",
                "metrics.port=" + port, ""), StandardCharsets.UTF_8);
        long begin = System.nanoTime();
        try (ChildProcess run = ChildProcess.startJar(tmp, "768m", Map.of("STREAMSGD_MODEL_M_L1", "0.001"),
                "run", "--config", config.toString())) {
            run.awaitStderrLine(l -> l.contains("streamsgd running in"), TIMEOUT);
            System.out.printf("RunCommandIT: running after %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
            assertThat(run.stderr()).as("the environment overrides the file's default").contains("model.m.l1=0.001");
            assertThat(Http.get(port, "/health").statusCode()).isEqualTo(200);

            SyntheticEvents events = SyntheticEvents.withDefaultShape(1);
            try (KafkaProducer<String, String> producer = TestClients.producer(SharedBroker.bootstrapServers())) {
                for (int i = 0; i < EVENTS; i++) {
                    producer.send(new ProducerRecord<>(prefix + "events", new String(events.next(), StandardCharsets.UTF_8)));
                }
            }
            assertThat(TestClients.readCommitted(SharedBroker.bootstrapServers(), prefix + "predictions", EVENTS, TIMEOUT))
                    .hasSize(EVENTS);
            String scrape = Http.get(port, "/metrics").body();
            assertThat(sample(scrape, "streamsgd_events_total", "model=\"m\",outcome=\"trained\"")).isEqualTo(EVENTS);
            assertThat(sample(scrape, "streamsgd_model_version", "model=\"m\"")).isZero();

            run.process().destroy(); // SIGTERM
            assertThat(run.awaitExit(Duration.ofSeconds(60))).isEqualTo(EXIT_ON_SIGTERM);
            assertThat(run.stderr()).contains("Final snapshots written").contains("Kafka Streams closed");
        }
        ModelSnapshot last = SnapshotReader.latest(SharedBroker.bootstrapServers(), prefix + "models", "m", TIMEOUT)
                .orElseThrow(() -> new AssertionError("no snapshot after SIGTERM"));
        assertThat(last.version()).isEqualTo(1);
        assertThat(last.events()).isEqualTo(EVENTS);
        assertThat(last.hyperparameters()).containsEntry("l1", "0.001");
    }

    @Test
    void aBadValueShouldStopTheStartNamingTheKey(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("bad.properties");
        Files.writeString(config, "models=m\nmodel.m.hash-bits=40\n", StandardCharsets.UTF_8);
        try (ChildProcess run = ChildProcess.startJar(tmp, "256m", "run", "--config", config.toString())) {
            assertThat(run.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(run.stderr()).contains("run: invalid value '40' for model.m.hash-bits (file " + config
                    + "): expected an integer in [1, 30]");
        }
    }
}
