package io.streamsgd.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProgressiveMetricsTest {
    private static ProgressiveMetrics of(Loss loss, int window, double[] margins, double[] labels) {
        ProgressiveMetrics m = new ProgressiveMetrics(loss, window);
        for (int i = 0; i < margins.length; i++) {
            m.record(margins[i], labels[i], loss.loss(margins[i], labels[i]));
        }
        return m;
    }

    @Test
    void theRadixSortOrdersAsArraysSortDoes() {
        SplittableRandom random = new SplittableRandom(5);
        double[] special = {0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-300, -1e-300, 0.5, -0.5};
        for (int round = 0; round < 3_000; round++) {
            int n = round < 10 ? round : random.nextInt(round < 2_900 ? 300 : 20_000);
            double[] a = new double[n + 3];
            for (int i = 0; i < a.length; i++) {
                a[i] = switch (random.nextInt(4)) {
                    case 0 -> special[random.nextInt(special.length)];
                    case 1 -> random.nextInt(7) - 3; // ties
                    case 2 -> random.nextDouble(-20, 20);
                    default -> Double.longBitsToDouble(random.nextLong()) % 1e6; // any bits, finite
                };
                if (Double.isNaN(a[i])) {
                    a[i] = 0.0;
                }
            }
            double[] expected = a.clone();
            Arrays.sort(expected, 0, n);
            ProgressiveMetrics.sort(a, n);
            for (int i = 0; i < a.length; i++) { // bit for bit, -0.0 and 0.0 told apart; the tail untouched
                assertThat(Double.doubleToRawLongBits(a[i])).as("round %d, index %d", round, i)
                        .isEqualTo(Double.doubleToRawLongBits(expected[i]));
            }
        }
    }

    @Test
    void shouldGiveTheAucWorkedByHandWithTies() {
        // negatives at -1, 0, 2; positives at 0, 1, 3: of the 9 pairs, (0 vs -1) 1, (0 vs 0) 1/2,
        // (1 vs -1, 0) 2, (3 vs all) 3: U = 6.5, AUC = 6.5 / 9
        ProgressiveMetrics m = of(Loss.LOGISTIC, 100, new double[] {-1, 0, 2, 0, 1, 3}, new double[] {0, 0, 0, 1, 1, 1});
        assertThat(m.auc()).isCloseTo(6.5 / 9, within(1e-15));
        // accuracy: margins >= 0 predict positive: right on -1, 0+, 1, 3; wrong on 0-, 2
        assertThat(m.accuracy()).isCloseTo(4.0 / 6, within(1e-15));
        assertThat(m.count()).isEqualTo(6);
    }

    @Test
    void shouldTreatMinusZeroAndZeroAsATie() {
        ProgressiveMetrics m = of(Loss.LOGISTIC, 10, new double[] {-0.0, 0.0}, new double[] {1, 0});
        assertThat(m.auc()).isEqualTo(0.5);
    }

    @Test
    void shouldBeNaNWithOneClassOnly() {
        assertThat(of(Loss.LOGISTIC, 10, new double[] {1, 2}, new double[] {1, 1}).auc()).isNaN();
        assertThat(new ProgressiveMetrics(Loss.LOGISTIC, 10).auc()).isNaN();
        assertThat(new ProgressiveMetrics(Loss.LOGISTIC, 10).meanLoss()).isNaN();
    }

    @Test
    void aucShouldEqualTheFractionOfPairsOrderedRightOverTheWindow() {
        SplittableRandom random = new SplittableRandom(13);
        int n = 3_000;
        int window = 1_000;
        double[] margins = new double[n];
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(3) == 0 ? 1 : 0;
            // coarse margins: many ties; positives a little higher
            margins[i] = Math.round(random.nextGaussian() * 4 + labels[i] * 2) / 2.0;
        }
        ProgressiveMetrics m = of(Loss.LOGISTIC, window, margins, labels);
        double right = 0;
        long pairs = 0;
        for (int i = n - window; i < n; i++) {
            for (int j = n - window; j < n; j++) {
                if (labels[i] == 1 && labels[j] == 0) {
                    pairs++;
                    right += margins[i] > margins[j] ? 1 : margins[i] == margins[j] ? 0.5 : 0;
                }
            }
        }
        assertThat(m.auc()).as("the last %d predictions", window).isEqualTo(right / pairs);
        double lossSum = 0;
        for (int i = 0; i < n; i++) {
            lossSum += Loss.LOGISTIC.loss(margins[i], labels[i]);
        }
        assertThat(m.meanLoss()).as("mean loss over every prediction").isCloseTo(lossSum / n, within(1e-12));
    }

    @Test
    void shouldGiveNoAccuracyForSquaredLoss() {
        ProgressiveMetrics m = of(Loss.SQUARED, 10, new double[] {1, 2}, new double[] {0, 2});
        assertThat(m.accuracy()).isNaN();
        assertThat(m.meanLoss()).isCloseTo(0.25, within(1e-15));
    }
}
