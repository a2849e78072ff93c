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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out: two instances with one {@code application.id} share four models on a 4-partition
 * input topic; the models spread over both; SIGKILLing one moves its models to the other, which
 * restores them from the changelog and trains on; and every final snapshot equals learn over
 * that model's events (what a single instance makes of them).
 *
 * <p>Layout: events keyed by model name and {@code input.keyed-by-model=true}, the recommended
 * layout for several models. All events of a model are then in one partition in produce order,
 * so the model's training order is defined and equals a single instance's and learn's. (Unkeyed
 * events through the repartition topic would also reach one task per model, but in an order that
 * interleaves four input partitions by timing, so no run, single-instance or not, would be
 * reproducible.) The four model names are chosen so that the producer's partitioner (murmur2 of
 * the key) puts each in its own partition, so that there are four tasks to spread.
 */
class ScaleOutIT {
    private static final int PARTITIONS = 4;
    private static final int PER_PHASE = 10_000;
    private static final String EVENTS_TOPIC = "scale-events";
    private static final String PREFIX = "scale-";
    private static final SyntheticEvents.Shape SHAPE = new SyntheticEvents.Shape(20_000, 30, 3, 10, 0);

    @Test
    void modelsShouldSpreadAndMoveToTheSurvivorAndEndEqualToLearn(@TempDir Path tmp) {
        long begin = System.nanoTime();
        String bootstrap = SharedBroker.bootstrapServers();
        SharedBroker.createTopics(PARTITIONS, EVENTS_TOPIC);
        List<String> models = modelsInDistinctPartitions();
        log("ScaleOutIT: models %s", models);

        Properties config = Fixtures.service(bootstrap, PREFIX + "app", EVENTS_TOPIC, PREFIX, tmp.resolve("unused"));
        config.put("topics.partitions", String.valueOf(PARTITIONS));
        config.put("input.keyed-by-model", "true");
        Fixtures.model(config, models.get(0), 0, "l1", "1e-5");
        Fixtures.model(config, models.get(1), 0, "l2", "1e-5");
        Fixtures.model(config, models.get(2), 0, "l1", "1e-5", "l2", "1e-5", "schedule", "adagrad");
        Fixtures.model(config, models.get(3), 0, "l1", "1e-5", "schedule", "invscaling");
        Map<String, List<String>> events = new LinkedHashMap<>();
        Map<String, Oracle.Learned> learned = new LinkedHashMap<>();
        for (int m = 0; m < models.size(); m++) {
            List<String> e = Fixtures.synthetic(1_000 + m, 2 * PER_PHASE, SHAPE);
            events.put(models.get(m), e);
            learned.put(models.get(m), Oracle.learn(models.get(m), Oracle.learnerConfig(config, models.get(m)), e));
        }

        Properties configA = copy(config, "state.dir", tmp.resolve("state-a").toString());
        Properties configB = copy(config, "state.dir", tmp.resolve("state-b").toString());
        try (ServiceProcess a = ServiceProcess.start("scale-a", configA, tmp);
             ServiceProcess b = ServiceProcess.start("scale-b", configB, tmp)) {
            a.awaitHealthy(Fixtures.LONG);
            b.awaitHealthy(Fixtures.LONG);
            // Both in the group and done rebalancing, so the tasks are spread before the events arrive.
            awaitBothRunning(a, b);
            produce(bootstrap, events, 0);
            awaitTrainedSomewhere(List.of(a, b), models, PER_PHASE);
            Set<String> onA = active(a, models);
            Set<String> onB = active(b, models);
            log("ScaleOutIT: after phase 1, models on a: %s, on b: %s", onA, onB);
            assertThat(onA).as("models trained on instance a").isNotEmpty();
            assertThat(onB).as("models trained on instance b").isNotEmpty();
            Set<String> union = new TreeSet<>(onA);
            union.addAll(onB);
            assertThat(union).containsExactlyInAnyOrderElementsOf(models);

            b.kill();
            long killed = System.nanoTime();
            produce(bootstrap, events, 1);
            for (String model : models) {
                // The moved models' counts continue from b's committed ones: a restore, not a fresh start.
                a.awaitTrained(model, 2L * PER_PHASE, Fixtures.LONG);
            }
            log("ScaleOutIT: a trained every model to the end %d s after b was killed (b had %s)",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed), onB);
            assertThat(a.terminate(Duration.ofMinutes(2))).isEqualTo(ServiceProcess.EXIT_ON_SIGTERM);
        }
        Map<String, List<ModelSnapshot>> snapshots = CommittedReads.snapshots(bootstrap, PREFIX + "models", Fixtures.READ);
        for (String model : models) {
            List<ModelSnapshot> versions = snapshots.get(model);
            assertThat(versions).as("%s snapshots", model).hasSize(1);
            Oracle.assertBitIdentical(versions.get(0), learned.get(model).snapshot(), model + " after fail-over vs learn");
        }
        List<Prediction> predictions = CommittedReads.predictions(bootstrap, PREFIX + "predictions", Fixtures.READ);
        assertThat(predictions).hasSize(models.size() * 2 * PER_PHASE);
        Fixtures.assertExactlyOncePredictions(predictions, learned, "scale-out");
        log("ScaleOutIT: done in %d s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin));
    }

