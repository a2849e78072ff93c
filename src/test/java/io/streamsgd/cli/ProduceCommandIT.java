package io.streamsgd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.testkit.SharedBroker;
import io.streamsgd.testkit.TestClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamsgd produce} into the shared broker, read back from the topic. */
class ProduceCommandIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int produce(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "produce";
        all[1] = "--bootstrap-servers";
        all[2] = SharedBroker.bootstrapServers();
        System.arraycopy(args, 0, all, 3, args.length);
        return StreamSgd.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
    }

    private JsonNode summary() throws Exception {
        List<String> lines = out.toString().lines().toList();
        return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    }

    @Test
    void shouldConvertLibSvmLinesToJsonEventsAndReportBadLines(@TempDir Path tmp) throws Exception {
        SharedBroker.createTopics("produce-it-libsvm");
        Path file = tmp.resolve("events.libsvm");
        Files.writeString(file, "1 3:0.5 7:1\n-1 3:2\nnot libsvm\n", StandardCharsets.UTF_8);
        assertThat(produce("--topic", "produce-it-libsvm", "--file", file.toString())).as("stderr: %s", err).isZero();
        assertThat(err.toString()).contains("line 3: ");
        JsonNode summary = summary();
        assertThat(summary.path("sent").asLong()).isEqualTo(2);
        assertThat(summary.path("badLines").asLong()).isEqualTo(1);
        assertThat(summary.path("failed").asLong()).isZero();
        List<ConsumerRecord<String, String>> records =
                TestClients.readCommitted(SharedBroker.bootstrapServers(), "produce-it-libsvm", 2, TIMEOUT);
        assertThat(TestClients.values(records)).containsExactly(
                "{\"label\":1,\"features\":{\"3\":0.5,\"7\":1}}",
                "{\"label\":-1,\"features\":{\"3\":2}}");
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isNull());
    }

    @Test
    void shouldSendJsonLinesAsTheyAreSkippingBlankOnes(@TempDir Path tmp) throws Exception {
        SharedBroker.createTopics("produce-it-jsonl");
        Path file = tmp.resolve("events.jsonl");
        String first = "{\"id\":\"a\",\"label\":true,\"features\":{\"x\":\"y\"}}";
        String second = "not even json"; // the service dead-letters it; produce does not judge JSON Lines
        Files.writeString(file, first + "\n\n" + second + "\n", StandardCharsets.UTF_8);
        assertThat(produce("--topic", "produce-it-jsonl", "--file", file.toString())).isZero();
        assertThat(TestClients.values(TestClients.readCommitted(SharedBroker.bootstrapServers(), "produce-it-jsonl", 2,
                TIMEOUT))).containsExactly(first, second);
    }

    @Test
    void syntheticEventsShouldCarryTheModelAsFieldAndKeyAtTheRequestedRate() throws Exception {
        SharedBroker.createTopics("produce-it-synthetic");
        long begin = System.nanoTime();
        assertThat(produce("--topic", "produce-it-synthetic", "--synthetic", "200", "--model", "m", "--rate", "1000"))
                .isZero();
        double seconds = (System.nanoTime() - begin) / 1e9;
        assertThat(seconds).as("200 events at 1000/s take at least 0.19 s").isGreaterThan(0.19);
        List<ConsumerRecord<String, String>> records =
                TestClients.readCommitted(SharedBroker.bootstrapServers(), "produce-it-synthetic", 200, TIMEOUT);
        assertThat(records).hasSize(200);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < records.size(); i++) {
            JsonNode event = json.readTree(records.get(i).value());
            assertThat(records.get(i).key()).isEqualTo("m");
            assertThat(event.path("model").asText()).isEqualTo("m");
            assertThat(event.path("id").asText()).isEqualTo("e-" + (i + 1));
            assertThat(event.path("features").size()).isEqualTo(15);
        }
        assertThat(summary().path("sent").asLong()).isEqualTo(200);
    }

    @Test
    void anUnknownFormatShouldBeAUsageError(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("events.txt");
        Files.writeString(file, "1 a:1\n", StandardCharsets.UTF_8);
        assertThat(produce("--topic", "produce-it-none", "--file", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot tell the event format");
    }
}
