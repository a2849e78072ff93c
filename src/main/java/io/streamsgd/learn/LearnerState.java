package io.streamsgd.learn;

/**
 * The model's scalar state besides its weights: everything a learner needs, with its
 * {@link WeightStore}, to continue exactly where it stopped.
 *
 * @param step trained events so far
 * @param bias the bias (never regularized)
 * @param biasSumSquares the bias's sum of squared gradients (adaptive schedules)
 * @param normalizer the normalized schedule's running sum N of squared scaled norms
 * @param epochStart first step of the regularizer's current epoch (varying-rate schedules)
 */
public record LearnerState(long step, double bias, double biasSumSquares, double normalizer, long epochStart) {
    public static final LearnerState INITIAL = new LearnerState(0, 0.0, 0.0, 0.0, 0);
}
