package io.streamsgd.eos;

import static io.streamsgd.testkit.ServiceProcess.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.SyntheticEvents;
import io.streamsgd.learn.ModelSnapshot;
import io.streamsgd.testkit.CommittedReads;
import io.streamsgd.testkit.Oracle;
import io.streamsgd.testkit.ServiceProcess;
import io.streamsgd.testkit.SharedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clean shutdown: SIGTERM writes a final snapshot of every model (a new version, equal to learn)
 * and commits the input offsets; a restart on the same state directory resumes from there and
 * processes only new events: the restarted instance's update timer counts exactly the new
 * events, and the committed predictions hold exactly one per (event, model).
 *
 * <p>Layout: a one-partition input topic read directly by the trainer
 * ({@code input.keyed-by-model=true}), the other recommended layout (the crash test covers the
 * repartition path). Only shutdown snapshots ({@code snapshot.events=0}, no interval), so every
 * snapshot version on the topic comes from a SIGTERM.
 */
class CleanShutdownIT {
    private static final int FIRST = 20_000;
    private static final int SECOND = 5_000;
    private static final long SEED = 77_005L;
    private static final List<String> MODELS = List.of("l1", "l2");
    private static final String EVENTS_TOPIC = "clean-events";
    private static final String PREFIX = "clean-";
    private static final SyntheticEvents.Shape SHAPE = new SyntheticEvents.Shape(20_000, 30, 3, 10, 0);

    @Test
    void sigtermShouldSnapshotAndCommitAndARestartShouldNotReprocess(@TempDir Path tmp) {
        long begin = System.nanoTime();
        String bootstrap = SharedBroker.bootstrapServers();
        SharedBroker.createTopics(1, EVENTS_TOPIC);
        List<String> events = Fixtures.synthetic(SEED, FIRST + SECOND, SHAPE);
        Properties config = Fixtures.service(bootstrap, PREFIX + "app", EVENTS_TOPIC, PREFIX, tmp.resolve("state"));
        config.put("input.keyed-by-model", "true");
        Fixtures.model(config, "l1", 0, "l1", "1e-5");
        Fixtures.model(config, "l2", 0, "l2", "1e-5");
        Map<String, Oracle.Learned> learnFirst = learn(config, events.subList(0, FIRST));
        Map<String, Oracle.Learned> learnAll = learn(config, events);

        Fixtures.produce(bootstrap, EVENTS_TOPIC, null, events.subList(0, FIRST));
        try (ServiceProcess first = ServiceProcess.start("clean-1", config, tmp)) {
            first.awaitHealthy(Fixtures.LONG);
            for (String model : MODELS) {
                first.awaitTrained(model, FIRST, Fixtures.LONG);
            }
            assertThat(CommittedReads.snapshots(bootstrap, PREFIX + "models", Fixtures.READ))
                    .as("no snapshot before the shutdown").isEmpty();
            assertThat(first.terminate(Duration.ofMinutes(2))).as("exit code on SIGTERM")
                    .isEqualTo(ServiceProcess.EXIT_ON_SIGTERM);
            assertThat(first.log()).contains("Final snapshots written").contains("Kafka Streams closed");
        }
        Map<String, List<ModelSnapshot>> afterFirst = CommittedReads.snapshots(bootstrap, PREFIX + "models", Fixtures.READ);
        for (String model : MODELS) {
            assertThat(afterFirst.get(model)).as("%s snapshots after the first SIGTERM", model)
                    .extracting(ModelSnapshot::version, ModelSnapshot::events).containsExactly(tuple(1L, (long) FIRST));
            Oracle.assertBitIdentical(afterFirst.get(model).get(0), learnFirst.get(model).snapshot(), model + " at shutdown");
        }
        assertThat(CommittedReads.groupOffsets(bootstrap, PREFIX + "app"))
                .as("input offsets committed at shutdown").containsEntry(new TopicPartition(EVENTS_TOPIC, 0), (long) FIRST);

        try (ServiceProcess second = ServiceProcess.start("clean-2", config, tmp)) {
            second.awaitHealthy(Fixtures.LONG);
            for (String model : MODELS) {
                second.awaitTrained(model, FIRST, Fixtures.LONG); // the stored count, at once
            }
            Fixtures.produce(bootstrap, EVENTS_TOPIC, null, events.subList(FIRST, FIRST + SECOND));
            for (String model : MODELS) {
                second.awaitTrained(model, FIRST + SECOND, Fixtures.LONG);
                // The timer counts every record this process handled: nothing before the restart was replayed.
                assertThat(second.sample("streamsgd_update_latency_seconds_count", "model=\"" + model + "\""))
                        .as("%s events processed by the restarted instance", model).isEqualTo(SECOND);
            }
            assertThat(second.terminate(Duration.ofMinutes(2))).isEqualTo(ServiceProcess.EXIT_ON_SIGTERM);
        }
        Map<String, List<ModelSnapshot>> afterSecond = CommittedReads.snapshots(bootstrap, PREFIX + "models", Fixtures.READ);
        for (String model : MODELS) {
            assertThat(afterSecond.get(model)).as("%s snapshots after the second SIGTERM", model)
                    .extracting(ModelSnapshot::version, ModelSnapshot::events)
                    .containsExactly(tuple(1L, (long) FIRST), tuple(2L, (long) (FIRST + SECOND)));
            Oracle.assertBitIdentical(afterSecond.get(model).get(1), learnAll.get(model).snapshot(), model + " at the end");
        }
        assertThat(CommittedReads.groupOffsets(bootstrap, PREFIX + "app"))
                .containsEntry(new TopicPartition(EVENTS_TOPIC, 0), (long) (FIRST + SECOND));
        List<Prediction> predictions = CommittedReads.predictions(bootstrap, PREFIX + "predictions", Fixtures.READ);
        assertThat(predictions).hasSize(MODELS.size() * (FIRST + SECOND));
        Fixtures.assertExactlyOncePredictions(predictions, learnAll, "clean shutdown");
        for (Prediction p : predictions) {
            long n = Long.parseLong(p.id().substring(2));
            assertThat(p.modelVersion()).as("version on %s", p.id()).isEqualTo(n <= FIRST ? 0 : 1);
        }
        log("CleanShutdownIT: done in %d s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin));
    }

    private static Map<String, Oracle.Learned> learn(Properties config, List<String> events) {
        Map<String, Oracle.Learned> out = new LinkedHashMap<>();
        for (String model : MODELS) {
            out.put(model, Oracle.learn(model, Oracle.learnerConfig(config, model), events));
        }
        return out;
    }
}
