package io.streamsgd.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Known values of the regularization rules, worked by hand. */
class RegularizationTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void truncationOperatorShouldFollowLangfordLiZhangEquation6() {
        assertThat(Truncation.truncate(0.5, 0.2, INF)).isCloseTo(0.3, within(1e-15));
        assertThat(Truncation.truncate(-0.5, 0.2, INF)).isCloseTo(-0.3, within(1e-15));
        assertThat(Truncation.truncate(0.1, 0.2, INF)).isEqualTo(0.0);
        assertThat(Truncation.truncate(-0.1, 0.2, INF)).isEqualTo(0.0);
        // above theta nothing happens; within theta it truncates
        assertThat(Truncation.truncate(0.5, 0.2, 0.4)).isEqualTo(0.5);
        assertThat(Truncation.truncate(-0.5, 0.2, 0.4)).isEqualTo(-0.5);
        assertThat(Truncation.truncate(0.3, 0.2, 0.4)).isCloseTo(0.1, within(1e-15));
        assertThat(Truncation.truncate(0.4, 0.2, 0.4)).isCloseTo(0.2, within(1e-15));
        // zero is +0.0, never -0.0
        assertThat(Double.doubleToRawLongBits(Truncation.truncate(-0.1, 0.2, INF))).isEqualTo(0L);
    }

    @Test
    void truncationShouldCompose() {
        // T(T(v, a), b) = T(v, a + b) inside the zone
        double v = 0.731;
        assertThat(Truncation.truncate(Truncation.truncate(v, 0.1, 0.8), 0.25, 0.8))
                .isCloseTo(Truncation.truncate(v, 0.35, 0.8), within(1e-15));
    }

    @Test
    void truncationShouldHaveATinyDeadZoneAroundZero() {
        double alpha = 1e-3;
        assertThat(Truncation.truncate(alpha * (1 + 1e-9), alpha, INF)).isEqualTo(0.0);
        assertThat(Truncation.truncate(alpha * (1 + 1e-5), alpha, INF)).isCloseTo(1e-8, within(1e-15));
    }

    @Test
    void shouldTruncateOnlyEveryKthStep() {
        Regularization l1 = new Regularization(0.1, 0, 3, INF);
        double rate = 0.5; // alpha = K * rate * g = 3 * 0.5 * 0.1 = 0.15
        assertThat(l1.applyStep(1.0, 1, rate)).isEqualTo(1.0);
        assertThat(l1.applyStep(1.0, 2, rate)).isEqualTo(1.0);
        assertThat(l1.applyStep(1.0, 3, rate)).isCloseTo(0.85, within(1e-15));
        assertThat(l1.applyStep(1.0, 6, rate)).isCloseTo(0.85, within(1e-15));
    }

    @Test
    void shouldDecayByOneMinusRateTimesLambda() {
        Regularization l2 = new Regularization(0, 0.2, 1, INF);
        assertThat(l2.applyStep(2.0, 1, 0.5)).isCloseTo(2.0 * 0.9, within(1e-15));
        // closed form over ten missed steps: w (1 - eta lambda)^10
        LazyRegularizer lazy = LazyRegularizer.of(l2, Schedule.of(Schedule.Kind.CONSTANT, 0.5, 0, 1), 16);
        assertThat(lazy.catchUp(2.0, 0, 10)).isCloseTo(2.0 * Math.pow(0.9, 10), within(1e-14));
        assertThat(lazy.catchUp(2.0, 7, 7)).isEqualTo(2.0);
    }

    @Test
    void elasticNetShouldDecayThenTruncateInEachStep() {
        // rate 0.5, l2 0.2 -> d = 0.9; l1 0.1 -> alpha = 0.05 per step (K = 1)
        Regularization elastic = new Regularization(0.1, 0.2, 1, INF);
        double w = elastic.applyStep(1.0, 1, 0.5);
        assertThat(w).isCloseTo(0.85, within(1e-15)); // 1 * 0.9 - 0.05
        w = elastic.applyStep(w, 2, 0.5);
        assertThat(w).isCloseTo(0.715, within(1e-15)); // 0.85 * 0.9 - 0.05
        LazyRegularizer lazy = LazyRegularizer.of(elastic, Schedule.of(Schedule.Kind.CONSTANT, 0.5, 0, 1), 16);
        assertThat(lazy.catchUp(1.0, 0, 2)).isCloseTo(0.715, within(1e-15));
        assertThat(lazy.catchUp(-1.0, 0, 2)).isCloseTo(-0.715, within(1e-15));
        // affine map: 1 * 0.9^5 - 0.05 (0.9^4 + 0.9^3 + 0.9^2 + 0.9 + 1)
        double expected = Math.pow(0.9, 5) - 0.05 * (1 - Math.pow(0.9, 5)) / (1 - 0.9);
        assertThat(lazy.catchUp(1.0, 0, 5)).isCloseTo(expected, within(1e-14));
        // it never crosses zero
        assertThat(lazy.catchUp(0.1, 0, 50)).isEqualTo(0.0);
    }

    @Test
    void elasticNetAboveThetaShouldOnlyDecayUntilItEntersTheZone() {
        // d = 0.5, alpha = 0.1, theta = 0.5: step 1 decays 1 -> 0.5 (within theta) then truncates to 0.4;
        // step 2: 0.2 - 0.1 = 0.1
        Regularization r = new Regularization(0.1, 0.5, 1, 0.5);
        LazyRegularizer lazy = LazyRegularizer.of(r, Schedule.of(Schedule.Kind.CONSTANT, 1.0, 0, 1), 16);
        assertThat(lazy.catchUp(1.0, 0, 1)).isCloseTo(0.4, within(1e-15));
        assertThat(lazy.catchUp(1.0, 0, 2)).isCloseTo(0.1, within(1e-15));
        // theta 0.3: step 1 leaves 0.5 (above theta), step 2 decays to 0.25 then truncates to 0.15
        Regularization r2 = new Regularization(0.1, 0.5, 1, 0.3);
        LazyRegularizer lazy2 = LazyRegularizer.of(r2, Schedule.of(Schedule.Kind.CONSTANT, 1.0, 0, 1), 16);
        assertThat(lazy2.catchUp(1.0, 0, 1)).isCloseTo(0.5, within(1e-15));
        assertThat(lazy2.catchUp(1.0, 0, 2)).isCloseTo(0.15, within(1e-15));
    }

    @Test
    void varyingRateShouldUseEachStepsOwnRate() {
        // inverse scaling eta0 = 1, power 1, t0 = 1: rates 1, 1/2, 1/3; l1 0.3, K = 1 -> alphas .3, .15, .1
        Regularization r = new Regularization(0.3, 0, 1, INF);
        Schedule s = Schedule.of(Schedule.Kind.INVSCALING, 1.0, 1.0, 1.0);
        LazyRegularizer lazy = LazyRegularizer.of(r, s, 16);
        for (long t = 1; t <= 3; t++) {
            lazy.advance(t);
        }
        assertThat(lazy.catchUp(1.0, 0, 3)).isCloseTo(1.0 - 0.3 - 0.15 - 0.1, within(1e-15));
        assertThat(lazy.catchUp(1.0, 1, 3)).isCloseTo(1.0 - 0.15 - 0.1, within(1e-15));
    }

    @Test
    void shouldRejectInvalidSettingsNamingThem() {
        assertThatThrownBy(() -> new Regularization(-1, 0, 1, INF)).hasMessageContaining("l1");
        assertThatThrownBy(() -> new Regularization(0, Double.NaN, 1, INF)).hasMessageContaining("l2");
        assertThatThrownBy(() -> new Regularization(0, 0, 0, INF)).hasMessageContaining("truncate-every");
        assertThatThrownBy(() -> new Regularization(0, 0, 1, 0)).hasMessageContaining("theta");
        assertThatThrownBy(() -> LearnerConfig.defaults().withRegularization(new Regularization(0, 2.0, 1, INF)))
                .hasMessageContaining("learning-rate * l2");
    }
}
