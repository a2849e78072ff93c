package io.streamsgd.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamsgd.codec.EventFormat;
import io.streamsgd.codec.ReadLimits;
import io.streamsgd.codec.SnapshotJson;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.offline.FileTrainer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code streamsgd learn}: one model over a file in a single pass with progressive validation,
 * no Kafka. The last stdout line is a JSON summary.
 */
@Command(name = "learn", mixinStandardHelpOptions = true,
        description = {"Train one model over a file in a single pass with progressive validation (no Kafka).",
            "The last line on stdout is a JSON summary: events, meanLoss, accuracy, auc, nonzeros, eventsPerSecond."})
public final class LearnCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, description = "Events file, or - for stdin.")
    String input;

    @Option(names = "--format", description = "jsonl, libsvm, vw or csv (default: from the file extension; jsonl for stdin).")
    String format;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--eager", description = "Reference mode: regularize every weight at every step (slow).")
    boolean eager;

    @Option(names = "--name", defaultValue = "model", description = "Model name in the snapshot and predictions (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--snapshot-out", description = "Write the sealed final model as JSON to this file.")
    Path snapshotOut;

    @Option(names = "--predictions-out", description = "Write one prediction JSON line per event to this file.")
    Path predictionsOut;

    @Option(names = "--max-features", defaultValue = "100000", description = "Largest number of features per event (default: ${DEFAULT-VALUE}).")
    int maxFeatures;

    @Override
    public Integer call() throws IOException {
        LearnerConfig config;
        EventFormat eventFormat;
        try {
            config = model.toConfig().withEager(eager);
            eventFormat = format != null ? EventFormat.fromCode(format)
                    : input.equals("-") ? EventFormat.JSONL : EventFormat.fromFileName(input);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("learn: " + e.getMessage());
            return 2;
        }
        PrintWriter err = spec.commandLine().getErr();
        FileTrainer trainer = new FileTrainer(name, config);
        FileTrainer.Result result;
        try (BufferedReader in = open(input);
             Writer predictionsFile = predictionsOut == null ? null : Files.newBufferedWriter(predictionsOut);
             JsonGenerator predictions = predictionsFile == null ? null : io.streamsgd.codec.PredictionJson.lineWriter(predictionsFile)) {
            ReadLimits limits = new ReadLimits(ReadLimits.DEFAULTS.maxRecordBytes(), maxFeatures, ReadLimits.DEFAULTS.maxDepth());
            result = trainer.run(in, eventFormat.newLineReader(limits, "label"), predictions,
                    (line, reason) -> err.printf(Locale.ROOT, "line %d: %s%n", line, reason),
                    (events, m, seconds) -> err.printf(Locale.ROOT, "\r%,d events  %.0f events/s  mean loss %.5f",
                            events, events / seconds, m.meanLoss()),
                    2_000_000_000L);
            if (predictions != null) {
                predictions.writeRaw('\n');
            }
        } catch (NoSuchFileException e) {
            err.println("learn: cannot read " + e.getFile() + ": no such file");
            return 1;
        } catch (IOException e) {
            err.println("learn: cannot read " + input + ": " + e.getMessage());
            return 1;
        }
        if (result.seconds() >= 2) {
            err.println();
        }
        if (result.badLines() > 0) {
            err.printf(Locale.ROOT, "%,d bad lines skipped%n", result.badLines());
        }
        if (snapshotOut != null) {
            try (OutputStream out = Files.newOutputStream(snapshotOut)) {
                SnapshotJson.write(trainer.snapshot(System.currentTimeMillis()), out);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(summary(result, config.loss().isClassification()));
        out.flush();
        return 0;
    }

    static String summary(FileTrainer.Result r, boolean classification) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"events\":").append(r.events());
        b.append(",\"trained\":").append(r.trained());
        b.append(",\"badLines\":").append(r.badLines());
        b.append(",\"meanLoss\":").append(number(r.meanLoss()));
        if (classification) {
            b.append(",\"accuracy\":").append(number(r.accuracy()));
            b.append(",\"auc\":").append(number(r.auc()));
        }
        b.append(",\"nonzeros\":").append(r.nonzeros());
        b.append(",\"eventsPerSecond\":").append(number(Math.rint(r.eventsPerSecond())));
        return b.append('}').toString();
    }

    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    private static BufferedReader open(String input) throws IOException {
        if (input.equals("-")) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(Files.newInputStream(Path.of(input)), StandardCharsets.UTF_8), 1 << 16);
    }
}
