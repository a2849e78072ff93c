package io.streamsgd.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.codec.DeadLetter;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.EventFormat;
import io.streamsgd.codec.Prediction;
import io.streamsgd.learn.FeatureHasher;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.learn.ModelSnapshot;
import io.streamsgd.learn.Regularization;
import io.streamsgd.learn.Schedule;
import io.streamsgd.offline.FileTrainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamSgdTopologyTest {
    private static final LearnerConfig L1 = LearnerConfig.defaults().withHashBits(18)
            .withRegularization(new Regularization(1e-3, 0, 1, Double.POSITIVE_INFINITY));
    private static final LearnerConfig L2 = LearnerConfig.defaults().withHashBits(18)
            .withRegularization(new Regularization(0, 1e-3, 1, Double.POSITIVE_INFINITY));
    private static final LearnerConfig ELASTIC_INVSCALING = LearnerConfig.defaults().withHashBits(18)
            .withSchedule(Schedule.Kind.INVSCALING, 0.5).withEpochSteps(300)
            .withRegularization(new Regularization(2e-3, 1e-3, 3, 0.5));

    @TempDir
    Path stateDir;

    private static TopologyConfig config(ModelSpec... models) {
        return TopologyConfig.of(List.of(models));
    }

    private static ModelSpec model(String name, LearnerConfig learner) {
        return new ModelSpec(name, learner, 0, 0);
    }

    /** What {@code streamsgd learn} makes of the same events, in the same order. */
    private static FileTrainer learn(String name, LearnerConfig config, List<String> events, StringWriter predictions)
            throws IOException {
        FileTrainer trainer = new FileTrainer(name, config);
        try (var gen = predictions == null ? null : io.streamsgd.codec.PredictionJson.lineWriter(predictions)) {
            trainer.run(new BufferedReader(new StringReader(String.join("\n", events))), EventFormat.JSONL.newLineReader(),
                    gen, (line, reason) -> { throw new AssertionError("line " + line + ": " + reason); }, null, Long.MAX_VALUE);
        }
        return trainer;
    }

    private static Map<String, Double> weights(ModelSnapshot s) {
        Map<String, Double> m = new TreeMap<>();
        s.weights().forEach(w -> m.put(w.name(), w.value()));
        return m;
    }

    private static void assertBitIdentical(ModelSnapshot actual, ModelSnapshot expected) {
        assertThat(actual.events()).isEqualTo(expected.events());
        assertThat(Double.doubleToRawLongBits(actual.bias())).as("bias %s vs %s", actual.bias(), expected.bias())
                .isEqualTo(Double.doubleToRawLongBits(expected.bias()));
        assertThat(weights(actual)).isEqualTo(weights(expected)); // Double.equals compares the bits
        assertThat(actual.nonzeros()).isEqualTo(expected.nonzeros());
    }

    @ParameterizedTest(name = "keyed input: {0}")
    @ValueSource(booleans = {false, true})
    void shouldLeaveTheSameModelAndPredictionsAsLearnBitForBit(boolean keyed) throws IOException {
        List<String> events = TestEvents.labeled(1, 3000, 500);
        for (LearnerConfig learner : List.of(L1, ELASTIC_INVSCALING)) {
            StringWriter learnPredictions = new StringWriter();
            FileTrainer offline = learn("m", learner, events, learnPredictions);
            try (TopologyHarness h = new TopologyHarness(config(model("m", learner)).withInputKeyedByModel(keyed),
                    stateDir.resolve(keyed + "-" + learner.schedule()))) {
                h.sendAll(events);
                List<Prediction> streamed = h.predictions();
                h.snapshotNow();
                assertBitIdentical(h.latest("m"), offline.snapshot(0));
                List<String> expected = learnPredictions.toString().lines().collect(Collectors.toList());
                assertThat(streamed).hasSize(expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    Prediction p = io.streamsgd.codec.PredictionJson.read(expected.get(i).getBytes(StandardCharsets.UTF_8));
                    assertThat(streamed.get(i).id()).isEqualTo(p.id());
                    assertThat(streamed.get(i).margin()).isEqualTo(p.margin());
                    assertThat(streamed.get(i).loss()).isEqualTo(p.loss());
                    assertThat(streamed.get(i).trained()).isTrue();
                }
            }
        }
    }

    @Test
    void unlabeledEventsShouldGetAPredictionAndChangeNothing() {
        List<String> events = TestEvents.labeled(2, 1000, 300);
        List<String> mixed = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            mixed.add(events.get(i));
            if (i % 3 == 0) {
                mixed.add(TestEvents.unlabeled(events.get((i * 7) % events.size()), "q" + i));
            }
        }
        ModelSnapshot labeledOnly;
        try (TopologyHarness h = new TopologyHarness(config(model("m", L1)), stateDir.resolve("a"))) {
            h.sendAll(events);
            h.snapshotNow();
            labeledOnly = h.latest("m");
        }
        try (TopologyHarness h = new TopologyHarness(config(model("m", L1)), stateDir.resolve("b"))) {
            h.sendAll(mixed);
            List<Prediction> predictions = h.predictions();
            h.snapshotNow();
            assertBitIdentical(h.latest("m"), labeledOnly);
            List<Prediction> unlabeled = predictions.stream().filter(p -> p.id().startsWith("q")).collect(Collectors.toList());
            assertThat(unlabeled).hasSize(334).allSatisfy(p -> {
                assertThat(p.trained()).isFalse();
                assertThat(p.loss()).isNaN();
                assertThat(p.prediction()).isBetween(0.0, 1.0);
            });
        }
    }

    @Test
    void twoModelsSideBySideShouldEqualTheTwoTrainedSeparately() {
        List<String> events = TestEvents.labeled(3, 2000, 400);
        Map<String, ModelSnapshot> separate = new HashMap<>();
        for (ModelSpec spec : List.of(model("l1", L1), model("l2", L2))) {
            try (TopologyHarness h = new TopologyHarness(config(spec), stateDir.resolve("alone-" + spec.name()))) {
                h.sendAll(events);
                h.snapshotNow();
                separate.put(spec.name(), h.latest(spec.name()));
            }
        }
        try (TopologyHarness h = new TopologyHarness(config(model("l1", L1), model("l2", L2)), stateDir.resolve("both"))) {
            h.sendAll(events);
            assertThat(h.predictions()).hasSize(2 * events.size());
            h.snapshotNow();
            assertBitIdentical(h.latest("l1"), separate.get("l1"));
            assertBitIdentical(h.latest("l2"), separate.get("l2"));
            assertThat(separate.get("l1").nonzeros()).as("L1 is sparser than L2").isLessThan(separate.get("l2").nonzeros());
        }
    }

    /**
     * Models of different hash bits share the full 32-bit hash of each event, which each masks to
     * its own bits; each must still be the model {@code learn} makes at its bits, which hashes with
     * them directly. At 6 bits most of the 400 features share a slot with others.
     */
    @Test
    void modelsOfDifferentHashBitsShouldEachEqualLearnAtItsBits() throws IOException {
        List<String> events = TestEvents.labeled(5, 2000, 400);
        LearnerConfig narrow = L2.withHashBits(6);
        TopologyConfig config = config(model("wide", L1), model("narrow", narrow));
        assertThat(config.eventHasher().bits()).isEqualTo(32);
        assertThat(config(model("a", L1), model("b", L2)).eventHasher().bits()).isEqualTo(18);
        try (TopologyHarness h = new TopologyHarness(config, stateDir.resolve("mixed"))) {
            h.sendAll(events);
            h.snapshotNow();
            assertBitIdentical(h.latest("wide"), learn("wide", L1, events, null).snapshot(0));
            assertBitIdentical(h.latest("narrow"), learn("narrow", narrow, events, null).snapshot(0));
            assertThat(h.latest("narrow").nonzeros()).isLessThanOrEqualTo(64);
        }
    }

    /**
     * The order that case depends on: features a and c share their slot at 18 bits (not their full
     * hash), x shares theirs at 6 bits only; 0.1 + 0.2 + 0.4 rounds differently depending on which
     * two are added first. Hashed with 18 bits and masked to 6, the event would give the 6-bit model
     * (a + c) + x where {@code learn} at 6 bits computes (a + x) + c.
     */
    @Test
    void aNarrowModelShouldAddCollidingFeaturesInTheOrderLearnDoes() throws IOException {
        FeatureHasher wide = new FeatureHasher(18);
        Map<Integer, String> byWideSlot = new HashMap<>();
        String a = null;
        String c = null;
        for (int i = 0; a == null; i++) {
            String name = "f" + i;
            String other = byWideSlot.putIfAbsent(wide.index(name), name);
            if (other != null && Event.HASHER.index(other) != Event.HASHER.index(name)) {
                a = other;
                c = name;
            }
        }
        String x = null;
        for (int i = 0; x == null; i++) {
            String name = "x" + i;
            if ((wide.index(name) & 63) == (wide.index(a) & 63) && wide.index(name) != wide.index(a)) {
                x = name;
            }
        }
        assertThat((0.1 + 0.4) + 0.2).isNotEqualTo((0.1 + 0.2) + 0.4);
        String event = String.format(Locale.ROOT, "{\"label\":1,\"features\":{\"%s\":0.1,\"%s\":0.2,\"%s\":0.4}}", a, x, c);
        List<String> events = List.of(event, event);
        LearnerConfig narrow = L2.withHashBits(6);
        LearnerConfig wideConfig = L1;
        try (TopologyHarness h = new TopologyHarness(config(model("wide", wideConfig), model("narrow", narrow)),
                stateDir.resolve("order"))) {
            h.sendAll(events);
            h.snapshotNow();
            assertBitIdentical(h.latest("narrow"), learn("narrow", narrow, events, null).snapshot(0));
            assertBitIdentical(h.latest("wide"), learn("wide", wideConfig, events, null).snapshot(0));
        }
    }

    /**
     * TopologyTestDriver deletes its state directory on close, so the second driver gets the
     * state the way Kafka Streams restores a task whose local state is gone: from the changelog
     * topics (here, the records the first driver wrote to them). A restart that keeps its
     * RocksDB directory is shown against a real broker in the integration tests.
     */
    @Test
    void restoringFromTheChangelogShouldContinueExactly() {
        // Past a checkpoint and around the ring of deltas after it, so that the restore loads
        // pages, then the deltas newer than the checkpoint, some at reused ring positions. The
        // elastic-net invscaling model also checkpoints in the middle of events (its epochs).
        List<String> events = TestEvents.labeled(4, ModelStorage.DEFAULT_RING + 3000, 400);
        int cut = ModelStorage.DEFAULT_RING + 1027;
        TopologyConfig config = config(model("m", ELASTIC_INVSCALING));
        ModelSnapshot uninterrupted;
        try (TopologyHarness h = new TopologyHarness(config, stateDir.resolve("one"))) {
            h.sendAll(events);
            h.snapshotNow();
            uninterrupted = h.latest("m");
        }
        Map<String, List<KeyValue<Bytes, byte[]>>> changelogs;
        try (TopologyHarness h = new TopologyHarness(config, stateDir.resolve("two"))) {
            h.sendAll(events.subList(0, cut));
            changelogs = h.changelogs();
        }
        assertThat(changelogs.get(Stores.MODELS)).isNotEmpty();
        try (TopologyHarness h = new TopologyHarness(config, stateDir.resolve("three"))) {
            h.restore(changelogs);
            h.sendAll(events.subList(cut, events.size()));
            h.snapshotNow();
            assertBitIdentical(h.latest("m"), uninterrupted);
        }
    }

    @Test
    void snapshotsShouldFollowTheirCadenceWithIncreasingVersions() {
        List<String> events = TestEvents.labeled(5, 350, 100);
        TopologyConfig config = config(new ModelSpec("m", L1, 100, 0), new ModelSpec("t", L2, 0, 10_000));
        try (TopologyHarness h = new TopologyHarness(config, stateDir)) {
            h.sendAll(events);
            List<Long> versions = new ArrayList<>();
            List<Long> steps = new ArrayList<>();
            for (var r : h.models.readRecordsToList()) {
                assertThat(r.key()).isEqualTo("m");
                var s = parse(r.value());
                versions.add(s.version());
                steps.add(s.events());
            }
            assertThat(versions).containsExactly(1L, 2L, 3L);
            assertThat(steps).containsExactly(100L, 200L, 300L);
            // the time-based model: nothing before its interval, one snapshot after it
            h.driver.advanceWallClockTime(java.time.Duration.ofMillis(9_000));
            assertThat(h.models.readRecordsToList()).isEmpty();
            h.driver.advanceWallClockTime(java.time.Duration.ofMillis(1_500));
            assertThat(h.latest("t").version()).isEqualTo(1);
            assertThat(h.latest("t").events()).isEqualTo(350);
            // and not again while nothing was trained
            h.driver.advanceWallClockTime(java.time.Duration.ofMillis(20_000));
            assertThat(h.models.readRecordsToList()).isEmpty();
        }
    }

    private static ModelSnapshot parse(byte[] part) {
        var a = new io.streamsgd.codec.SnapshotParts.Assembler();
        try {
            a.add(part);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return a.latest(new String(part, StandardCharsets.UTF_8).replaceAll("(?s).*\"model\":\"([^\"]*)\".*", "$1"))
                .orElseThrow();
    }

    @Test
    void theStoreShouldHoldNoZeroWeightOnceASnapshotHasSealedTheModel() {
        LearnerConfig strongL1 = L1.withRegularization(new Regularization(0.05, 0, 1, Double.POSITIVE_INFINITY));
        List<String> events = TestEvents.labeled(6, 2000, 600);
        ModelStatus[] last = new ModelStatus[1];
        TrainerListener listener = new TrainerListener() {
            @Override
            public void status(ModelStatus status) {
                last[0] = status;
            }
        };
        try (TopologyHarness h = new TopologyHarness(config(model("m", strongL1)), stateDir, listener)) {
            h.sendAll(events);
            long storedBefore = last[0].stored();
            h.snapshotNow();
            ModelSnapshot s = h.latest("m");
            assertThat(s.nonzeros()).isLessThan(storedBefore); // some stored weights owed truncation to zero
            // What a restore brings back (the pages, then the deltas after them, the seal's removals among
            // them): the sealed model's non-zero weights and no others.
            KeyValueStore<Bytes, byte[]> store = h.driver.getKeyValueStore(Stores.MODELS);
            assertThat(ModelStorage.open(store, new StoreKeys("m"), true, ModelStorage.DEFAULT_RING).size()).isEqualTo(s.nonzeros());
            // A final snapshot (a clean shutdown's) then checkpoints: the pages alone hold the model.
            h.finalSnapshotNow();
            assertThat(h.latest("m").nonzeros()).isEqualTo(s.nonzeros());
            assertThat(ModelStorage.pageEntries(store, new StoreKeys("m"))).isEqualTo(s.nonzeros());
        }
    }

    @Test
    void deadLettersShouldCarryTheirReasonAndLeaveTheModelUnchanged() throws IOException {
        List<String> good = TestEvents.labeled(7, 400, 100);
        String ok = good.get(0);
        Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
        bad.put("not_json", "{\"features\":".getBytes(StandardCharsets.UTF_8));
        bad.put("not_an_object", "[1,2]".getBytes(StandardCharsets.UTF_8));
        bad.put("missing_features", "{\"label\":1}".getBytes(StandardCharsets.UTF_8));
        bad.put("empty_features", "{\"label\":1,\"features\":{}}".getBytes(StandardCharsets.UTF_8));
        bad.put("bad_feature_value", "{\"label\":1,\"features\":{\"a\":[1]}}".getBytes(StandardCharsets.UTF_8));
        bad.put("bad_label", "{\"label\":\"yes\",\"features\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8));
        bad.put("label_out_of_range", "{\"label\":2,\"features\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8));
        bad.put("unknown_model", "{\"model\":\"nope\",\"label\":1,\"features\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8));
        bad.put("duplicate_feature", "{\"label\":1,\"features\":{\"a\":1,\"a\":2}}".getBytes(StandardCharsets.UTF_8));
        bad.put("invalid_utf8", new byte[] {'{', '"', (byte) 0xC3, 0x28, '"', ':', '1', '}'});
        bad.put("empty_record", new byte[0]);
        bad.put("null_value", null);
        StringBuilder many = new StringBuilder("{\"label\":1,\"features\":{");
        for (int i = 0; i < 50; i++) {
            many.append(i > 0 ? "," : "").append("\"f").append(i).append("\":1");
        }
        bad.put("too_many_features", many.append("}}").toString().getBytes(StandardCharsets.UTF_8));
        bad.put("record_too_large", ("{\"label\":1,\"features\":{\"a\":1},\"pad\":\"" + "x".repeat(5000) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        TopologyConfig base = config(model("m", L1));
        for (boolean keyed : new boolean[] {false, true}) {
            TopologyConfig config = base.withInputKeyedByModel(keyed)
                    .withLimits(new io.streamsgd.codec.ReadLimits(4096, 40, 16), TopologyConfig.DEFAULT_MAX_SNAPSHOT_PART_BYTES);
            ModelSnapshot clean;
            try (TopologyHarness h = new TopologyHarness(config, stateDir.resolve("clean-" + keyed))) {
                h.sendAll(good);
                h.snapshotNow();
                clean = h.latest("m");
            }
            try (TopologyHarness h = new TopologyHarness(config, stateDir.resolve("dirty-" + keyed))) {
                List<String> reasons = new ArrayList<>(bad.keySet());
                for (int i = 0; i < good.size(); i++) {
                    if (i > 0 && i <= reasons.size()) {
                        h.send(null, bad.get(reasons.get(i - 1)));
                    }
                    h.send(null, good.get(i));
                }
                var letters = h.deadLetters.readRecordsToList();
                assertThat(letters).hasSize(bad.size());
                for (int i = 0; i < letters.size(); i++) {
                    DeadLetter d = DeadLetter.fromJson(letters.get(i).value());
                    String reason = reasons.get(i);
                    assertThat(d.reason()).isEqualTo(reason);
                    assertThat(d.message()).isNotBlank();
                    assertThat(d.topic()).isEqualTo(config.eventsTopic());
                    assertThat(d.partition()).isEqualTo(0);
                    assertThat(d.offset()).as("offset of %s", reason).isEqualTo(2L * i + 1);
                    if (bad.get(reason) == null) {
                        assertThat(d.value()).isNull();
                    } else {
                        assertThat(d.value()).isEqualTo(bad.get(reason));
                    }
                }
                assertThat(h.predictions()).hasSize(good.size());
                h.snapshotNow();
                assertBitIdentical(h.latest("m"), clean);
            }
        }
        assertThat(ok).isNotEmpty();
    }

    @ParameterizedTest(name = "keyed input: {0}")
    @ValueSource(booleans = {false, true})
    void aTombstoneShouldNameNoModelWhateverTheEventBeforeIt(boolean keyed) throws IOException {
        List<String> deadLettered = new ArrayList<>();
        TrainerListener listener = new TrainerListener() {
            @Override
            public void deadLettered(String model, String reasonCode) {
                deadLettered.add(reasonCode + ":" + model);
            }
        };
        TopologyConfig config = config(model("a", L1), model("b", L1)).withInputKeyedByModel(keyed);
        try (TopologyHarness h = new TopologyHarness(config, stateDir, listener)) {
            h.send(null, "{\"model\":\"b\",\"label\":1,\"features\":{\"x\":1}}");
            h.send(null, (byte[]) null);
            h.send("b", (byte[]) null);
            assertThat(h.predictions()).hasSize(1);
            var letters = h.deadLetters.readRecordsToList();
            assertThat(letters).hasSize(2);
            for (var letter : letters) {
                DeadLetter d = DeadLetter.fromJson(letter.value());
                assertThat(d.reason()).isEqualTo("null_value");
                assertThat(d.model()).as("the model of a record without a value").isNull();
            }
            assertThat(deadLettered).containsExactly("null_value:null", "null_value:null");
        }
    }

    @ParameterizedTest(name = "keyed input: {0}")
    @ValueSource(booleans = {false, true})
    void aDeadLetterShouldKeepAShortKeyAndDropAnOversizedOne(boolean keyed) throws IOException {
        TopologyConfig config = config(model("m", L1)).withInputKeyedByModel(keyed);
        String huge = "k".repeat(DeadLetters.MAX_KEY_CHARS + 1);
        try (TopologyHarness h = new TopologyHarness(config, stateDir)) {
            h.send("short", "not json");
            h.send(huge, "not json");
            h.send(huge, (byte[]) null);
            var letters = h.deadLetters.readRecordsToList();
            assertThat(letters).extracting(r -> r.key()).containsExactly("short", null, null);
            assertThat(letters).extracting(r -> DeadLetter.fromJson(r.value()).offset()).containsExactly(0L, 1L, 2L);
        }
    }

    @Test
    void aMillionWeightModelShouldBeSnapshottedInPartsUnderTheRecordLimit() {
        // 105 events of 10,000 distinct features each, hashed into 2^24 slots: over a million weights
        LearnerConfig learner = LearnerConfig.defaults().withHashBits(24);
        TopologyConfig config = config(model("big", learner)).withStore(TopologyConfig.StoreBackend.IN_MEMORY);
        java.util.Properties noCache = new java.util.Properties();
        noCache.put(org.apache.kafka.streams.StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        try (TopologyHarness h = new TopologyHarness(config, stateDir, TrainerListener.NONE, noCache)) {
            for (int e = 0; e < 105; e++) {
                StringBuilder b = new StringBuilder("{\"label\":").append(e % 2).append(",\"features\":{");
                for (int i = 0; i < 10_000; i++) {
                    b.append(i > 0 ? "," : "").append("\"w").append(e * 10_000 + i).append("\":1");
                }
                h.send(null, b.append("}}").toString());
            }
            h.snapshotNow();
            var parts = h.models.readRecordsToList();
            assertThat(parts.size()).isGreaterThan(10);
            assertThat(parts).allSatisfy(p -> assertThat(p.value().length).isLessThan(1024 * 1024));
            var assembler = new io.streamsgd.codec.SnapshotParts.Assembler();
            for (var p : parts) {
                try {
                    assembler.add(p.value());
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
            ModelSnapshot s = assembler.latest("big").orElseThrow();
            assertThat(s.nonzeros()).isGreaterThanOrEqualTo(1_000_000);
            assertThat(s.weights()).hasSize((int) s.nonzeros());
        }
    }
}
