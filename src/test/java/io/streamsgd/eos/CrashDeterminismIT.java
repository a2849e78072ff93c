package io.streamsgd.eos;

import static io.streamsgd.testkit.ServiceProcess.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.SyntheticEvents;
import io.streamsgd.learn.ModelSnapshot;
import io.streamsgd.testkit.CommittedReads;
import io.streamsgd.testkit.Oracle;
import io.streamsgd.testkit.ServiceProcess;
import io.streamsgd.testkit.SharedBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash determinism: 200,000 labeled events through the service as a child JVM that is
 * SIGKILLed five times at seeded random points (once while it is still starting or restoring)
 * and restarted on the same state directory, once on a wiped one (a full restore from the
 * changelog). The models end bit for bit equal to an uninterrupted run's and to
 * {@code learn}'s, the committed predictions hold exactly one prediction per (event, model),
 * each equal to learn's, the committed snapshots are exactly versions 1 and 2 at 100,000 and
 * 200,000 events, and the final instance's metrics count each event once. The crashed service
 * trains on the models' own thread ({@code training.thread=true}), the uninterrupted one on the
 * stream thread: the two paths must agree to the bit too.
 *
 * <p>Layout: a one-partition input topic through the default path (router, repartition by model,
 * trainer), so per-model order is the produce order and every hop of the topology is crossed by
 * the crashes. Model {@code l1}: the default adaptive schedule with L1 truncation; model
 * {@code l2}: inverse scaling with L2 decay, whose lazy catch-up keeps prefix sums and starts a
 * new epoch (a sweep of every weight) every 65,536 steps, so the restored state must carry those
 * too.
 */
class CrashDeterminismIT {
    private static final int EVENTS = 200_000;
    private static final int SNAPSHOT_EVERY = 100_000;
    private static final long SEED = 20_261_121L;
    private static final List<String> MODELS = List.of("l1", "l2");
    private static final String EVENTS_TOPIC = "crash-events";
    /** 30,000 features, 50 relevant; 15 per event (3 relevant), so each model keeps tens of thousands of weights. */
    private static final SyntheticEvents.Shape SHAPE = new SyntheticEvents.Shape(30_000, 50, 3, 12, 0);

