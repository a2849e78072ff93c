package io.streamsgd.offline;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.LineReader;
import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.PredictionJson;
import io.streamsgd.learn.DivergenceException;
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
 * A bad line is reported with its number and skipped, never fatal.
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
        this.learner = new OnlineLearner(config, new HashedWeightTable(1 << 16));
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
     */
    public Result run(BufferedReader in, LineReader reader, JsonGenerator predictions, BadLineListener bad,
                      ProgressListener progress, long progressEveryNanos) throws IOException {
        Event event = new Event();
        long start = System.nanoTime();
        long nextProgress = start + progressEveryNanos;
        long lineNumber = 0;
        long events = 0;
        long trained = 0;
        long badLines = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            try {
                if (!reader.parse(line, event)) {
                    continue;
                }
            } catch (BadInputException e) {
                badLines++;
                bad.badLine(lineNumber, e.reason().code() + ": " + e.getMessage());
                continue;
            }
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
        double seconds = (System.nanoTime() - start) / 1e9;
        long nonzeros = learner.seal((slot, name, value) -> { }).nonzeros();
        return new Result(events, trained, badLines, metrics.meanLoss(), metrics.accuracy(),
                loss.isClassification() ? metrics.auc() : Double.NaN, nonzeros, seconds);
    }

    /** The sealed model as a snapshot (version 1). */
    public ModelSnapshot snapshot(long timestampMillis) {
        return learner.snapshot(modelName, 1, timestampMillis);
    }
}
