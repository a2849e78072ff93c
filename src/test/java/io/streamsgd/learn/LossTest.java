package io.streamsgd.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LossTest {
    @Test
    void shouldGiveLogLossAndGradientWorkedByHand() {
        // z = 0: p = 1/2, loss = ln 2 for either label, gradient p - y
        assertThat(Loss.LOGISTIC.prediction(0)).isEqualTo(0.5);
        assertThat(Loss.LOGISTIC.loss(0, 1)).isCloseTo(Math.log(2), within(1e-15));
        assertThat(Loss.LOGISTIC.loss(0, 0)).isCloseTo(Math.log(2), within(1e-15));
        assertThat(Loss.LOGISTIC.derivative(0, 1)).isEqualTo(-0.5);
        assertThat(Loss.LOGISTIC.derivative(0, 0)).isEqualTo(0.5);
        // z = 2, y = 1: loss = log(1 + e^-2), gradient = sigmoid(2) - 1 = -1/(1 + e^2)
        assertThat(Loss.LOGISTIC.loss(2, 1)).isCloseTo(0.12692801104297263, within(1e-15));
        assertThat(Loss.LOGISTIC.derivative(2, 1)).isCloseTo(-1 / (1 + Math.exp(2)), within(1e-15));
        // z = -3, y = 1: loss = log(1 + e^3)
        assertThat(Loss.LOGISTIC.loss(-3, 1)).isCloseTo(Math.log1p(Math.exp(3)), within(1e-14));
    }

    @Test
    void shouldClipLogLossLikeProbabilityClippedAt1e15() {
        assertThat(Loss.LOGISTIC.loss(-1000, 1)).isCloseTo(-Math.log(1e-15), within(1e-9));
        assertThat(Loss.LOGISTIC.loss(1000, 1)).isCloseTo(-Math.log1p(-1e-15), within(1e-15));
    }

    @Test
    void shouldGiveSquaredAndHingeWorkedByHand() {
        assertThat(Loss.SQUARED.loss(3, 1)).isEqualTo(2.0);
        assertThat(Loss.SQUARED.derivative(3, 1)).isEqualTo(2.0);
        // hinge with y = 1 (y' = +1): z = 0.5 inside the margin: loss 0.5, subgradient -1
        assertThat(Loss.HINGE.loss(0.5, 1)).isEqualTo(0.5);
        assertThat(Loss.HINGE.derivative(0.5, 1)).isEqualTo(-1.0);
        // y = 0 (y' = -1): z = -2 is outside the margin: no loss, no gradient
        assertThat(Loss.HINGE.loss(-2, 0)).isEqualTo(0.0);
        assertThat(Loss.HINGE.derivative(-2, 0)).isEqualTo(0.0);
        assertThat(Loss.HINGE.loss(0.5, 0)).isEqualTo(1.5);
        assertThat(Loss.HINGE.derivative(0.5, 0)).isEqualTo(1.0);
        assertThat(Loss.HINGE.prediction(-0.1)).isEqualTo(-1.0);
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void derivativeShouldMatchFiniteDifferences(Loss loss) {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            double z = random.nextDouble(-8, 8);
            double y = loss.isClassification() ? random.nextInt(2) : random.nextDouble(-5, 5);
            if (loss == Loss.HINGE && Math.abs((2 * y - 1) * z - 1) < 1e-3) {
                continue; // the kink has no derivative
            }
            double h = 1e-6;
            double numeric = (loss.loss(z + h, y) - loss.loss(z - h, y)) / (2 * h);
            assertThat(loss.derivative(z, y)).as("d%s/dz at z=%s y=%s", loss, z, y).isCloseTo(numeric, within(1e-6));
        }
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void lossAndDerivativeShouldBeFiniteForEveryFiniteMargin(Loss loss) {
        SplittableRandom random = new SplittableRandom(11);
        double[] extremes = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE, 0.0, -0.0,
            1e300, -1e300, 710, -710, 745, -745, Loss.LOGIT_CLIP, -Loss.LOGIT_CLIP};
        double[] labels = loss.isClassification() ? new double[] {0, 1} : new double[] {0, 1, -1e300, 1e300, -Double.MAX_VALUE};
        for (double y : labels) {
            for (double z : extremes) {
                assertFinite(loss, z, y);
            }
            for (int i = 0; i < 10_000; i++) {
                // log-uniform magnitudes over the whole double range
                double z = Math.copySign(Math.pow(10, random.nextDouble(-300, 308)), random.nextDouble() - 0.5);
                assertFinite(loss, z, y);
            }
        }
    }

    private static void assertFinite(Loss loss, double z, double y) {
        assertThat(loss.loss(z, y)).as("%s loss at z=%s y=%s", loss, z, y).isFinite();
        assertThat(loss.derivative(z, y)).as("%s derivative at z=%s y=%s", loss, z, y).isFinite();
        assertThat(loss.prediction(z)).as("%s prediction at z=%s", loss, z).isFinite();
    }

    @Test
    void shouldNormalizeClassificationLabels() {
        assertThat(Loss.LOGISTIC.label(1)).isEqualTo(1.0);
        assertThat(Loss.LOGISTIC.label(-1)).isEqualTo(0.0);
        assertThat(Loss.HINGE.label(0)).isEqualTo(0.0);
        assertThatThrownBy(() -> Loss.LOGISTIC.label(2)).hasMessageContaining("0/1, -1/+1");
        assertThat(Loss.SQUARED.label(-12.5)).isEqualTo(-12.5);
        assertThatThrownBy(() -> Loss.SQUARED.label(Double.NaN)).hasMessageContaining("finite");
    }
}
