package io.streamsgd.bench;

import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.EventFormat;
import io.streamsgd.codec.LineReader;
import io.streamsgd.codec.TestData;
import io.streamsgd.learn.Features;
import io.streamsgd.learn.HashedWeightTable;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.learn.Loss;
import io.streamsgd.learn.OnlineLearner;
import io.streamsgd.learn.ProgressiveMetrics;
import io.streamsgd.offline.FileTrainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The steady-state (warm JIT, in-process) cost of the {@code learn} command's work on the real
 * data files of {@code ../shared/data}, split into its parts. One operation is one single pass over
 * the file's lines, held in memory, with the default settings and a fresh model, as one
 * {@code learn} run makes it: the score is passes per second, so events per second is the score
 * times the file's rows (4,601 for spambase, 5,000 for fine_foods).
 *
 * <ul>
 *   <li>{@code parse}: the line reader alone (text to hashed features);
 *   <li>{@code learn}: the learner alone, over events parsed in the setup (predict, score, train);
 *   <li>{@code parseAndLearn}: both with progressive metrics, what {@code learn} does between
 *       reading a line and printing the summary (no file I/O, no JVM start-up), on one thread;
 *   <li>{@code fileTrainer}: the same pass as {@code learn} runs it, {@link FileTrainer#run} over
 *       the text, which parses on a second thread while the calling one learns; it does a little
 *       more than {@code parseAndLearn} (splits the text into lines, seals the model). Its CPU
 *       time is two threads' and is not what {@code PipelineLoop} reports: compare wall-clock.
 * </ul>
 *
 * <p>Run: {@code bench/jmh.sh PipelineBenchmark} (see BENCHMARKS.md for the exact settings used).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PipelineBenchmark {
    @Param({"fine_foods.libsvm", "spambase_log1p.libsvm"})
    public String file;

    private String[] lines;
    private String text;
    private LineReader reader;
    private final Event event = new Event();
    private Features[] parsed;
    private double[] labels;
    private LearnerConfig config;

    @Setup
    public void setUp() throws IOException, BadInputException {
        List<String> all = Files.readAllLines(TestData.file(file), StandardCharsets.UTF_8);
        lines = all.toArray(String[]::new);
        text = String.join("\n", all);
        reader = EventFormat.fromFileName(file).newLineReader();
        config = LearnerConfig.defaults();
        parsed = new Features[lines.length];
        labels = new double[lines.length];
        for (int i = 0; i < lines.length; i++) {
            if (!reader.parse(lines[i], event)) {
                throw new IllegalStateException("line " + (i + 1) + " holds no event");
            }
            Features copy = new Features(Event.HASHER);
            Features f = event.features();
            for (int j = 0; j < f.size(); j++) {
                copy.addToSlot(f.slot(j), f.name(j), f.value(j));
            }
            parsed[i] = copy;
            labels[i] = Loss.LOGISTIC.label(event.label());
        }
    }

    /** Events in one pass. */
    int rows() {
        return lines.length;
    }

    @Benchmark
    public int parse() throws BadInputException {
        int features = 0;
        for (String line : lines) {
            reader.parse(line, event);
            features += event.features().size();
        }
        return features;
    }

    @Benchmark
    public double learn() {
        OnlineLearner learner = new OnlineLearner(config, HashedWeightTable.forHashBits(config.hashBits()));
        double sum = 0;
        for (int i = 0; i < parsed.length; i++) {
            sum += learner.learn(parsed[i], labels[i], 1.0);
        }
        return sum;
    }

    @Benchmark
    public double parseAndLearn() throws BadInputException {
        OnlineLearner learner = new OnlineLearner(config, new HashedWeightTable(1 << 16));
        ProgressiveMetrics metrics = new ProgressiveMetrics(config.loss(), FileTrainer.METRICS_WINDOW);
        Loss loss = config.loss();
        for (String line : lines) {
            reader.parse(line, event);
            double y = loss.label(event.label());
            double z = learner.learn(event.features(), y, event.weight());
            metrics.record(z, y, loss.loss(z, y));
        }
        return metrics.meanLoss() + metrics.auc();
    }

    @Benchmark
    public double fileTrainer() throws IOException {
        FileTrainer trainer = new FileTrainer("bench", config);
        FileTrainer.Result r = trainer.run(new BufferedReader(new StringReader(text)), reader, null,
                (line, reason) -> {
                    throw new IllegalStateException("line " + line + ": " + reason);
                }, null, Long.MAX_VALUE);
        return r.meanLoss() + r.auc();
    }
}
