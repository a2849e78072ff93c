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
     * Area under the ROC curve over the window (Mann-Whitney U with tied margins sharing their
     * average rank); NaN when the window holds only one class. O(window log window).
     */
    public double auc() {
        int n = filled;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(margins[a], margins[b]));
        double rankSumPositives = 0;
        long nPositive = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && margins[idx[j + 1]] == margins[idx[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positives[idx[k]]) {
                    rankSumPositives += averageRank;
                    nPositive++;
                }
            }
            i = j + 1;
        }
        long nNegative = n - nPositive;
        if (nPositive == 0 || nNegative == 0) {
            return Double.NaN;
        }
        return (rankSumPositives - nPositive * (nPositive + 1) / 2.0) / ((double) nPositive * nNegative);
    }

    @Override
    public String toString() {
        return "ProgressiveMetrics{count=" + count + ", meanLoss=" + meanLoss() + ", accuracy=" + accuracy() + "}";
    }
}