    @Test
    void shouldEndBitForBitEqualToAnUninterruptedRunAndToLearnDespiteKills(@TempDir Path tmp) throws Exception {
        long begin = System.nanoTime();
        String bootstrap = SharedBroker.bootstrapServers();
        SharedBroker.createTopics(1, EVENTS_TOPIC);
        List<String> events = Fixtures.synthetic(SEED, EVENTS, SHAPE);
        Fixtures.produce(bootstrap, EVENTS_TOPIC, null, events);
        log("CrashDeterminismIT: %,d events produced", EVENTS);

        Properties reference = config(bootstrap, "crash-ref", tmp.resolve("state-ref"));
        Properties crashed = config(bootstrap, "crash-run", tmp.resolve("state-run"));
        crashed.put("training.thread", "true"); // its models on a thread of their own, the reference's on the stream thread
        // learn, in the background while the services run: the full stream, and its first half
        // for the snapshot taken at 100,000 events.
        CompletableFuture<Map<String, Oracle.Learned>> learned = CompletableFuture.supplyAsync(() -> learn(crashed, events));
        CompletableFuture<Map<String, Oracle.Learned>> learnedHalf =
                CompletableFuture.supplyAsync(() -> learn(crashed, events.subList(0, SNAPSHOT_EVERY)));

        Random random = new Random(SEED);
        List<String> timeline = new ArrayList<>();
        try (ServiceProcess uninterrupted = ServiceProcess.start("crash-ref", reference, tmp)) {
            ServiceProcess last = crashAndRestart(crashed, tmp, random, timeline);
            try (last) {
                for (String model : MODELS) {
                    last.awaitTrained(model, EVENTS, Fixtures.LONG);
                }
                log("CrashDeterminismIT: the crashed run trained every event; timeline: %s", timeline);
                // Each event counted once after the restarts: the counts are the model's stored, exactly-once state.
                String scrape = last.metrics();
                for (String model : MODELS) {
                    assertThat(io.streamsgd.testkit.Http.sample(scrape, "streamsgd_events_total",
                            "model=\"" + model + "\",outcome=\"trained\"")).as("%s trained, final instance", model)
                            .isEqualTo(EVENTS);
                    assertThat(io.streamsgd.testkit.Http.sample(scrape, "streamsgd_events_total",
                            "model=\"" + model + "\",outcome=\"dead_lettered\"")).as("%s dead letters", model).isZero();
                }
                for (String model : MODELS) {
                    CommittedReads.awaitSnapshot(bootstrap, "crash-run-models", model, EVENTS, Fixtures.LONG);
                }
                assertThat(last.terminate(Duration.ofMinutes(2))).as("exit code on SIGTERM")
                        .isEqualTo(ServiceProcess.EXIT_ON_SIGTERM);
            }
            uninterrupted.awaitHealthy(Fixtures.LONG);
            for (String model : MODELS) {
                uninterrupted.awaitTrained(model, EVENTS, Fixtures.LONG);
                CommittedReads.awaitSnapshot(bootstrap, "crash-ref-models", model, EVENTS, Fixtures.LONG);
            }
            assertThat(uninterrupted.terminate(Duration.ofMinutes(2))).isEqualTo(ServiceProcess.EXIT_ON_SIGTERM);
        }
        log("CrashDeterminismIT: both runs done after %d s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin));

        Map<String, Oracle.Learned> learn = learned.get(5, TimeUnit.MINUTES);
        Map<String, Oracle.Learned> learnHalf = learnedHalf.get(5, TimeUnit.MINUTES);
        Map<String, List<ModelSnapshot>> crashedSnapshots = CommittedReads.snapshots(bootstrap, "crash-run-models", Fixtures.READ);
        Map<String, List<ModelSnapshot>> referenceSnapshots = CommittedReads.snapshots(bootstrap, "crash-ref-models", Fixtures.READ);
        for (String model : MODELS) {
            List<ModelSnapshot> versions = crashedSnapshots.get(model);
            // Versions 1 and 2 by count, 3 on SIGTERM: none lost to a crash, none doubled by a replay.
            assertThat(versions).as("%s committed snapshot versions", model)
                    .extracting(ModelSnapshot::version, ModelSnapshot::events)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, (long) SNAPSHOT_EVERY),
                            org.assertj.core.groups.Tuple.tuple(2L, (long) EVENTS),
                            org.assertj.core.groups.Tuple.tuple(3L, (long) EVENTS));
            ModelSnapshot uninterrupted = referenceSnapshots.get(model).stream()
                    .filter(s -> s.events() == EVENTS).findFirst().orElseThrow();
            Oracle.assertBitIdentical(versions.get(0), learnHalf.get(model).snapshot(), model + " v1 vs learn(100k)");
            Oracle.assertBitIdentical(uninterrupted, learn.get(model).snapshot(), model + " uninterrupted vs learn");
            Oracle.assertBitIdentical(versions.get(1), uninterrupted, model + " crashed vs uninterrupted");
            Oracle.assertBitIdentical(versions.get(1), learn.get(model).snapshot(), model + " crashed vs learn");
            Oracle.assertBitIdentical(versions.get(2), versions.get(1), model + " shutdown snapshot vs v2");
            assertThat(Oracle.weights(versions.get(1)).values()).as("%s weights finite", model)
                    .allMatch(Double::isFinite);
            log("CrashDeterminismIT: %s: %,d non-zero weights, bias %s, identical in all four", model,
                    versions.get(1).nonzeros(), versions.get(1).bias());
        }
        assertThat(crashedSnapshots.get("l1").get(1).nonzeros()).as("L1 is sparser than L2")
                .isLessThan(crashedSnapshots.get("l2").get(1).nonzeros());

