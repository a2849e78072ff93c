package io.streamsgd.eos;

import static io.streamsgd.testkit.ServiceProcess.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.codec.BadInputReason;
import io.streamsgd.codec.DeadLetter;
import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.SyntheticEvents;
import io.streamsgd.learn.ModelSnapshot;
import io.streamsgd.testkit.CommittedReads;
import io.streamsgd.testkit.Http;
import io.streamsgd.testkit.Oracle;
import io.streamsgd.testkit.ServiceProcess;
import io.streamsgd.testkit.SharedBroker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input: a seeded corpus of more than 1,000 malformed records, covering every dead-letter
 * reason the service can meet and the cases below, interleaved with good events for two models.
 * Every bad record is dead-lettered once with its expected reason (matched by source offset) and
 * counted in the metrics; no good record is; {@code /health} answers 200 throughout; every weight
 * stays finite; and each model equals, bit for bit, {@code learn} over its good records alone.
 *
 * <p>How each edge case is classified (the service's documented behaviour, checked here):
 * <ul>
 *   <li>invalid UTF-8 (stray continuation bytes, overlong forms, surrogates, code points above
 *       U+10FFFF, a truncated sequence): {@code invalid_utf8};</li>
 *   <li>deeply nested JSON: {@code too_deep} when an object holds it (limit 16 levels, counted
 *       without recursion, so 100,000 levels cost nothing), {@code not_an_object} when the root is
 *       an array, {@code bad_feature_value} when a feature's value is an object or array;</li>
 *   <li>a 5 MB record (and one byte over {@code max.record.bytes}, 1 MiB): {@code record_too_large},
 *       checked before parsing; the dead letter keeps its first 64 KiB;</li>
 *   <li>100,000 features (and 10,001) in one event: {@code too_many_features} (limit
 *       {@code max.features}, 10,000); exactly 10,000 is a good event;</li>
 *   <li>1e400 (overflows a double): {@code bad_feature_value} as a feature value, {@code bad_label}
 *       as a label, {@code bad_weight} as a weight, {@code bad_id} as an id; so are NaN and
 *       Infinity;</li>
 *   <li>-0: as a weight {@code bad_weight} (not greater than 0); as a label it is 0, a good
 *       negative example; as a feature value it is zero and contributes nothing (good);
 *       1e-400 underflows to 0 the same way (so {@code "weight": 1e-400} is {@code bad_weight});</li>
 *   <li>duplicate feature names, or {@code features} given twice: {@code duplicate_feature};</li>
 *   <li>a label of {@code "yes"}: {@code bad_label}; a finite label the loss does not take (0.5, 2,
 *       1e300 for logistic): {@code label_out_of_range};</li>
 *   <li>an empty record, only whitespace, or a key with an empty value: {@code empty_record};</li>
 *   <li>a tombstone (null value, no key) and a key with no value: {@code null_value};</li>
 *   <li>a 3 MB key on a rejected record: dead-lettered with its reason, without the key;</li>
 *   <li>a squared-loss update that would overflow: {@code diverged}, the model unchanged.</li>
 * </ul>
 * {@code not_libsvm}, {@code not_vw} and {@code not_csv} are reasons of the file readers of
 * {@code learn} and {@code produce}; the service reads JSON only and never gives them.
 */
class BadInputIT {
    private static final long SEED = 5_150_001L;
    private static final String EVENTS_TOPIC = "bad-events";
    private static final String PREFIX = "bad-";
    private static final int GOOD_L1 = 3_000;
    private static final int GOOD_SQ = 600;
    /** Reasons the service can give; the file-format ones cannot occur on the JSON input topic. */
    private static final Set<BadInputReason> SERVICE_REASONS = EnumSet.complementOf(
            EnumSet.of(BadInputReason.NOT_LIBSVM, BadInputReason.NOT_VW, BadInputReason.NOT_CSV));

    /** One record of the corpus: what is sent, and the reason expected (null: a good event). */
    private record Item(String key, byte[] value, String reason, String model, String description) {
    }

    @Test
    void shouldDeadLetterEveryBadRecordStayHealthyAndTrainOnTheGoodOnesOnly(@TempDir Path tmp) throws Exception {
        long begin = System.nanoTime();
        String bootstrap = SharedBroker.bootstrapServers();
        createEventsTopic(bootstrap);
        List<Item> corpus = corpus(new Random(SEED));
        long bad = corpus.stream().filter(i -> i.reason() != null).count();
        assertThat(bad).as("malformed records in the corpus").isGreaterThanOrEqualTo(1_000);
        assertThat(corpus.stream().map(Item::reason).filter(r -> r != null).map(BadInputReason::fromCode).toList())
                .as("every reason the service can give is in the corpus").containsAll(SERVICE_REASONS);

        Properties config = Fixtures.service(bootstrap, PREFIX + "app", EVENTS_TOPIC, PREFIX, tmp.resolve("state"));
        Fixtures.model(config, "l1", 0, "l1", "1e-6");
        Fixtures.model(config, "sq", 0, "loss", "squared", "schedule", "constant", "learning-rate", "0.1");
        config.put("models.default", "l1");

        List<String> goodL1 = new ArrayList<>();
        List<String> goodSq = new ArrayList<>();
        for (Item i : corpus) {
            if (i.reason() == null) {
                (i.model().equals("sq") ? goodSq : goodL1).add(new String(i.value(), StandardCharsets.UTF_8));
            }
        }
        Map<String, Oracle.Learned> learned = new LinkedHashMap<>();
        learned.put("l1", Oracle.learn("l1", Oracle.learnerConfig(config, "l1"), goodL1));
        learned.put("sq", Oracle.learn("sq", Oracle.learnerConfig(config, "sq"), goodSq));

        List<String> unhealthy = new CopyOnWriteArrayList<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        try (ServiceProcess service = ServiceProcess.start("bad-input", config, tmp)) {
            service.awaitHealthy(Fixtures.LONG);
            Thread watcher = new Thread(() -> {
                while (watching.get()) {
                    int status = service.health();
                    if (status != 200 && watching.get()) {
                        unhealthy.add(System.currentTimeMillis() + ": /health " + status
                                + (service.isAlive() ? "" : " (process exited)"));
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "health-watcher");
            watcher.start();
            long[] offsets = produce(bootstrap, corpus);
            log("BadInputIT: %,d records (%,d malformed) produced", corpus.size(), bad);

            service.awaitTrained("l1", learned.get("l1").snapshot().events(), Fixtures.LONG);
            service.awaitTrained("sq", learned.get("sq").snapshot().events(), Fixtures.LONG);
            awaitDeadLettered(service, bad);
            // The metric counts at processing time; the last dead letters become readable when
            // their transaction commits (up to a commit interval later): read until all are there.
            List<ConsumerRecord<String, byte[]>> letters =
                    CommittedReads.all(bootstrap, PREFIX + "dead-letters", Fixtures.READ);
            long lettersDeadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (letters.size() < bad && System.nanoTime() < lettersDeadline) {
                Thread.sleep(200);
                letters = CommittedReads.all(bootstrap, PREFIX + "dead-letters", Fixtures.READ);
            }
            checkDeadLetters(corpus, offsets, letters);
            String scrape = service.metrics();
            assertThat(Http.sample(scrape, "streamsgd_events_total", "model=\"l1\",outcome=\"dead_lettered\""))
                    .as("dead letters of l1 (label_out_of_range)").isEqualTo(count(corpus, "label_out_of_range"));
            assertThat(Http.sample(scrape, "streamsgd_events_total", "model=\"sq\",outcome=\"dead_lettered\""))
                    .as("dead letters of sq (diverged)").isEqualTo(count(corpus, "diverged"));
            assertThat(Http.sample(scrape, "streamsgd_events_total", "model=\"l1\",outcome=\"predicted\""))
                    .as("unlabeled good events predicted").isEqualTo(1);

            List<Prediction> predictions = CommittedReads.predictions(bootstrap, PREFIX + "predictions", Fixtures.READ);
            Fixtures.assertExactlyOncePredictions(predictions, learned, "bad input");
            assertThat(predictions).allSatisfy(p -> assertThat(Double.isFinite(p.margin())).as(p.id()).isTrue());

            watching.set(false);
            watcher.interrupt();
            watcher.join(5_000);
            assertThat(unhealthy).as("/health answers other than 200 while the corpus was processed").isEmpty();
            assertThat(service.isAlive()).isTrue();
            assertThat(service.terminate(Duration.ofMinutes(2))).isEqualTo(ServiceProcess.EXIT_ON_SIGTERM);
        } finally {
            watching.set(false);
        }
        for (String model : List.of("l1", "sq")) {
            ModelSnapshot s = CommittedReads.awaitSnapshot(bootstrap, PREFIX + "models", model,
                    learned.get(model).snapshot().events(), Fixtures.READ);
            assertThat(Oracle.weights(s).values()).as("%s weights finite", model).allMatch(Double::isFinite);
            Oracle.assertBitIdentical(s, learned.get(model).snapshot(), model + " after the corpus vs learn(good records)");
        }
        log("BadInputIT: done in %d s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin));
    }

    /** Waits until the dead letters counted under every model tag add up to {@code expected}, then checks equality. */
    private static void awaitDeadLettered(ServiceProcess service, long expected) {
        long deadline = System.nanoTime() + Fixtures.LONG.toNanos();
        double total = -1;
        while (System.nanoTime() < deadline) {
            String scrape = service.metrics();
            total = 0;
            for (String model : List.of("l1", "sq", "none")) {
                total += Http.sample(scrape, "streamsgd_events_total", "model=\"" + model + "\",outcome=\"dead_lettered\"");
            }
            if (total >= expected) {
                break;
            }
            ServiceProcess.sleep(200);
        }
        assertThat(total).as("dead letters counted in the metrics (all model tags)").isEqualTo(expected);
    }

    private static long count(List<Item> corpus, String reason) {
        return corpus.stream().filter(i -> reason.equals(i.reason())).count();
    }

    /** Each bad record has exactly one dead letter, at its offset, with its reason; good records have none. */
    private static void checkDeadLetters(List<Item> corpus, long[] offsets, List<ConsumerRecord<String, byte[]>> letters)
            throws Exception {
        Map<Long, DeadLetter> byOffset = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : letters) {
            DeadLetter d = DeadLetter.fromJson(r.value());
            assertThat(d.topic()).isEqualTo(EVENTS_TOPIC);
            DeadLetter previous = byOffset.put(d.offset(), d);
            assertThat(previous).as("a second dead letter for offset %d: %s", d.offset(), d.reason()).isNull();
        }
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> byReason = new TreeMap<>();
        for (int i = 0; i < corpus.size(); i++) {
            Item item = corpus.get(i);
            DeadLetter d = byOffset.remove(offsets[i]);
            if (item.reason() == null) {
                if (d != null) {
                    wrong.add("good record " + item.description() + " @" + offsets[i] + " dead-lettered as " + d.reason()
                            + ": " + d.message());
                }
                continue;
            }
            if (d == null) {
                wrong.add(item.description() + " @" + offsets[i] + ": no dead letter, expected " + item.reason());
            } else if (!d.reason().equals(item.reason())) {
                wrong.add(item.description() + " @" + offsets[i] + ": " + d.reason() + " (" + d.message() + "), expected "
                        + item.reason());
            } else if (!java.util.Objects.equals(d.model(), expectedModel(item))) {
                wrong.add(item.description() + " @" + offsets[i] + ": dead letter names model " + d.model() + ", expected "
                        + expectedModel(item));
            } else {
                byReason.merge(d.reason(), 1, Integer::sum);
                int kept = Math.min(item.value() == null ? 0 : item.value().length, DeadLetter.MAX_KEPT_BYTES);
                if (item.value() != null && (d.value() == null || d.value().length != kept)) {
                    wrong.add(item.description() + ": the dead letter keeps " + (d.value() == null ? "nothing"
                            : d.value().length + " bytes") + ", expected " + kept);
                }
            }
        }
        assertThat(wrong).as("records dead-lettered wrongly").isEmpty();
        assertThat(byOffset).as("dead letters of no corpus record").isEmpty();
        log("BadInputIT: dead letters by reason %s", byReason);
    }

    /**
     * The model a dead letter names: the model whose update refused the event, the unknown name
     * the event gave, or none (the record was rejected before any model was known).
     */
    private static String expectedModel(Item item) {
        return switch (item.reason()) {
            case "label_out_of_range" -> "l1";
            case "diverged" -> "sq";
            case "unknown_model" -> {
                String json = new String(item.value(), StandardCharsets.UTF_8);
                int start = json.indexOf("\"model\":\"") + 9;
                yield json.substring(start, json.indexOf('"', start));
            }
            default -> null;
        };
    }

    private static void createEventsTopic(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // 8 MiB records, so that the 5 MB one reaches the service, which must dead-letter it.
            admin.createTopics(List.of(new NewTopic(EVENTS_TOPIC, 1, (short) 1)
                    .configs(Map.of("max.message.bytes", String.valueOf(8 << 20))))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static long[] produce(String bootstrap, List<Item> corpus) throws Exception {
        long[] offsets = new long[corpus.size()];
        try (KafkaProducer<String, byte[]> producer = Fixtures.producer(bootstrap)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Item i : corpus) {
                sent.add(producer.send(new ProducerRecord<>(EVENTS_TOPIC, i.key(), i.value())));
            }
            producer.flush();
            for (int i = 0; i < sent.size(); i++) {
                offsets[i] = sent.get(i).get(2, TimeUnit.MINUTES).offset();
            }
        }
        return offsets;
    }

    // ---- The corpus -------------------------------------------------------------------------

    private static List<Item> corpus(Random random) {
        List<Item> good = new ArrayList<>();
        SyntheticEvents l1 = new SyntheticEvents(SEED, new SyntheticEvents.Shape(2_000, 20, 3, 8, 0));
        for (int i = 0; i < GOOD_L1; i++) {
            good.add(good("l1", new String(l1.next(), StandardCharsets.UTF_8), "synthetic"));
        }
        for (int i = 0; i < GOOD_SQ; i++) {
            StringBuilder f = new StringBuilder();
            double y = 0;
            for (int k = 0; k < 5; k++) {
                int j = random.nextInt(200);
                double x = Math.round(random.nextGaussian() * 100) / 100.0;
                f.append(k == 0 ? "" : ",").append("\"x").append(j).append("_").append(k).append("\":").append(x);
                y += x * (j % 7 - 3);
            }
            good.add(good("sq", String.format(Locale.ROOT, "{\"id\":\"sq-%d\",\"model\":\"sq\",\"label\":%s,\"features\":{%s}}",
                    i, y, f), "squared"));
        }
        good.addAll(edgyGoodEvents());

        List<Item> bad = new ArrayList<>();
        List<String> samples = good.stream().filter(i -> i.model().equals("l1")).limit(200)
                .map(i -> new String(i.value(), StandardCharsets.UTF_8)).toList();
        for (int n = 0; n < 50; n++) {
            bad.addAll(badVariants(n, random, samples.get(n % samples.size())));
        }
        bad.addAll(bigOnes());

        // Interleave: the good records keep their order (per model, the produce order is the training order).
        List<Item> corpus = new ArrayList<>(good.size() + bad.size());
        int g = 0;
        int b = 0;
        while (g < good.size() || b < bad.size()) {
            boolean takeBad = b < bad.size() && (g >= good.size() || random.nextInt(good.size() + bad.size()) < bad.size());
            corpus.add(takeBad ? bad.get(b++) : good.get(g++));
        }
        return corpus;
    }

    private static Item good(String model, String json, String description) {
        return new Item(null, json.getBytes(StandardCharsets.UTF_8), null, model, description);
    }

    private static Item bad(String reason, String json, String description) {
        return bad(reason, json == null ? null : json.getBytes(StandardCharsets.UTF_8), description);
    }

    private static Item bad(String reason, byte[] value, String description) {
        BadInputReason.fromCode(reason); // a typo in a test reason must fail here, not pass as a mismatch
        return new Item(null, value, reason, null, description);
    }

    /** Good events at the edges of the format: each must train (or predict) exactly as learn does. */
    private static List<Item> edgyGoodEvents() {
        List<Item> out = new ArrayList<>();
        out.add(good("l1", "{\"id\":\"edge-neg-zero-label\",\"label\":-0,\"features\":{\"f1\":1,\"f2\":1}}", "label -0 is 0"));
        out.add(good("l1", "{\"id\":\"edge-neg-zero-feature\",\"label\":1,\"features\":{\"f3\":-0,\"f4\":1}}", "feature -0"));
        out.add(good("l1", "{\"id\":\"edge-underflow\",\"label\":0,\"features\":{\"f5\":1e-400,\"f6\":1}}", "feature 1e-400"));
        out.add(good("l1", "{\"id\":\"edge-only-zero\",\"label\":1,\"features\":{\"f7\":0}}", "only a zero feature"));
        out.add(good("l1", "{\"id\":\"edge-bools\",\"label\":true,\"features\":{\"b1\":true,\"b2\":false}}", "booleans"));
        out.add(good("l1", "{\"id\":\"edge-minus-one\",\"label\":-1,\"features\":{\"f8\":2.5}}", "label -1"));
        out.add(good("l1", "{\"id\":\"edge-weight\",\"label\":1,\"weight\":3.5,\"features\":{\"f9\":1}}", "importance 3.5"));
        out.add(good("l1", "{\"id\":\"edge-unlabeled\",\"label\":null,\"features\":{\"f9\":1}}", "label null"));
        out.add(good("l1", "{\"id\":\"edge-categorical\",\"label\":1,\"features\":{\"site\":\"news.example\",\"h\":\"13\"}}",
                "categorical"));
        out.add(good("l1", "{\"id\":\"edge-unicode\",\"label\":0,\"features\":{\"caf\u00e9\":1,\"\u65e5\u672c\":1,"
                + "\"\ud83d\ude00\":1}}", "unicode names"));
        out.add(good("l1", "{\"id\":\"edge-extra\",\"label\":1,\"features\":{\"f10\":1},\"meta\":{\"a\":[1,2,{\"b\":null}]}}",
                "unknown fields"));
        out.add(good("l1", "{\"id\":\"edge-numeric-id\",\"label\":0,\"features\":{\"f11\":1e-3}}", "small value"));
        out.add(good("l1", "{\"id\":\"edge-nested-14\",\"label\":1,\"features\":{\"f12\":1},\"deep\":"
                + "[".repeat(14) + "]".repeat(14) + "}", "nesting of 15 levels"));
        StringBuilder many = new StringBuilder("{\"id\":\"edge-10000-features\",\"label\":1,\"features\":{");
        for (int i = 0; i < 10_000; i++) {
            many.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":1");
        }
        out.add(good("l1", many.append("}}").toString(), "exactly max.features features"));
        String head = "{\"id\":\"edge-1mib\",\"label\":1,\"features\":{\"f13\":1},\"pad\":\"";
        String atLimit = head + "p".repeat((1 << 20) - head.length() - 2) + "\"}";
        assertThat(atLimit.length()).isEqualTo(1 << 20);
        out.add(good("l1", atLimit, "exactly max.record.bytes bytes"));
        out.add(good("l1", "{\"id\":\"edge-long-id-" + "i".repeat(700_000) + "\",\"label\":0,\"features\":{\"f14\":1}}",
                "an id of 700,000 characters"));
        return out;
    }

    /** One variant of every kind of malformed record; {@code n} and {@code random} vary names and values. */
    private static List<Item> badVariants(int n, Random random, String sample) {
        List<Item> out = new ArrayList<>();
        String f = "\"features\":{\"v" + n + "\":1}";
        byte[] sampleBytes = sample.getBytes(StandardCharsets.UTF_8);
        // not_json: truncated good events, syntax errors, content after the object, a NUL first.
        int cut = 1 + random.nextInt(sampleBytes.length - 1);
        out.add(bad("not_json", java.util.Arrays.copyOf(sampleBytes, cut), "good event cut at " + cut));
        out.add(bad("not_json", List.of("{", "{\"features\":{\"a\":1}", "{\"features\":{\"a\":1},}", "{'features':{'a':1}}",
                "nul", "{\"features\":{\"a\":1}} {}", "{\"features\":{\"a\":}}", "{\"label\":01," + f + "}",
                "{features:{}}", "\u0000{" + f + "}").get(n % 10), "syntax " + n % 10));
        // invalid_utf8, inside a feature name of a good event.
        byte[][] invalid = {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};
        out.add(bad("invalid_utf8", concat("{\"label\":1,\"features\":{\"u", invalid[n % invalid.length], "\":1}}"),
                "invalid UTF-8 form " + n % invalid.length));
        out.add(bad("not_an_object", List.of("[1,2]", "\"str\"", "42", "null", "true", "[]", "[{" + f + "}]",
                "[".repeat(50_000) + "]".repeat(50_000)).get(n % 8), "root " + n % 8));
        int depth = 17 + random.nextInt(n % 5 == 0 ? 100_000 : 50);
        out.add(bad("too_deep", "{\"label\":1," + f + ",\"meta\":" + "[".repeat(depth) + "]".repeat(depth) + "}",
                "nesting of " + (depth + 1) + " levels"));
        out.add(bad("empty_record", List.of("", " ", "\n\t \r\n").get(n % 3), "blank " + n % 3));
        out.add(bad("missing_features", List.of("{\"label\":1}", "{}", "{\"features\":null,\"label\":0}",
                "{\"id\":\"m" + n + "\",\"label\":1,\"feature\":{\"a\":1}}").get(n % 4), "no features " + n % 4));
        out.add(bad("empty_features", "{\"id\":\"e" + n + "\",\"label\":1,\"features\":{}}", "empty features"));
        out.add(bad("bad_feature_value", "{\"label\":1,\"features\":{\"a\":1," + List.of("\"b\":null", "\"b\":[1]",
                "\"b\":{\"c\":1}", "\"b\":1e400", "\"b\":-1e400", "\"b\":NaN", "\"b\":Infinity", "\"b\":-Infinity")
                .get(n % 8) + "}}", "feature value " + n % 8));
        out.add(bad("bad_feature_value", "{\"label\":1,\"features\":" + List.of("[1,2]", "\"a\"", "42", "true").get(n % 4)
                + "}", "features not an object " + n % 4));
        out.add(bad("duplicate_feature", n % 2 == 0
                ? "{\"label\":1,\"features\":{\"d" + n + "\":1,\"x\":2,\"d" + n + "\":1}}"
                : "{\"label\":1," + f + "," + f + "}", "duplicate " + n % 2));
        out.add(bad("bad_label", "{" + f + ",\"label\":" + List.of("\"yes\"", "[1]", "{}", "1e400", "\"1\"", "NaN",
                "1,\"label\":1").get(n % 7) + "}", "label " + n % 7));
        out.add(bad("label_out_of_range", "{\"label\":" + List.of("0.5", "2", "-3", "1e300", "1.0000001").get(n % 5) + ","
                + f + "}", "label out of range " + n % 5));
        out.add(bad("bad_weight", "{\"label\":1," + f + ",\"weight\":" + List.of("0", "-1", "-0", "1e400", "\"2\"", "true",
                "1e-400", "1,\"weight\":1", "-0.0").get(n % 9) + "}", "weight " + n % 9));
        out.add(bad("bad_id", "{\"id\":" + List.of("{}", "[1]", "true", "1e400", "\"a\",\"id\":\"b\"").get(n % 5) + ",\"label\":1,"
                + f + "}", "id " + n % 5));
        out.add(bad("bad_model", "{\"model\":" + List.of("1", "true", "{}", "[\"l1\"]", "\"l1\",\"model\":\"l1\"").get(n % 5)
                + ",\"label\":1," + f + "}", "model " + n % 5));
        out.add(bad("unknown_model", "{\"model\":" + List.of("\"nope\"", "\"\"", "\"L1\"", "\"l1 \"").get(n % 4)
                + ",\"label\":1," + f + "}", "unknown model " + n % 4));
        out.add(new Item(n % 2 == 0 ? null : "l1", null, "null_value", null, n % 2 == 0 ? "tombstone" : "key, no value"));
        out.add(new Item("k" + n, new byte[0], "empty_record", null, "key, empty value"));
        // diverged: a squared-loss step that would overflow a new weight: rate 0.1 times the residual,
        // clipped to 1e150, times a value of 1e160 or more is beyond a double. The model is left as it was.
        out.add(bad("diverged", String.format(Locale.ROOT,
                "{\"model\":\"sq\",\"label\":1e300,\"features\":{\"huge%d\":1e%d}}", n, 160 + random.nextInt(148)),
                "squared-loss overflow"));
        return out;
    }

    /** The big ones, once each. */
    private static List<Item> bigOnes() {
        List<Item> out = new ArrayList<>();
        String pad = "x".repeat(5 * 1024 * 1024);
        out.add(bad("record_too_large", "{\"label\":1,\"features\":{\"a\":1},\"pad\":\"" + pad + "\"}", "5 MB record"));
        String head = "{\"label\":1,\"features\":{\"a\":1},\"pad\":\"";
        String justOver = head + "y".repeat((1 << 20) + 1 - head.length() - 2) + "\"}";
        assertThat(justOver.length()).isEqualTo((1 << 20) + 1);
        out.add(bad("record_too_large", justOver, "1 MiB + 1 byte"));
        out.add(bad("too_many_features", features(100_000), "100,000 features"));
        out.add(bad("too_many_features", features(10_001), "10,001 features"));
        // A key is free-form and has no size check of its own: a 3 MB one on a rejected record.
        out.add(new Item("k".repeat(3_000_000), "not json".getBytes(StandardCharsets.UTF_8), "not_json", null,
                "a 3 MB key"));
        out.add(new Item("t".repeat(3_000_000), null, "null_value", null, "a 3 MB key, no value"));
        return out;
    }

    /** An event with {@code count} features with short (base-36) names, so that 100,000 fit under 1 MiB. */
    private static String features(int count) {
        StringBuilder b = new StringBuilder("{\"label\":1,\"features\":{");
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : ",").append('"').append(Integer.toString(i, 36)).append("\":1");
        }
        String json = b.append("}}").toString();
        assertThat(json.length()).as("the %d-feature record stays under 1 MiB", count).isLessThan(1 << 20);
        return json;
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
