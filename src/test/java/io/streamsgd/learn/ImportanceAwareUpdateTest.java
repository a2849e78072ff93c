package io.streamsgd.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The importance-aware update {@link Loss#predictionChange} (Karampatziakis and Langford 2011) and
 * the Lambert W function it uses for the logistic loss.
 */
class ImportanceAwareUpdateTest {
    private static final double OMEGA = 0.5671432904097838; // W(1), the omega constant
    private static final double W_OF_INVERSE_E = 0.2784645427610738; // W(1/e)

    @Test
    void lambertWOfExpShouldGiveKnownValues() {
        assertThat(Loss.lambertWOfExp(1.0)).as("W(e) = 1").isCloseTo(1.0, within(1e-15));
        assertThat(Loss.lambertWOfExp(0.0)).as("W(1) = omega").isCloseTo(OMEGA, within(1e-15));
        assertThat(Loss.lambertWOfExp(-1.0)).as("W(1/e)").isCloseTo(W_OF_INVERSE_E, within(1e-15));
        // W(2 e^2) = 2 and W(e^(1+e)) = e: v e^v = e^x for v = 2, x = 2 + ln 2 and v = e, x = 1 + e
        assertThat(Loss.lambertWOfExp(2 + Math.log(2))).isCloseTo(2.0, within(1e-14));
        assertThat(Loss.lambertWOfExp(1 + Math.E)).isCloseTo(Math.E, within(1e-14));
        // far left W(e^x) = e^x - e^2x + ...; far right x - ln x + ln x / x + O((ln x / x)^2)
        assertThat(Loss.lambertWOfExp(-50)).isCloseTo(Math.exp(-50), within(1e-35));
        assertThat(Loss.lambertWOfExp(-800)).isZero(); // e^-800 is below the smallest double
        assertThat(Loss.lambertWOfExp(1e6)).isCloseTo(1e6 - Math.log(1e6) + Math.log(1e6) / 1e6, within(1e-9));
    }

    @Test
    void lambertWOfExpShouldSolveItsEquationEverywhere() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            double x = random.nextDouble(-700, 700);
            double v = Loss.lambertWOfExp(x);
            // v + ln v = x, i.e. v e^v = e^x, to rounding of the larger of the two terms
            assertThat(v).isPositive();
            assertThat(v + Math.log(v)).as("W(e^%s) = %s", x, v)
                    .isCloseTo(x, within(4e-16 * Math.max(1, Math.max(Math.abs(x), Math.abs(Math.log(v))))));
        }
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void shouldEqualThePlainStepToFirstOrderForSmallSteps(Loss loss) {
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 10_000; i++) {
            double z = random.nextDouble(-10, 10);
            double y = loss.isClassification() ? random.nextInt(2) : random.nextDouble(-10, 10);
            double d = loss.derivative(z, y);
            for (double a : new double[] {1e-8, 1e-6, 1e-4}) {
                double plain = -a * d;
                // the second-order term is a^2/2 |d d'| with |d'| <= 1 for all three: relative error
                // <= a; plus the rounding of the closed form (logistic: of x = a + y'z + e^y'z)
                assertThat(loss.predictionChange(z, y, a)).as("%s change at z=%s y=%s a=%s", loss, z, y, a)
                        .isCloseTo(plain, within(a * Math.abs(plain) + rounding(loss, z, y, a)));
            }
        }
    }

    /** A few roundings of the largest quantity the closed form of the change subtracts. */
    private static double rounding(Loss loss, double z, double y, double a) {
        if (loss != Loss.LOGISTIC) {
            return 4 * Math.ulp(Math.max(Math.abs(z), Math.abs(y)));
        }
        double u = (2 * y - 1) * z;
        return 4 * Math.ulp(a + Math.abs(u) + Math.exp(Math.min(u, 700)));
    }

    @Test
    void logisticChangeShouldMoveTowardTheLabelMonotonicallyAndNeverFasterThanThePlainStep() {
        SplittableRandom random = new SplittableRandom(23);
        double[] steps = {1e-6, 1e-3, 0.1, 1, 3, 10, 100, 1e4, 1e6};
        for (int i = 0; i < 10_000; i++) {
            double z = random.nextDouble(-40, 40);
            double y = random.nextInt(2);
            double sign = 2 * y - 1;
            double before = Loss.LOGISTIC.loss(z, y);
            double previous = 0;
            for (double a : steps) {
                double change = Loss.LOGISTIC.predictionChange(z, y, a);
                double slack = rounding(Loss.LOGISTIC, z, y, a);
                assertThat(sign * change).as("toward the label at z=%s y=%s a=%s", z, y, a).isGreaterThanOrEqualTo(0.0);
                assertThat(sign * change).as("monotone in the step at z=%s y=%s a=%s", z, y, a)
                        .isGreaterThanOrEqualTo(previous - slack);
                assertThat(Math.abs(change)).as("no faster than the plain step at z=%s y=%s a=%s", z, y, a)
                        .isLessThanOrEqualTo(a * Math.abs(Loss.LOGISTIC.derivative(z, y)) * (1 + 1e-12) + slack);
                assertThat(Loss.LOGISTIC.loss(z + change, y)).as("loss never grows").isLessThanOrEqualTo(before);
                previous = sign * change;
            }
        }
    }

    @Test
    void logisticChangeShouldFollowTheClosedFormOfTheGradientFlow() {
        // u = y'z obeys du/ds = a / (1 + e^u): u + e^u grows by exactly a along the flow
        for (double z : new double[] {-5, -1, 0, 0.5, 3}) {
            for (double a : new double[] {0.01, 1, 25}) {
                double u0 = z; // label 1: y' = +1
                double u1 = z + Loss.LOGISTIC.predictionChange(z, 1, a);
                assertThat(u1 + Math.exp(u1)).as("z=%s a=%s", z, a).isCloseTo(u0 + Math.exp(u0) + a, within(1e-12 * (1 + a)));
            }
        }
    }

    @Test
    void squaredChangeShouldNeverPassTheLabel() {
        SplittableRandom random = new SplittableRandom(29);
        for (int i = 0; i < 10_000; i++) {
            double z = random.nextDouble(-100, 100);
            double y = random.nextDouble(-100, 100);
            for (double a : new double[] {1e-3, 0.5, 1, 2, 3, 10, 1e3, 1e300}) {
                double change = Loss.SQUARED.predictionChange(z, y, a);
                // the residual z - y shrinks by e^-a and keeps its sign (or reaches zero): the
                // change goes toward the label and never beyond it
                assertThat(change * (y - z)).as("toward the label at z=%s y=%s a=%s", z, y, a).isGreaterThanOrEqualTo(0.0);
                assertThat(Math.abs(change)).as("not past the label at z=%s y=%s a=%s", z, y, a)
                        .isLessThanOrEqualTo(Math.abs(z - y));
                assertThat(z + change - y).isCloseTo((z - y) * Math.exp(-a), within(1e-12 * Math.abs(z - y) + 1e-12));
            }
        }
        // where the plain step overshoots (a > 2 reverses and grows the residual), this does not
        assertThat(3 + -3 * Loss.SQUARED.derivative(3, 1)).isEqualTo(-3.0);
        assertThat(3 + Loss.SQUARED.predictionChange(3, 1, 3)).isCloseTo(1 + 2 * Math.exp(-3), within(1e-15));
    }

    @Test
    void hingeChangeShouldStopOnTheMargin() {
        // y = 1 (y' = +1), z = -0.5: the gap to the margin y'z = 1 is 1.5
        assertThat(Loss.HINGE.predictionChange(-0.5, 1, 0.5)).isEqualTo(0.5);
        assertThat(Loss.HINGE.predictionChange(-0.5, 1, 1.5)).isEqualTo(1.5);
        assertThat(Loss.HINGE.predictionChange(-0.5, 1, 100)).isEqualTo(1.5);
        // y = 0 (y' = -1), z = 0.25: moves down to -1 and no further
        assertThat(0.25 + Loss.HINGE.predictionChange(0.25, 0, 1e9)).isEqualTo(-1.0);
        // outside the margin nothing moves
        assertThat(Loss.HINGE.predictionChange(2, 1, 10)).isEqualTo(0.0);
        assertThat(Loss.HINGE.predictionChange(-1, 0, 10)).isEqualTo(0.0);
        SplittableRandom random = new SplittableRandom(31);
        for (int i = 0; i < 10_000; i++) {
            double z = random.nextDouble(-5, 5);
            double y = random.nextInt(2);
            double a = Math.pow(10, random.nextDouble(-6, 6));
            double after = (2 * y - 1) * (z + Loss.HINGE.predictionChange(z, y, a));
            assertThat(after).as("z=%s y=%s a=%s", z, y, a).isLessThanOrEqualTo(Math.max(1.0, (2 * y - 1) * z) + 1e-15);
        }
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void shouldBeFiniteForExtremeInputs(Loss loss) {
        double[] margins = {0.0, -0.0, 1e-300, -1e-300, 1, -1, 30, -30, 31, -31, Loss.LOGIT_CLIP, -Loss.LOGIT_CLIP,
            745, -745, 1e10, -1e10, 1e300, -1e300, Double.MAX_VALUE, -Double.MAX_VALUE};
        double[] steps = {0.0, Double.MIN_VALUE, 1e-300, 1e-10, 1e-9, 1e-8, 1, 1e10, 1e300, Double.MAX_VALUE};
        double[] labels = loss.isClassification() ? new double[] {0, 1} : new double[] {0, 1, -1e300, 1e300};
        for (double y : labels) {
            for (double z : margins) {
                for (double a : steps) {
                    double change = loss.predictionChange(z, y, a);
                    assertThat(change).as("%s change at z=%s y=%s a=%s", loss, z, y, a).isFinite();
                    if (a == 0.0) {
                        assertThat(change).as("no step, no change").isZero();
                    }
                }
            }
        }
    }
}