        List<Prediction> crashedPredictions = CommittedReads.predictions(bootstrap, "crash-run-predictions", Fixtures.READ);
        assertThat(crashedPredictions).as("committed predictions of the crashed run").hasSize(MODELS.size() * EVENTS);
        Fixtures.assertExactlyOncePredictions(crashedPredictions, learn, "crashed run");
        for (Prediction p : crashedPredictions) {
            long n = Long.parseLong(p.id().substring(2));
            assertThat(p.modelVersion()).as("model version on the prediction of %s", p.id())
                    .isEqualTo(n <= SNAPSHOT_EVERY ? 0 : 1);
        }
        List<Prediction> referencePredictions = CommittedReads.predictions(bootstrap, "crash-ref-predictions", Fixtures.READ);
        Fixtures.assertExactlyOncePredictions(referencePredictions, learn, "uninterrupted run");
        log("CrashDeterminismIT: done in %d s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin));
    }

    private static Properties config(String bootstrap, String app, Path stateDir) {
        Properties p = Fixtures.service(bootstrap, app, EVENTS_TOPIC, app + "-", stateDir);
        Fixtures.model(p, "l1", SNAPSHOT_EVERY, "l1", "1e-5");
        Fixtures.model(p, "l2", SNAPSHOT_EVERY, "l2", "1e-6", "schedule", "invscaling");
        return p;
    }

    private static Map<String, Oracle.Learned> learn(Properties config, List<String> events) {
        Map<String, Oracle.Learned> out = new LinkedHashMap<>();
        for (String model : MODELS) {
            out.put(model, Oracle.learn(model, Oracle.learnerConfig(config, model), events));
        }
        return out;
    }

    /**
     * Runs the service, SIGKILLs it at each kill point and starts it again; returns the last
     * instance, left running. Kill points (seeded): after model l1 has trained a random count in
     * each of four ranges, plus one kill a random 0.5 to 3 s after the HTTP server of a new
     * instance is up (while Kafka Streams starts, rebalances or restores), right after the state directory was wiped.
     */
    private static ServiceProcess crashAndRestart(Properties config, Path tmp, Random random, List<String> timeline)
            throws IOException {
        long[][] ranges = {{15_000, 45_000}, {55_000, 95_000}, {105_000, 145_000}, {150_000, 195_000}};
        Path stateDir = Path.of(config.getProperty("state.dir"));
        int run = 0;
        for (int k = 0; k < ranges.length; k++) {
            long at = ranges[k][0] + (long) (random.nextDouble() * (ranges[k][1] - ranges[k][0]));
            ServiceProcess p = ServiceProcess.start("crash-run-" + run++, config, tmp);
            try (p) {
                p.awaitHealthy(Fixtures.LONG);
                long trained = (long) p.awaitSample("streamsgd_events_total", "model=\"l1\",outcome=\"trained\"",
                        v -> v >= at, "l1 trained " + at, Fixtures.LONG);
                p.kill();
                timeline.add("kill at l1 trained~" + trained);
            }
            if (k == 1) {
                wipe(stateDir);
                timeline.add("wiped state dir");
                long delay = 500 + random.nextInt(2_500);
                ServiceProcess early = ServiceProcess.start("crash-run-" + run++, config, tmp);
                try (early) {
                    early.port(); // its HTTP server is up: Kafka Streams is starting, rebalancing or restoring
                    Thread.sleep(delay);
                    int health = early.health();
                    early.kill();
                    timeline.add("kill " + delay + " ms after HTTP up (/health " + health + ")");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
        ServiceProcess last = ServiceProcess.start("crash-run-" + run, config, tmp);
        last.awaitHealthy(Fixtures.LONG);
        return last;
    }

    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        assertThat(dir).doesNotExist();
    }
}
