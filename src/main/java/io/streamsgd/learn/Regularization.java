package io.streamsgd.learn;

/**
 * Regularization of the weights (never of the bias), applied after the gradient in each step
 * {@code t} with the schedule's regularization rate {@code rho_t}:
 * <ol>
 *   <li>L2 weight decay: {@code w <- w (1 - rho_t * l2)};</li>
 *   <li>then, every {@code truncateEvery}-th step (K), L1 by truncated gradient (Langford, Li and
 *       Zhang 2009): {@code w <- T(w, K * rho_t * l1, theta)} with gravity {@code l1} (g).</li>
 * </ol>
 * Both together are the elastic net. {@code theta = +infinity} (the default) is the soft threshold.
 *
 * @param l1 gravity g, {@code >= 0} (0 disables L1)
 * @param l2 weight decay lambda, {@code >= 0} (0 disables L2)
 * @param truncateEvery period K of the truncation, {@code >= 1}
 * @param theta truncation threshold, {@code > 0}, possibly infinite
 */
public record Regularization(double l1, double l2, int truncateEvery, double theta) {
    public static final Regularization NONE = new Regularization(0, 0, 1, Double.POSITIVE_INFINITY);

    public Regularization {
        if (!(l1 >= 0) || !Double.isFinite(l1)) {
            throw new IllegalArgumentException("l1 must be a finite number >= 0, got " + l1);
        }
        if (!(l2 >= 0) || !Double.isFinite(l2)) {
            throw new IllegalArgumentException("l2 must be a finite number >= 0, got " + l2);
        }
        if (truncateEvery < 1) {
            throw new IllegalArgumentException("truncate-every must be >= 1, got " + truncateEvery);
        }
        if (!(theta > 0)) {
            throw new IllegalArgumentException("theta must be > 0 (or infinity), got " + theta);
        }
    }

    public boolean hasL1() {
        return l1 > 0;
    }

    public boolean hasL2() {
        return l2 > 0;
    }

    public boolean isNone() {
        return !hasL1() && !hasL2();
    }

    /**
     * One step of regularization applied directly (the eager reference): decay, then truncation
     * when {@code step} is a multiple of K.
     */
    public double applyStep(double w, long step, double rate) {
        if (hasL2()) {
            w *= 1.0 - rate * l2;
        }
        if (hasL1() && step % truncateEvery == 0) {
            w = Truncation.truncate(w, truncateEvery * rate * l1, theta);
        }
        return w == 0.0 ? 0.0 : w;
    }

    @Override
    public String toString() {
        return "Regularization{l1=" + l1 + ", l2=" + l2 + ", K=" + truncateEvery + ", theta=" + theta + "}";
    }
}
