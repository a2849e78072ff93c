package io.streamsgd.offline;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.LineReader;
import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.PredictionJson;
import io.streamsgd.learn.DivergenceException;
import io.streamsgd.learn.FeatureHasher;
import io.streamsgd.learn.HashedWeightTable;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.learn.Loss;
import io.streamsgd.learn.ModelSnapshot;
import io.streamsgd.learn.OnlineLearner;
import io.streamsgd.learn.ProgressiveMetrics;
import java.io.BufferedReader;
import java.io.IOException;

/**
 * Trains one model over the events of a text file in a single pass with progressive validation:
 * each labeled event is predicted, scored, then trained on; an unlabeled one is only predicted.
 * A bad line is reported with its number and skipped, never fatal. The lines are read and
 * parsed on a second thread ({@link LineParser}) while this one learns, with the same result.
 */
public final class FileTrainer {
    /** Where a rejected line goes: its 1-based number and why. */
    @FunctionalInterface
    public interface BadLineListener {
        void badLine(long lineNumber, String reason);
    }

    /** Called now and then with the events so far, for a progress line. */
    @FunctionalInterface
    public interface ProgressListener {
        void progress(long events, ProgressiveMetrics metrics, double seconds);
    }

    /**
     * The summary of a run.
     *
     * @param events events read (trained and predicted)
     * @param trained labeled events trained on
     * @param badLines rejected lines
     * @param meanLoss progressive mean loss
     * @param accuracy progressive accuracy (NaN for squared loss)
     * @param auc progressive AUC over the metrics window (NaN for squared loss)
     * @param nonzeros non-zero weights of the sealed model
     * @param seconds wall time of the pass
     */
    public record Result(long events, long trained, long badLines, double meanLoss, double accuracy, double auc,
                         long nonzeros, double seconds) {
        public double eventsPerSecond() {
            return seconds > 0 ? events / seconds : Double.NaN;
        }
    }

    /** AUC window of the offline mode: large enough to cover the data sets we compare on. */
    public static final int METRICS_WINDOW = 1_000_000;

    private final String modelName;
    private final OnlineLearner learner;
    private final Loss loss;
    private final ProgressiveMetrics metrics;

    public FileTrainer(String modelName, LearnerConfig config) {
        this.modelName = modelName;
        this.learner = new OnlineLearner(config, HashedWeightTable.forHashBits(config.hashBits()));
        this.loss = config.loss();
        this.metrics = new ProgressiveMetrics(loss, METRICS_WINDOW);
    }

    public OnlineLearner learner() {
        return learner;
    }

    /**
     * Runs the pass.
     *
     * @param predictions where to write one prediction JSON per event, or null
     * @throws IOException if reading the input or writing a prediction fails, after the events of
     *     the lines before the failure were learned; also when a reader fails other than by
     *     rejecting a line (the message names the line)
     */
    public Result run(BufferedReader in, LineReader reader, JsonGenerator predictions, BadLineListener bad,
                      ProgressListener progress, long progressEveryNanos) throws IOException {
        return run(LineSource.of(in), reader, predictions, bad, progress, progressEveryNanos);
    }

    /** Runs the pass over the lines of {@code in}; see {@link #run(BufferedReader, LineReader, JsonGenerator, BadLineListener, ProgressListener, long)}. */
    public Result run(LineSource in, LineReader reader, JsonGenerator predictions, BadLineListener bad,
                      ProgressListener progress, long progressEveryNanos) throws IOException {
        long start = System.nanoTime();
        long nextProgress = start + progressEveryNanos;
        long events = 0;
        long trained = 0;
        long badLines = 0;
        // Lines are read and parsed on a thread of their own (LineParser), a batch ahead of this
        // one, which learns from them in order: the same events in the same order as a loop over
        // the lines, so the same model to the bit.
        // The parser hashes with the model's bits, so that the model reads each event's features
        // as they are (nothing to mask or merge: the vector hashing with 32 bits and masking gives,
        // see ProjectedFeatures).
        try (LineParser parser = new LineParser(in, reader, new FeatureHasher(learner.config().hashBits()))) {
            boolean last;
            do {
                ParsedBatch batch = parser.next();
                for (int k = 0; k < batch.size(); k++) {
                    long lineNumber = batch.lineNumber(k);
                    ParsedBatch.Kind kind = batch.kind(k);
                    if (kind == ParsedBatch.Kind.NONE) {
                        continue;
                    }
                    if (kind == ParsedBatch.Kind.BAD) {
                        badLines++;
                        bad.badLine(lineNumber, batch.reason(k));
                        continue;
                    }
                    Event event = batch.event(k);
                    String id = event.id() != null ? event.id() : Long.toString(lineNumber);
                    double margin;
                    double label = Double.NaN;
                    double lossValue = Double.NaN;
                    try {
                        if (event.hasLabel()) {
                            label = loss.label(event.label());
                            margin = learner.learn(event.features(), label, event.weight());
                            lossValue = loss.loss(margin, label);
                            metrics.record(margin, label, lossValue);
                            trained++;
                        } else {
                            margin = learner.predict(event.features());
                        }
                    } catch (IllegalArgumentException | DivergenceException e) {
                        badLines++;
                        bad.badLine(lineNumber, (e instanceof DivergenceException ? "diverged: " : "label_out_of_range: ")
                                + e.getMessage());
                        continue;
                    }
                    events++;
                    if (predictions != null) {
                        PredictionJson.write(new Prediction(id, modelName, 0, margin, loss.prediction(margin), label,
                                lossValue, event.hasLabel()), predictions);
                    }
                    if (progress != null && (events & 1023) == 0) {
                        long now = System.nanoTime();
                        if (now >= nextProgress) {
                            progress.progress(events, metrics, (now - start) / 1e9);
                            nextProgress = now + progressEveryNanos;
                        }
                    }
                }
                if (batch.failure() != null) {
                    rethrow(batch.failure(), batch.lineNumber(batch.size()));
                }
                last = batch.isLast();
                parser.recycle(batch); // the parser thread may refill it at once: not to be read again
            } while (!last);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long nonzeros = learner.seal((slot, name, value) -> { }).nonzeros();
        return new Result(events, trained, badLines, metrics.meanLoss(), metrics.accuracy(),
                loss.isClassification() ? metrics.auc() : Double.NaN, nonzeros, seconds);
    }

    /**
     * Throws the parser thread's failure at line {@code lineNumber} on this thread: an I/O error
     * or an Error as it is, any other exception (a bug in a reader) as an I/O error naming the
     * line, since reading the input failed.
     */
    private static void rethrow(Throwable e, long lineNumber) throws IOException {
        if (e instanceof IOException io) {
            throw io;
        }
        if (e instanceof Error error) {
            throw error;
        }
        throw new IOException("parsing failed at line " + lineNumber + ": " + e, e);
    }

    /** The sealed model as a snapshot (version 1). */
    public ModelSnapshot snapshot(long timestampMillis) {
        return learner.snapshot(modelName, 1, timestampMillis);
    }
}
