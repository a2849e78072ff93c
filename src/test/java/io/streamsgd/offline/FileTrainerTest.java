package io.streamsgd.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.LibSvmReader;
import io.streamsgd.codec.LineReader;
import io.streamsgd.codec.PredictionJson;
import io.streamsgd.learn.HashedWeightTable;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.learn.OnlineLearner;
import io.streamsgd.learn.Regularization;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link FileTrainer} parses on a thread of its own: what it learns, predicts and reports must be
 * what a plain loop over the lines on one thread gives, to the bit, and a failure on either thread
 * must end the pass with an error, never a hang.
 */
class FileTrainerTest {
    private static final Duration NO_HANG = Duration.ofSeconds(30);
    private static final LearnerConfig CONFIG = LearnerConfig.defaults()
            .withRegularization(new Regularization(1e-4, 1e-4, 1, Double.POSITIVE_INFINITY));

    /** Seeded LibSVM lines over a vocabulary of 2,000 indices, with blank, comment and bad lines among them. */
    private static List<String> lines(int n) {
        SplittableRandom random = new SplittableRandom(7);
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (i % 97 == 0) {
                lines.add("x 1:1"); // bad label, rejected by the parser
            } else if (i % 101 == 0) {
                lines.add("2 1:1"); // label out of range, rejected by the learner
            } else if (i % 89 == 0) {
                lines.add("1 5:1 5:2"); // duplicate feature
            } else if (i % 53 == 0) {
                lines.add(i % 2 == 0 ? "" : "# a comment");
            } else {
                StringBuilder b = new StringBuilder().append(random.nextInt(2));
                int features = 1 + random.nextInt(40);
                for (int f = 0; f < features; f++) {
                    b.append(' ').append(f * 50 + random.nextInt(50)).append(':').append(random.nextDouble(-2, 2));
                }
                lines.add(b.toString());
            }
        }
        return lines;
    }

    /** The pass as a plain loop on this thread: predictions JSON and bad lines, in order. */
    private static String sequentialPass(List<String> lines, List<String> bad, Map<Integer, Double> weights)
            throws IOException {
        OnlineLearner learner = new OnlineLearner(CONFIG, new HashedWeightTable());
        LineReader reader = new LibSvmReader();
        Event event = new Event();
        StringWriter out = new StringWriter();
        try (JsonGenerator predictions = PredictionJson.lineWriter(out)) {
            for (int i = 0; i < lines.size(); i++) {
                try {
                    if (!reader.parse(lines.get(i), event)) {
                        continue;
                    }
                } catch (BadInputException e) {
                    bad.add((i + 1) + " " + e.reason().code() + ": " + e.getMessage());
                    continue;
                }
                double label;
                try {
                    label = CONFIG.loss().label(event.label());
                } catch (IllegalArgumentException e) {
                    bad.add((i + 1) + " label_out_of_range: " + e.getMessage());
                    continue;
                }
                double margin = learner.learn(event.features(), label, event.weight());
                double loss = CONFIG.loss().loss(margin, label);
                PredictionJson.write(new io.streamsgd.codec.Prediction(Integer.toString(i + 1), "m", 0, margin,
                        CONFIG.loss().prediction(margin), label, loss, true), predictions);
            }
        }
        learner.seal((slot, name, value) -> weights.put(slot, value));
        return out.toString();
    }

    @Test
    void shouldLearnPredictAndReportExactlyWhatALoopOnOneThreadDoes() throws IOException {
        List<String> lines = lines(3_000); // 24 batches
        List<String> expectedBad = new ArrayList<>();
        Map<Integer, Double> expectedWeights = new TreeMap<>();
        String expected = sequentialPass(lines, expectedBad, expectedWeights);

        FileTrainer trainer = new FileTrainer("m", CONFIG);
        List<String> bad = new ArrayList<>();
        StringWriter out = new StringWriter();
        FileTrainer.Result result;
        try (JsonGenerator predictions = PredictionJson.lineWriter(out)) {
            result = trainer.run(new BufferedReader(new StringReader(String.join("\n", lines))), new LibSvmReader(),
                    predictions, (line, reason) -> bad.add(line + " " + reason), null, Long.MAX_VALUE);
        }
        Map<Integer, Double> weights = new TreeMap<>();
        trainer.learner().seal((slot, name, value) -> weights.put(slot, value));

        assertThat(out.toString()).isEqualTo(expected); // every margin, to the last bit, in order
        assertThat(bad).isEqualTo(expectedBad).hasSize(30 + 29 + 33);
        assertThat(bad.get(0)).isEqualTo("89 duplicate_feature: index '5' appears twice");
        assertThat(weights).isEqualTo(expectedWeights);
        assertThat(result.events()).isEqualTo(expected.lines().count());
        assertThat(result.badLines()).isEqualTo(expectedBad.size());
    }

    @Test
    void shouldFailWithTheReadErrorAfterLearningTheLinesBeforeIt() {
        String text = String.join("\n", lines(1_000)) + "\n";
        Reader failing = new Reader() {
            private final StringReader in = new StringReader(text);

            @Override
            public int read(char[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                if (n < 0) {
                    throw new IOException("device gone");
                }
                return n;
            }

            @Override
            public void close() {
            }
        };
        assertTimeoutPreemptively(NO_HANG, () -> {
            FileTrainer trainer = new FileTrainer("m", CONFIG);
            assertThatThrownBy(() -> trainer.run(new BufferedReader(failing), new LibSvmReader(), null,
                    (line, reason) -> { }, null, Long.MAX_VALUE)).isInstanceOf(IOException.class).hasMessage("device gone");
            assertThat(trainer.learner().step()).isEqualTo(1_000 - 10 - 9 - 11 - 18); // every line but the bad, blank and comment ones
        });
    }

    @Test
    void shouldReportAReaderBugAsAnErrorNamingTheLine() {
        LibSvmReader libsvm = new LibSvmReader();
        LineReader buggy = (line, into) -> {
            if (line.startsWith("bug")) {
                throw new IllegalStateException("reader bug");
            }
            return libsvm.parse(line, into);
        };
        List<String> lines = lines(500);
        lines.set(299, "bug");
        assertTimeoutPreemptively(NO_HANG, () -> {
            FileTrainer trainer = new FileTrainer("m", CONFIG);
            assertThatThrownBy(() -> trainer.run(new BufferedReader(new StringReader(String.join("\n", lines))), buggy,
                    null, (line, reason) -> { }, null, Long.MAX_VALUE))
                    .isInstanceOf(IOException.class)
                    .hasMessage("parsing failed at line 300: java.lang.IllegalStateException: reader bug");
        });
    }

    @Test
    void shouldStopTheParserThreadWhenTheLearningThreadFails() {
        assertTimeoutPreemptively(NO_HANG, () -> {
            FileTrainer trainer = new FileTrainer("m", CONFIG);
            assertThatThrownBy(() -> trainer.run(new BufferedReader(new StringReader(String.join("\n", lines(5_000)))),
                    new LibSvmReader(), null, (line, reason) -> {
                        throw new IllegalStateException("stop at line " + line);
                    }, null, Long.MAX_VALUE)).hasMessage("stop at line 89");
            assertThat(parserThreads()).isZero();
        });
    }

    private static long parserThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("learn-parser") && t.isAlive()).count();
    }
}
