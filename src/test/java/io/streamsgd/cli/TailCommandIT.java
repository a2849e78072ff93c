package io.streamsgd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.PredictionJson;
import io.streamsgd.testkit.SharedBroker;
import io.streamsgd.testkit.TestClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** {@code streamsgd tail} reads only committed predictions and keeps running figures per model. */
class TailCommandIT {
    private static ProducerRecord<String, String> record(String topic, Prediction p) {
        return new ProducerRecord<>(topic, p.id(), new String(PredictionJson.toBytes(p), StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintCommittedPredictionsWithRunningLossAndAccuracy() throws Exception {
        String topic = "tail-it-predictions";
        SharedBroker.createTopics(topic);
        try (KafkaProducer<String, String> producer =
                     TestClients.transactionalProducer(SharedBroker.bootstrapServers(), "tail-it")) {
            producer.beginTransaction();
            producer.send(record(topic, new Prediction("e-1", "a", 1, 2.0, 0.88, 1, 0.127, true)));
            producer.send(record(topic, new Prediction("e-2", "a", 1, 1.0, 0.73, 0, 1.313, true)));
            producer.send(record(topic, new Prediction("e-3", "a", 1, -1.0, 0.27, Double.NaN, Double.NaN, false)));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(record(topic, new Prediction("aborted", "a", 1, 5.0, 0.99, 1, 0.01, true)));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(record(topic, new Prediction("e-4", "b", 2, -3.0, 0.05, 0, 0.049, true)));
            producer.commitTransaction();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = StreamSgd.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("tail", "--bootstrap-servers", SharedBroker.bootstrapServers(), "--topic", topic,
                        "--from-beginning", "--max", "4");
        assertThat(code).as("stderr: %s", err).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo("a v1 e-1 p=0.8800 y=1 loss=0.1270 | n=1 loss 0.12700 acc 1.0000");
        assertThat(lines.get(1)).isEqualTo("a v1 e-2 p=0.7300 y=0 loss=1.3130 | n=2 loss 0.72000 acc 0.5000");
        assertThat(lines.get(2)).isEqualTo("a v1 e-3 p=0.2700 (predict only) | n=2 loss 0.72000 acc 0.5000");
        assertThat(lines.get(3)).isEqualTo("b v2 e-4 p=0.0500 y=0 loss=0.0490 | n=1 loss 0.04900 acc 1.0000");
        assertThat(out.toString()).doesNotContain("aborted");
        JsonNode summary = new ObjectMapper().readTree(lines.get(4));
        assertThat(summary.path("models").path("a").path("predictions").asLong()).isEqualTo(3);
        assertThat(summary.path("models").path("a").path("trained").asLong()).isEqualTo(2);
        assertThat(summary.path("models").path("a").path("meanLoss").asDouble()).isCloseTo(0.72, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(summary.path("models").path("a").path("accuracy").asDouble()).isEqualTo(0.5);
        assertThat(summary.path("models").path("b").path("accuracy").asDouble()).isEqualTo(1.0);
    }
}
