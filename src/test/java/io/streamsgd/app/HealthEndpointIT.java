package io.streamsgd.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.stream.SnapshotTrigger;
import io.streamsgd.stream.StreamSgdTopology;
import io.streamsgd.stream.TrainerListener;
import io.streamsgd.testkit.Http;
import io.streamsgd.testkit.SharedBroker;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health} follows a real Kafka Streams instance through its life: 503, 200 while running, 503 after close. */
class HealthEndpointIT {
    @Test
    void healthShouldFlipWithTheKafkaStreamsState(@TempDir Path tmp) throws Exception {
        String prefix = "health-it-";
        Properties p = SharedBroker.serviceSettings(prefix, tmp);
        ServiceConfig config = ServiceConfig.of(p, "test", Map.of());
        SharedBroker.createTopics(prefix + "events", prefix + "predictions", prefix + "models", prefix + "dead-letters");
        KafkaStreams streams = new KafkaStreams(
                StreamSgdTopology.buildTopology(config.topology(), TrainerListener.NONE, new SnapshotTrigger()),
                config.streamsProperties());
        try (HttpEndpoints http = new HttpEndpoints("127.0.0.1", 0, () -> "", "text/plain", streams::state)) {
            assertHealth(http, 503, "CREATED");
            streams.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertHealth(http, 200, "RUNNING");
            assertThat(streams.close(Duration.ofSeconds(30))).isTrue();
            assertHealth(http, 503, "NOT_RUNNING");
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }

    private static void assertHealth(HttpEndpoints http, int status, String state) throws Exception {
        HttpResponse<String> response = Http.get(http.port(), "/health");
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(state + "\n");
    }
}
