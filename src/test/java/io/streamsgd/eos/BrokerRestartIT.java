package io.streamsgd.eos;

import static io.streamsgd.testkit.ServiceProcess.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.app.EmbeddedKafkaBroker;
import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.SyntheticEvents;
import io.streamsgd.learn.ModelSnapshot;
import io.streamsgd.testkit.CommittedReads;
import io.streamsgd.testkit.Oracle;
import io.streamsgd.testkit.ServiceProcess;
import io.streamsgd.testkit.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broker restart: the only broker of a dedicated cluster is stopped in the middle of the stream
 * (with events still waiting to be processed and a transaction open) and started again on the
 * same directory and port. The service, never restarted, reconnects by itself, processes the
 * rest and the events produced after the restart, and ends bit for bit equal to learn, with
 * exactly one committed prediction per (event, model) and {@code /health} 200 afterwards.
 */
class BrokerRestartIT {
    private static final int BEFORE = 30_000;
    private static final int AFTER = 10_000;
    private static final int STOP_AT = 8_000;
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    private static final long SEED = 31_337L;
    private static final List<String> MODELS = List.of("l1", "l2");
    private static final String EVENTS_TOPIC = "restart-events";
    private static final String PREFIX = "restart-";

    @Test
    void serviceShouldRideOutABrokerRestartAndEndEqualToLearn(@TempDir Path tmp) {
        long begin = System.nanoTime();
        List<String> events = Fixtures.synthetic(SEED, BEFORE + AFTER, new SyntheticEvents.Shape(20_000, 30, 3, 10, 0));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(tmp.resolve("kafka")).build()) {
            broker.start();
            String bootstrap = broker.bootstrapServers();
            Topics.create(bootstrap, 1, EVENTS_TOPIC);
            Properties config = Fixtures.service(bootstrap, PREFIX + "app", EVENTS_TOPIC, PREFIX, tmp.resolve("state"));
            Fixtures.model(config, "l1", 0, "l1", "1e-5");
            Fixtures.model(config, "l2", 0, "l2", "1e-5");
            Map<String, Oracle.Learned> learned = new LinkedHashMap<>();
            for (String model : MODELS) {
                learned.put(model, Oracle.learn(model, Oracle.learnerConfig(config, model), events));
            }
            Fixtures.produce(bootstrap, EVENTS_TOPIC, null, events.subList(0, BEFORE));
            try (ServiceProcess service = ServiceProcess.start("restart", config, tmp)) {
                service.awaitHealthy(Fixtures.LONG);
                long at = (long) service.awaitSample("streamsgd_events_total", "model=\"l1\",outcome=\"trained\"",
                        v -> v >= STOP_AT, "l1 trained " + STOP_AT, Fixtures.LONG);
                long stopBegin = System.nanoTime();
                broker.stop();
                log("BrokerRestartIT: broker stopped at l1 trained ~%d in %d ms", at,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopBegin));
                List<Integer> healthDuringOutage = new ArrayList<>();
                long outageEnd = System.nanoTime() + OUTAGE.toNanos();
                while (System.nanoTime() < outageEnd) {
                    healthDuringOutage.add(service.health());
                    ServiceProcess.sleep(500);
                }
                assertThat(service.isAlive()).as("the service survives the outage").isTrue();
                assertThat(healthDuringOutage).as("/health during the outage").containsOnly(200);
                broker.start();
                log("BrokerRestartIT: broker back after %d ms; /health during the outage: %s",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopBegin), healthDuringOutage);
                Fixtures.produce(bootstrap, EVENTS_TOPIC, null, events.subList(BEFORE, BEFORE + AFTER));
                for (String model : MODELS) {
                    service.awaitTrained(model, BEFORE + AFTER, Fixtures.LONG);
                }
                log("BrokerRestartIT: every event trained %d s after the broker stopped",
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopBegin));
                assertThat(service.health()).as("/health after recovery").isEqualTo(200);
                String serviceLog = service.log();
                log("BrokerRestartIT: the service's log shows %d stream-thread replacement(s), %d fenced or migrated"
                        + " task message(s), %d Kafka Streams state change(s)",
                        count(serviceLog, "replacing it"), count(serviceLog, "TaskMigratedException")
                                + count(serviceLog, "ProducerFencedException"), count(serviceLog, "Kafka Streams state "));
                assertThat(serviceLog).as("no stream thread gave up").doesNotContain("shutting this Kafka Streams client down");
                assertThat(service.terminate(Duration.ofMinutes(2))).isEqualTo(ServiceProcess.EXIT_ON_SIGTERM);
            }
            Map<String, List<ModelSnapshot>> snapshots = CommittedReads.snapshots(bootstrap, PREFIX + "models", Fixtures.READ);
            for (String model : MODELS) {
                assertThat(snapshots.get(model)).as("%s snapshots", model).hasSize(1);
                Oracle.assertBitIdentical(snapshots.get(model).get(0), learned.get(model).snapshot(),
                        model + " after a broker restart vs learn");
            }
            List<Prediction> predictions = CommittedReads.predictions(bootstrap, PREFIX + "predictions", Fixtures.READ);
            assertThat(predictions).hasSize(MODELS.size() * (BEFORE + AFTER));
            Fixtures.assertExactlyOncePredictions(predictions, learned, "broker restart");
        }
        log("BrokerRestartIT: done in %d s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin));
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }
}
