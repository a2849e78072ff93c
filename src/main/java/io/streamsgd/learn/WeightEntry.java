package io.streamsgd.learn;

/**
 * The stored state of one weight: its value as of the end of step {@code step} <em>before</em>
 * the regularization it still owes from step {@code step + 1} on, and the per-coordinate state of
 * adaptive schedules. A mutable carrier reused across calls so that loading and saving a weight
 * allocates nothing.
 */
public final class WeightEntry {
    /** The weight, not yet regularized for the steps after {@link #step}. */
    public double value;
    /** The last step whose regularization {@link #value} includes. */
    public long step;
    /** Sum of squared gradients (AdaGrad and adaptive schedules), else 0. */
    public double sumSquares;
    /** Largest |x| seen (normalized schedule), else 0. */
    public double scale;

    public WeightEntry set(double value, long step, double sumSquares, double scale) {
        this.value = value;
        this.step = step;
        this.sumSquares = sumSquares;
        this.scale = scale;
        return this;
    }

    public WeightEntry clear() {
        return set(0.0, 0L, 0.0, 0.0);
    }

    @Override
    public String toString() {
        return "WeightEntry{value=" + value + ", step=" + step + ", sumSquares=" + sumSquares + ", scale=" + scale + "}";
    }
}