    private static void awaitBothRunning(ServiceProcess a, ServiceProcess b) {
        long deadline = System.nanoTime() + Fixtures.LONG.toNanos();
        while (!(a.state().equals("RUNNING") && b.state().equals("RUNNING"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("instances not both RUNNING within " + Fixtures.LONG + ": a " + a.state()
                        + ", b " + b.state());
            }
            a.awaitRunning(Fixtures.LONG);
            b.awaitRunning(Fixtures.LONG);
        }
    }

    /** Four model names whose keys the default partitioner sends to four different partitions. */
    private static List<String> modelsInDistinctPartitions() {
        List<String> names = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (int i = 0; names.size() < PARTITIONS; i++) {
            String name = "m" + i;
            int partition = Utils.toPositive(Utils.murmur2(name.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if (used.add(partition)) {
                names.add(name);
            }
        }
        return names;
    }

    /** Phase {@code phase} (0 or 1) of every model's events, keyed by model name, interleaved across models. */
    private static void produce(String bootstrap, Map<String, List<String>> events, int phase) {
        for (Map.Entry<String, List<String>> e : events.entrySet()) {
            Fixtures.produce(bootstrap, EVENTS_TOPIC, e.getKey(),
                    e.getValue().subList(phase * PER_PHASE, (phase + 1) * PER_PHASE));
        }
    }

    /** The models whose trained count this instance reports as non-zero. */
    private static Set<String> active(ServiceProcess p, List<String> models) {
        Set<String> out = new TreeSet<>();
        for (String m : models) {
            if (p.trained(m) > 0) {
                out.add(m);
            }
        }
        return out;
    }

    /** Until each model's count, on whichever instance reports the most, is {@code expected}. */
    private static void awaitTrainedSomewhere(List<ServiceProcess> instances, List<String> models, long expected) {
        long deadline = System.nanoTime() + Fixtures.LONG.toNanos();
        Map<String, Long> best = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            best.clear();
            for (String m : models) {
                long max = 0;
                for (ServiceProcess p : instances) {
                    max = Math.max(max, p.trained(m));
                }
                best.put(m, max);
            }
            if (best.values().stream().allMatch(v -> v >= expected)) {
                assertThat(best.values()).as("trained counts").allMatch(v -> v == expected);
                return;
            }
            ServiceProcess.sleep(200);
        }
        throw new AssertionError("models not trained to " + expected + " within " + Fixtures.LONG + ": " + best);
    }

    private static Properties copy(Properties p, String key, String value) {
        Properties out = new Properties();
        out.putAll(p);
        out.put(key, value);
        return out;
    }
}
