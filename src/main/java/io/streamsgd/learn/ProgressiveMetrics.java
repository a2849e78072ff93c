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
        sort(positiveMargins, nPositive);
        sort(negativeMargins, nNegative);
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

    /**
     * Sorts {@code a[0, n)} into the order of {@link Arrays#sort(double[])} (-0.0 before 0.0), by
     * a least-significant-digit radix sort over the bits, 8 bits a pass, skipping the passes in
     * which every value has the same digit (the exponent's, mostly). O(n): {@code learn} computes
     * the AUC of up to a million margins as its very last step, on the one busy core, where a
     * comparison sort (and compiling it) took 2-3% of a run's time.
     */
    static void sort(double[] a, int n) {
        long[] keys = new long[n];
        int[][] counts = new int[Long.BYTES][257];
        for (int i = 0; i < n; i++) {
            // the bits, made to order as unsigned the way the doubles order: a non-negative
            // value's sign bit set, a negative value's bits all flipped
            long bits = Double.doubleToRawLongBits(a[i]);
            long key = bits ^ (bits >> 63 | Long.MIN_VALUE);
            keys[i] = key;
            for (int d = 0; d < Long.BYTES; d++) {
                counts[d][(int) (key >>> (d << 3) & 0xFF) + 1]++;
            }
        }
        long[] from = keys;
        long[] to = new long[n];
        for (int d = 0; d < Long.BYTES; d++) {
            int[] count = counts[d];
            if (count[(int) (from.length == 0 ? 0 : from[0] >>> (d << 3) & 0xFF) + 1] == n) {
                continue; // one digit for all: this pass would not move anything
            }
            for (int b = 0; b < 256; b++) {
                count[b + 1] += count[b]; // count[b]: where digit b's run starts
            }
            int shift = d << 3;
            for (int i = 0; i < n; i++) {
                long key = from[i];
                to[count[(int) (key >>> shift & 0xFF)]++] = key;
            }
            long[] t = from;
            from = to;
            to = t;
        }
        for (int i = 0; i < n; i++) {
            long key = from[i];
            a[i] = Double.longBitsToDouble(key < 0 ? key ^ Long.MIN_VALUE : ~key);
        }
    }

    @Override
    public String toString() {
        return "ProgressiveMetrics{count=" + count + ", meanLoss=" + meanLoss() + ", accuracy=" + accuracy() + "}";
    }
}
