package io.streamsgd.learn;

import java.util.Arrays;

/**
 * Progressive validation metrics (Blum, Kalai and Langford 1999): each prediction is scored
 * before the model trains on its event, so the running mean is an honest out-of-sample estimate.
 * Keeps the cumulative mean loss and accuracy, and the last {@code window} (margin, label) pairs
 * for a windowed AUC and windowed accuracy. Not thread-safe.
 */
public final class ProgressiveMetrics {
    private final Loss loss;
    private final double[] margins;
    private final boolean[] positives;
    private int filled;
    private int next;

    private long count;
    private double lossSum;
    private long correct;

    public ProgressiveMetrics(Loss loss, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("metrics window must be >= 1, got " + window);
        }
        this.loss = loss;
        this.margins = new double[window];
        this.positives = new boolean[window];
    }

    /** Records one progressive prediction: its margin, the normalized label, the loss. */
    public void record(double margin, double label, double lossValue) {
        count++;
        lossSum += lossValue;
        if (loss.isClassification()) {
            boolean positive = label > 0.5;
            if (loss.predictsPositive(margin) == positive) {
                correct++;
            }
            margins[next] = margin;
            positives[next] = positive;
            next = (next + 1) % margins.length;
            filled = Math.min(filled + 1, margins.length);
        }
    }

    public long count() {
        return count;
    }

    public double lossSum() {
        return lossSum;
    }

    /** Mean loss over every recorded prediction, NaN before the first. */
    public double meanLoss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    /** Fraction of correct classifications over every prediction, NaN if none or not classification. */
    public double accuracy() {
        return count == 0 || !loss.isClassification() ? Double.NaN : (double) correct / count;
    }

    /** Accuracy over the window. */
    public double windowAccuracy() {
        if (filled == 0) {
            return Double.NaN;
        }
        long right = 0;
        for (int i = 0; i < filled; i++) {
            if (loss.predictsPositive(margins[i]) == positives[i]) {
                right++;
            }
        }
        return (double) right / filled;
    }

    /**
     * Area under the ROC curve over the window: the Mann-Whitney U statistic (the positives'
     * rank sum with tied margins sharing their average rank, less its minimum) over the number of
     * positive-negative pairs, i.e. the fraction of such pairs the margins order right, a tie
     * counting one half. NaN when the window holds only one class. Computed as the sum over
     * positives of the negatives below them plus half those tied with them, from the two classes'
     * margins sorted apart (primitive sorts, O(window log window)); every term is a half-integer,
     * so the sum is exact.
     */
    public double auc() {
        int n = filled;
        double[] positiveMargins = new double[n];
        double[] negativeMargins = new double[n];
        int nPositive = 0;
        int nNegative = 0;
        for (int i = 0; i < n; i++) {
            if (positives[i]) {
                positiveMargins[nPositive++] = margins[i];
            } else {
                negativeMargins[nNegative++] = margins[i];
            }
        }
        if (nPositive == 0 || nNegative == 0) {
            return Double.NaN;
        }
        Arrays.sort(positiveMargins, 0, nPositive);
        Arrays.sort(negativeMargins, 0, nNegative);
        double u = 0;
        int below = 0; // negatives [0, below) are below the current positive
        int tiedEnd = 0; // negatives [below, tiedEnd) equal it
        for (int i = 0; i < nPositive; i++) {
            double p = positiveMargins[i];
            while (below < nNegative && negativeMargins[below] < p) {
                below++;
            }
            tiedEnd = Math.max(tiedEnd, below);
            while (tiedEnd < nNegative && negativeMargins[tiedEnd] == p) {
                tiedEnd++;
            }
            u += below + 0.5 * (tiedEnd - below);
        }
        return u / ((double) nPositive * nNegative);
    }

    @Override
    public String toString() {
        return "ProgressiveMetrics{count=" + count + ", meanLoss=" + meanLoss() + ", accuracy=" + accuracy() + "}";
    }
}
