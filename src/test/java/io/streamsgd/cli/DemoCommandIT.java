package io.streamsgd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.testkit.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar target/streamsgd.jar demo --events 20000}, as the README tells users to run it. */
class DemoCommandIT {
    private static final int EVENTS = 20_000;

    @Test
    void shouldTrainBothModelsOnTheWholeStreamAndEndWithTheSummary(@TempDir Path tmp) throws Exception {
        long begin = System.nanoTime();
        try (ChildProcess demo = ChildProcess.startJar(tmp, "1g", "demo", "--events", String.valueOf(EVENTS),
                "--metrics-port", "0")) {
            int exit = demo.awaitExit(Duration.ofMinutes(6));
            System.out.printf(Locale.ROOT, "DemoCommandIT: demo --events %d took %d ms%n", EVENTS,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
            assertThat(exit).as("exit code; stderr:%n%s", ChildProcess.tail(demo.stderr())).isZero();
            List<String> lines = demo.stdout().lines().toList();
            assertThat(lines).as("stdout").isNotEmpty();
            JsonNode summary = new ObjectMapper().readTree(lines.get(lines.size() - 1));
            assertThat(summary.path("produced").asLong()).isEqualTo(EVENTS);
            assertThat(summary.path("truth").path("features").asInt()).isEqualTo(100_000);
            assertThat(summary.path("truth").path("relevant").asInt()).isEqualTo(50);
            JsonNode l1 = summary.path("models").path("l1");
            JsonNode l2 = summary.path("models").path("l2");
            for (JsonNode model : List.of(l1, l2)) {
                assertThat(model.path("events").asLong()).isEqualTo(EVENTS);
                // Coin-flipping scores ln 2 = 0.693; the truth is learnable well below that.
                assertThat(model.path("meanLoss").asDouble()).isBetween(0.1, 0.45);
                assertThat(model.path("version").asLong()).isPositive();
                assertThat(model.path("relevantFound").asInt()).isGreaterThanOrEqualTo(45);
            }
            assertThat(l1.path("nonzeros").asLong()).as("L1 keeps a small fraction of L2's weights")
                    .isLessThan(l2.path("nonzeros").asLong() / 5);
            String stderr = demo.stderr();
            assertThat(stderr).contains("metrics at http://127.0.0.1:").contains("produced " + String.format(Locale.ROOT,
                    "%,d/%,d", EVENTS, EVENTS));
            assertThat(stderr.lines().filter(l -> l.contains(" ERROR "))).as("no errors logged").isEmpty();
        }
    }
}
