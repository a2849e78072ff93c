package io.streamsgd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.JsonEventReader;
import io.streamsgd.learn.HashedWeightTable;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.learn.Loss;
import io.streamsgd.learn.OnlineLearner;
import io.streamsgd.learn.Regularization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code streamsgd learn}, run in-process through the real command line with captured output, on
 * small seeded files written to a temporary directory.
 */
class LearnCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 1_500;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = StreamSgd.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private JsonNode summary() throws IOException {
        String[] lines = out.toString().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    /**
     * Seeded events in JSON Lines: numeric features with a power-law frequency (some rare),
     * categorical and boolean ones, labels from a sparse logistic truth; ids {@code e1, e2, ...}.
     */
    static List<String> jsonEvents(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] truth = new double[300];
        for (int j = 0; j < truth.length; j++) {
            truth[j] = random.nextInt(4) == 0 ? random.nextDouble(-2, 2) : 0;
        }
        List<String> lines = new ArrayList<>();
        for (int e = 1; e <= count; e++) {
            StringBuilder features = new StringBuilder();
            double z = 0;
            int n = 2 + random.nextInt(12);
            java.util.Set<Integer> used = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                double u = random.nextDouble();
                int j = (int) (truth.length * u * u);
                if (!used.add(j)) {
                    continue;
                }
                double x = Math.round(random.nextDouble(-2, 2) * 1000) / 1000.0;
                features.append(features.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "\"f%d\":%s", j, x));
                z += truth[j] * x;
            }
            String color = random.nextBoolean() ? "red" : "blue";
            boolean flag = random.nextBoolean();
            z += color.equals("red") ? 0.5 : -0.5;
            int label = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
            lines.add(String.format(Locale.ROOT, "{\"id\":\"e%d\",\"label\":%d,\"features\":{%s,\"color\":\"%s\",\"flag\":%s}}",
                    e, label, features, color, flag));
        }
        return lines;
    }

    private Path write(String name, List<String> lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private Path events() throws IOException {
        return write("events.jsonl", jsonEvents(7, EVENTS));
    }

    /** The same training as the command, done directly: margins and sealed weights by name. */
    private static Reference reference(Path file, LearnerConfig config) throws IOException, BadInputException {
        OnlineLearner learner = new OnlineLearner(config, new HashedWeightTable());
        JsonEventReader reader = new JsonEventReader();
        Event event = new Event();
        List<Double> margins = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            reader.readLine(line, event);
            margins.add(learner.learn(event.features(), config.loss().label(event.label()), event.weight()));
        }
        Map<String, Double> weights = new HashMap<>();
        learner.seal((slot, name, value) -> weights.put(name, value));
        return new Reference(margins, weights, learner.bias());
    }

    record Reference(List<Double> margins, Map<String, Double> weights, double bias) {
    }

    @Test
    void shouldPrintTheJsonSummaryAsTheLastLineOfStdout() throws IOException {
        assertThat(run("learn", "--input", events().toString())).isZero();

        JsonNode s = summary();
        assertThat(s.fieldNames()).toIterable()
                .contains("events", "meanLoss", "accuracy", "auc", "nonzeros", "eventsPerSecond");
        assertThat(s.get("events").asLong()).isEqualTo(EVENTS);
        assertThat(s.get("meanLoss").asDouble()).isBetween(0.3, Math.log(2)); // learns something
        assertThat(s.get("accuracy").asDouble()).isBetween(0.6, 1.0);
        assertThat(s.get("auc").asDouble()).isBetween(0.6, 1.0);
        assertThat(s.get("nonzeros").asLong()).isBetween(100L, 400L);
        assertThat(s.get("eventsPerSecond").asDouble()).isPositive();
        assertThat(err.toString()).doesNotContain("line ");
    }

    @Test
    void shouldLeaveOutAccuracyAndAucForSquaredLoss() throws IOException {
        assertThat(run("learn", "--input", events().toString(), "--loss", "squared", "--learning-rate", "0.1")).isZero();

        JsonNode s = summary();
        assertThat(s.has("accuracy")).isFalse();
        assertThat(s.has("auc")).isFalse();
        assertThat(s.get("events").asLong()).isEqualTo(EVENTS);
        assertThat(s.get("meanLoss").asDouble()).isFinite().isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', textBlock = """
            events.libsvm ; 1 3:0.5 7:1.5
            events.SVM    ; 0 3:0.5 8:-1
            events.vw     ; 1 |a x:0.5 y
            events.json   ; {"label":1,"features":{"x":0.5}}
            """)
    void shouldTellTheFormatFromTheFileExtension(String name, String line) throws IOException {
        Path file = write(name, List.of(line, line, line));

        assertThat(run("learn", "--input", file.toString())).isZero();

        assertThat(summary().get("events").asLong()).isEqualTo(3);
        assertThat(summary().get("badLines").asLong()).isZero();
    }

    @Test
    void shouldFollowAnExplicitFormatOverTheExtension() throws IOException {
        Path file = write("events.txt", List.of("1 1:1 2:1", "0 1:1 3:1"));

        assertThat(run("learn", "--input", file.toString(), "--format", "libsvm")).isZero();
        assertThat(summary().get("events").asLong()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAFileWhoseFormatItCannotTell() throws IOException {
        Path file = write("events.txt", List.of("1 1:1"));

        assertThat(run("learn", "--input", file.toString())).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("cannot tell the event format", "--format");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldReadJsonLinesFromStdinWithInputDash() throws IOException {
        byte[] input = String.join("\n", jsonEvents(7, 200)).getBytes(StandardCharsets.UTF_8);
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input));
            assertThat(run("learn", "--input", "-")).isZero();
        } finally {
            System.setIn(stdin);
        }
        assertThat(summary().get("events").asLong()).isEqualTo(200);
    }

    @Test
    void shouldReportBadLinesWithTheirNumberAndCarryOn() throws IOException {
        List<String> lines = new ArrayList<>(jsonEvents(7, 10));
        lines.add(2, "not json at all");
        lines.add(5, "{\"label\":7,\"features\":{\"x\":1}}");
        lines.add(7, "");
        lines.add(9, "{\"label\":1,\"features\":{}}");
        Path file = write("mixed.jsonl", lines);

        assertThat(run("learn", "--input", file.toString())).isZero();

        JsonNode s = summary();
        assertThat(s.get("events").asLong()).isEqualTo(10);
        assertThat(s.get("badLines").asLong()).isEqualTo(3);
        assertThat(err.toString())
                .contains("line 3: not_json")
                .contains("line 6: label_out_of_range")
                .contains("line 10: empty_features")
                .doesNotContain("line 8:") // a blank line is no event, not a bad one
                .contains("3 bad lines skipped");
    }

    @Test
    void shouldFailClearlyOnAMissingFile() {
        Path missing = dir.resolve("missing.jsonl");

        assertThat(run("learn", "--input", missing.toString())).isEqualTo(1);

        assertThat(err.toString()).contains("cannot read", "missing.jsonl", "no such file");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldFailClearlyOnADirectory() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("events.jsonl"));

        assertThat(run("learn", "--input", directory.toString())).isEqualTo(1);

        assertThat(err.toString()).contains("cannot read", "events.jsonl");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldFailClearlyWhenAnOutputCannotBeWritten() throws IOException {
        Path events = events();
        Path nowhere = dir.resolve("no-such-dir").resolve("out.json");

        assertThat(run("learn", "--input", events.toString(), "--predictions-out", nowhere.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot write", "out.json");

        err.getBuffer().setLength(0);
        assertThat(run("learn", "--input", events.toString(), "--snapshot-out", nowhere.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot write", "out.json");
        assertThat(out.toString()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            --loss           | nope | unknown loss 'nope'
            --hash-bits      | 40   | hash-bits must be in [1, 30], got 40
            --hash-bits      | 0    | hash-bits must be in [1, 30], got 0
            --l1             | -1   | l1 must be a finite number >= 0, got -1.0
            --l2             | -1   | l2 must be a finite number >= 0, got -1.0
            --l2             | NaN  | l2 must be a finite number >= 0, got NaN
            --truncate-every | 0    | truncate-every must be >= 1, got 0
            --theta          | 0    | theta must be > 0
            --schedule       | fast | unknown schedule 'fast'
            --learning-rate  | 0    | learning-rate must be a finite number > 0, got 0.0
            --power-t        | -1   | power-t must be a finite number >= 0, got -1.0
            --format         | xml  | unknown event format 'xml'
            --max-features   | 0    | max-features must be >= 1, got 0
            --l1             | abc  | Invalid value for option '--l1'
            """)
    void shouldRefuseAnInvalidOptionWithAClearMessage(String option, String value, String message) throws IOException {
        List<String> args = new ArrayList<>(List.of("learn", "--input", events().toString(), option, value));
        if (option.equals("--power-t")) {
            args.addAll(List.of("--schedule", "invscaling"));
        }
        assertThat(run(args.toArray(String[]::new))).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains(message);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldWriteTheSealedModelMatchingTheLearner() throws IOException, BadInputException {
        Path events = events();
        Path snapshot = dir.resolve("model.json");

        assertThat(run("learn", "--input", events.toString(), "--l1", "1e-3", "--l2", "1e-4",
                "--snapshot-out", snapshot.toString())).isZero();

        JsonNode model = JSON.readTree(snapshot.toFile());
        Reference expected = reference(events, LearnerConfig.defaults()
                .withRegularization(new Regularization(1e-3, 1e-4, 1, Double.POSITIVE_INFINITY)));
        Map<String, Double> weights = new HashMap<>();
        for (Map.Entry<String, JsonNode> w : model.get("weights").properties()) {
            weights.put(w.getKey(), w.getValue().asDouble());
        }
        assertThat(weights).as("nonzero weights by feature name, exactly").isEqualTo(expected.weights());
        assertThat(weights.values()).doesNotContain(0.0);
        assertThat(weights).containsKeys("color=red", "color=blue", "flag");
        assertThat(model.get("bias").asDouble()).isEqualTo(expected.bias());
        assertThat(summary().get("nonzeros").asLong()).isEqualTo(weights.size());
        // L1 on this file zeroes some of the features it has seen
        assertThat(weights.size()).isLessThan(referenceWithoutPenalty(events).size());
    }

    private static Map<String, Double> referenceWithoutPenalty(Path events) throws IOException, BadInputException {
        return reference(events, LearnerConfig.defaults()).weights();
    }

    @Test
    void shouldWriteOnePredictionPerEventWithTheProgressiveMargin() throws IOException, BadInputException {
        Path events = events();
        Path predictions = dir.resolve("predictions.jsonl");

        assertThat(run("learn", "--input", events.toString(), "--predictions-out", predictions.toString())).isZero();

        List<String> lines = Files.readAllLines(predictions, StandardCharsets.UTF_8);
        List<Double> margins = reference(events, LearnerConfig.defaults()).margins();
        assertThat(lines).hasSize(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            JsonNode p = JSON.readTree(lines.get(i));
            assertThat(p.get("id").asText()).isEqualTo("e" + (i + 1));
            assertThat(p.get("margin").asDouble()).as("margin of event %d", i + 1).isEqualTo(margins.get(i));
            assertThat(p.get("prediction").asDouble()).isEqualTo(Loss.LOGISTIC.prediction(margins.get(i)));
            assertThat(p.get("trained").asBoolean()).isTrue();
            assertThat(p.has("label")).isTrue();
            assertThat(p.get("loss").asDouble()).isEqualTo(Loss.LOGISTIC.loss(margins.get(i), p.get("label").asDouble()));
        }
    }

    @Test
    void shouldPredictUnlabeledEventsWithoutTrainingOnThem() throws IOException {
        List<String> lines = new ArrayList<>(jsonEvents(7, 100));
        lines.add("{\"id\":\"q\",\"features\":{\"f0\":1.0}}");
        Path file = write("with-query.jsonl", lines);
        Path predictions = dir.resolve("predictions.jsonl");

        assertThat(run("learn", "--input", file.toString(), "--predictions-out", predictions.toString())).isZero();

        assertThat(summary().get("events").asLong()).isEqualTo(101);
        assertThat(summary().get("trained").asLong()).isEqualTo(100);
        List<String> written = Files.readAllLines(predictions, StandardCharsets.UTF_8);
        JsonNode query = JSON.readTree(written.get(100));
        assertThat(query.get("id").asText()).isEqualTo("q");
        assertThat(query.get("trained").asBoolean()).isFalse();
        assertThat(query.has("label")).isFalse();
        assertThat(query.has("loss")).isFalse();
    }

    @Test
    void eagerShouldGiveTheSameModelAsLazy() throws IOException {
        Path events = events();
        Path lazy = dir.resolve("lazy.json");
        Path eager = dir.resolve("eager.json");
        String[] options = {"--l1", "3e-4", "--l2", "1e-4", "--truncate-every", "3", "--theta", "0.5"};

        List<String> lazyArgs = new ArrayList<>(List.of("learn", "--input", events.toString(), "--snapshot-out", lazy.toString()));
        lazyArgs.addAll(List.of(options));
        List<String> eagerArgs = new ArrayList<>(List.of("learn", "--input", events.toString(), "--eager", "--snapshot-out", eager.toString()));
        eagerArgs.addAll(List.of(options));
        assertThat(run(lazyArgs.toArray(String[]::new))).isZero();
        assertThat(run(eagerArgs.toArray(String[]::new))).isZero();

        JsonNode l = JSON.readTree(lazy.toFile());
        JsonNode e = JSON.readTree(eager.toFile());
        List<String> names = new ArrayList<>();
        e.get("weights").fieldNames().forEachRemaining(names::add);
        assertThat(l.get("weights").size()).as("the same nonzero weights").isEqualTo(names.size());
        assertThat(names).hasSizeGreaterThan(50);
        for (String name : names) {
            double expected = e.get("weights").get(name).asDouble();
            assertThat(l.get("weights").has(name)).as("lazy model has %s", name).isTrue();
            double actual = l.get("weights").get(name).asDouble();
            assertThat(Math.abs(actual - expected)).as("weight of %s: lazy %s, eager %s", name, actual, expected)
                    .isLessThanOrEqualTo(1e-9 * Math.max(1e-6, Math.abs(expected)));
        }
        assertThat(l.get("bias").asDouble()).isCloseTo(e.get("bias").asDouble(), within(1e-9 * Math.abs(e.get("bias").asDouble())));
    }
}
