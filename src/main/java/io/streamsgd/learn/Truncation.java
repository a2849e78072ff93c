package io.streamsgd.learn;

/**
 * The truncation operator of Langford, Li and Zhang (2009), "Sparse Online Learning via
 * Truncated Gradient", JMLR 10, eq. (6):
 * <pre>
 *   T(v, alpha, theta) = max(0, v - alpha)   if 0 &lt;= v &lt;= theta
 *                        min(0, v + alpha)   if -theta &lt;= v &lt;= 0
 *                        v                   otherwise
 * </pre>
 * With {@code theta = +infinity} it is the soft threshold {@code sign(v) max(0, |v| - alpha)}.
 * It composes: {@code T(T(v, a, theta), b, theta) = T(v, a + b, theta)}, because a truncated value
 * stays inside {@code [-theta, theta]} and never crosses zero. A result of zero is {@code +0.0}.
 *
 * <p>One refinement: a result within {@link #DEAD_ZONE}{@code * alpha} of zero is zero. Whether a
 * weight is exactly zero matters (a zero weight is removed and its adaptive state reset), and
 * without the dead zone floating-point rounding would decide it whenever a weight is an exact
 * multiple of the truncation: AdaGrad's first step makes a weight exactly {@code +-eta0}, and with
 * {@code alpha = eta0 / 100} a hundred step-by-step subtractions land on 0 while the lazy closed
 * form lands an ulp above it. Both paths apply the same criterion at the same step (the residual
 * after the last truncation against that truncation's alpha), so they agree; the dead zone is
 * far wider than their rounding and far narrower than any weight that matters.
 */
public final class Truncation {
    private Truncation() {
    }

    /** Relative width of the band around zero, in units of the last truncation, that is zero. */
    public static final double DEAD_ZONE = 1e-6;

    public static double truncate(double v, double alpha, double theta) {
        double a = Math.abs(v);
        if (a > theta) {
            return v;
        }
        return residual(a - alpha, alpha, v);
    }

    /**
     * The signed result of truncating a weight of sign {@code sign} whose magnitude after
     * truncation is {@code magnitude}, with {@code lastAlpha} the last truncation applied: zero
     * when the magnitude is within the dead zone.
     */
    public static double residual(double magnitude, double lastAlpha, double sign) {
        return magnitude > DEAD_ZONE * lastAlpha ? Math.copySign(magnitude, sign) : 0.0;
    }
}
