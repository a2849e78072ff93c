package io.streamsgd.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.learn.ModelSnapshot;
import io.streamsgd.stream.ModelStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoReportTest {
    private static ModelStatus status(String model, long trained, double lossSum, long nonzeros, long version) {
        return new ModelStatus(model, version, trained, 0, lossSum, 0, Double.NaN, Double.NaN, nonzeros, nonzeros, 0, 0, 0);
    }

    @Test
    void summaryShouldCarryEveryModelsFiguresAndTheTruth() throws Exception {
        Map<String, ModelStatus> statuses = new LinkedHashMap<>();
        statuses.put("l1", status("l1", 1000, 300.0, 60, 4));
        statuses.put("l2", status("l2", 1000, 320.0, 9000, 4));
        ModelSnapshot l1 = new ModelSnapshot("l1", 4, 1000, 0, Map.of(), 0.0, 3, 0, 0, List.of(
                new ModelSnapshot.Weight("f1", 1, 0.5), new ModelSnapshot.Weight("f2", 2, -0.5),
                new ModelSnapshot.Weight("f9", 9, 0.1)));
        String json = DemoReport.summary(statuses, Map.of("l1", l1), Set.of("f1", "f2", "f3"), 100, 1000, 2.0);
        JsonNode root = new ObjectMapper().readTree(json);
        assertThat(root.path("models").path("l1").path("events").asLong()).isEqualTo(1000);
        assertThat(root.path("models").path("l1").path("meanLoss").asDouble()).isEqualTo(0.3);
        assertThat(root.path("models").path("l1").path("nonzeros").asLong()).isEqualTo(60);
        assertThat(root.path("models").path("l1").path("version").asLong()).isEqualTo(4);
        assertThat(root.path("models").path("l1").path("relevantFound").asLong()).isEqualTo(2);
        assertThat(root.path("models").path("l2").has("relevantFound")).as("no snapshot read").isFalse();
        assertThat(root.path("produced").asLong()).isEqualTo(1000);
        assertThat(root.path("eventsPerSecond").asDouble()).isEqualTo(500);
        assertThat(root.path("truth").path("relevant").asInt()).isEqualTo(3);
        assertThat(json).doesNotContain("\n");
    }

    @Test
    void statusLineShouldShowRatesAndLossOfTheLastInterval() {
        DemoReport report = new DemoReport();
        Map<String, ModelStatus> first = Map.of("l1", status("l1", 100, 60.0, 0, 0));
        assertThat(report.statusLine(150, 1000, first, 1_000_000_000L))
                .isEqualTo("produced 150/1,000 | l1: 100 ev - ev/s loss 0.6000 nnz 0 v0");
        Map<String, ModelStatus> second = Map.of("l1", status("l1", 1100, 360.0, 42, 1));
        assertThat(report.statusLine(1000, 1000, second, 3_000_000_000L))
                .isEqualTo("produced 1,000/1,000 | l1: 1,100 ev 500 ev/s loss 0.3000 nnz 42 v1");
    }
}
