package io.streamsgd.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamsgd.codec.EventFormat;
import io.streamsgd.codec.ReadLimits;
import io.streamsgd.codec.SnapshotJson;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.offline.FileTrainer;
import io.streamsgd.offline.LineSource;
import io.streamsgd.codec.PredictionJson;
import java.io.Closeable;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        LearnerConfig config;
        EventFormat eventFormat;
        ReadLimits limits;
        try {
            config = model.toConfig().withEager(eager);
            eventFormat = format != null ? EventFormat.fromCode(format)
                    : input.equals("-") ? EventFormat.JSONL : EventFormat.fromFileName(input);
            if (maxFeatures < 1) {
                throw new IllegalArgumentException("max-features must be >= 1, got " + maxFeatures);
            }
            limits = new ReadLimits(ReadLimits.DEFAULTS.maxRecordBytes(), maxFeatures, ReadLimits.DEFAULTS.maxDepth());
        } catch (IllegalArgumentException e) {
            err.println("learn: " + e.getMessage() + (format == null && e.getMessage().startsWith("cannot tell")
                    ? "; name it with --format" : ""));
            return CommandLine.ExitCode.USAGE;
        }
        // Open everything before the pass, so that a wrong path fails at once, not after it.
        LineSource in;
        try {
            in = open(input);
        } catch (IOException e) {
            err.println("learn: cannot read " + input + ": " + describe(e));
            return 1;
        }
        OutputStream snapshotFile = null;
        FailureTrackingWriter predictionsFile = null;
        try {
            if (snapshotOut != null) {
                snapshotFile = Files.newOutputStream(snapshotOut);
            }
            if (predictionsOut != null) {
                predictionsFile = new FailureTrackingWriter(Files.newBufferedWriter(predictionsOut));
            }
        } catch (IOException e) {
            err.println("learn: cannot write " + (snapshotFile == null && snapshotOut != null ? snapshotOut : predictionsOut)
                    + ": " + describe(e));
            closeQuietly(in);
            closeQuietly(snapshotFile);
            return 1;
        }
        FileTrainer trainer = new FileTrainer(name, config);
        FileTrainer.Result result;
        try (in;
             JsonGenerator predictions = predictionsFile == null ? null : PredictionJson.lineWriter(predictionsFile)) {
            result = trainer.run(in, eventFormat.newLineReader(limits, "label"), predictions,
                    (line, reason) -> err.printf(Locale.ROOT, "line %d: %s%n", line, reason),
                    (events, m, seconds) -> err.printf(Locale.ROOT, "\r%,d events  %.0f events/s  mean loss %.5f",
                            events, events / seconds, m.meanLoss()),
                    2_000_000_000L);
            if (predictions != null) {
                predictions.writeRaw('\n');
            }
        } catch (IOException e) {
            closeQuietly(snapshotFile);
            closeQuietly(predictionsFile);
            if (predictionsFile != null && predictionsFile.failed()) {
                err.println("learn: cannot write " + predictionsOut + ": " + describe(e));
            } else {
                err.println("learn: cannot read " + input + ": " + describe(e));
            }
            return 1;
        }
        if (result.seconds() >= 2) {
            err.println();
        }
        if (result.badLines() > 0) {
            err.printf(Locale.ROOT, "%,d bad lines skipped%n", result.badLines());
        }
        if (snapshotFile != null) {
            try (OutputStream outFile = snapshotFile) {
                SnapshotJson.write(trainer.snapshot(System.currentTimeMillis()), outFile);
            } catch (IOException e) {
                err.println("learn: cannot write " + snapshotOut + ": " + describe(e));
                return 1;
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

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already failing: the first error is the one reported
            }
        }
    }

    /** Remembers whether a write failed, to tell a failing output from a failing input. */
    private static final class FailureTrackingWriter extends FilterWriter {
        private boolean failed;

        FailureTrackingWriter(Writer out) {
            super(out);
        }

        boolean failed() {
            return failed;
        }

        @Override
        public void write(int c) throws IOException {
            try {
                super.write(c);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            try {
                super.write(cbuf, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void write(String str, int off, int len) throws IOException {
            try {
                super.write(str, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                super.flush();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }

    private static LineSource open(String input) throws IOException {
        return input.equals("-") ? LineSource.utf8(System.in) : LineSource.utf8(Path.of(input));
    }
}
