package io.streamsgd.cli;

import io.streamsgd.codec.Prediction;

/**
 * Running figures of one model's predictions as {@code tail} reads them: predictions, trained
 * ones, their mean progressive loss and accuracy. Accuracy counts a trained prediction correct
 * when the margin's sign matches a 0/1 label; it is NaN as soon as a label other than 0 or 1 is
 * seen (a regression model has none).
 */
final class RunningMetrics {
    private long predictions;
    private long trained;
    private double lossSum;
    private long correct;
    private boolean binaryLabels = true;

    void add(Prediction p) {
        predictions++;
        if (!p.trained() || Double.isNaN(p.loss())) {
            return;
        }
        trained++;
        lossSum += p.loss();
        if (p.label() == 1.0 || p.label() == 0.0) {
            if ((p.margin() >= 0) == (p.label() == 1.0)) {
                correct++;
            }
        } else {
            binaryLabels = false;
        }
    }

    long predictions() {
        return predictions;
    }

    long trained() {
        return trained;
    }

    /** Mean progressive loss of the trained predictions; NaN before the first. */
    double meanLoss() {
        return trained == 0 ? Double.NaN : lossSum / trained;
    }

    /** Accuracy of the trained predictions; NaN before the first or for non-0/1 labels. */
    double accuracy() {
        return trained == 0 || !binaryLabels ? Double.NaN : correct / (double) trained;
    }
}
