package io.streamsgd.learn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that defines how one model learns. Immutable; validated on construction, with
 * messages naming the setting and its accepted range.
 *
 * @param loss the loss
 * @param regularization L1 (gravity, K, theta) and L2
 * @param schedule the learning-rate schedule kind
 * @param learningRate eta0
 * @param powerT exponent of the inverse-scaling schedule
 * @param t0 time constant of the inverse-scaling schedule
 * @param hashBits the model has {@code 2^hashBits} weight slots
 * @param eager apply regularization to every weight at every step (the slow reference)
 * @param epochSteps steps between full catch-ups for schedules whose regularization rate varies
 */
public record LearnerConfig(Loss loss, Regularization regularization, Schedule.Kind schedule,
                            double learningRate, double powerT, double t0, int hashBits,
                            boolean eager, int epochSteps) {
    public static final double DEFAULT_POWER_T = 0.5;
    public static final double DEFAULT_T0 = 1.0;
    public static final int DEFAULT_EPOCH_STEPS = 1 << 16;
    /** The learner's slots must be non-negative ints. */
    public static final int MAX_HASH_BITS = 30;

    public LearnerConfig {
        if (loss == null || regularization == null || schedule == null) {
            throw new IllegalArgumentException("loss, regularization and schedule are required");
        }
        if (hashBits < 1 || hashBits > MAX_HASH_BITS) {
            throw new IllegalArgumentException("hash-bits must be in [1, " + MAX_HASH_BITS + "], got " + hashBits);
        }
        if (!(learningRate * regularization.l2() < 1.0)) {
            throw new IllegalArgumentException("learning-rate * l2 must be < 1 (the decay factor 1 - eta*l2 must stay"
                    + " positive), got " + learningRate + " * " + regularization.l2());
        }
        if (epochSteps < 1) {
            throw new IllegalArgumentException("epoch steps must be >= 1, got " + epochSteps);
        }
        Schedule.of(schedule, learningRate, powerT, t0); // validates the schedule's own parameters
    }

    /** The defaults: logistic loss, no regularization, adaptive normalized schedule, 2^24 slots. */
    public static LearnerConfig defaults() {
        return new LearnerConfig(Loss.LOGISTIC, Regularization.NONE, Schedule.Kind.ADAPTIVE,
                Schedule.Kind.ADAPTIVE.defaultLearningRate(), DEFAULT_POWER_T, DEFAULT_T0, FeatureHasher.DEFAULT_BITS, false,
                DEFAULT_EPOCH_STEPS);
    }

    public LearnerConfig withLoss(Loss l) {
        return new LearnerConfig(l, regularization, schedule, learningRate, powerT, t0, hashBits, eager, epochSteps);
    }

    public LearnerConfig withRegularization(Regularization r) {
        return new LearnerConfig(loss, r, schedule, learningRate, powerT, t0, hashBits, eager, epochSteps);
    }

    public LearnerConfig withSchedule(Schedule.Kind s, double eta0) {
        return new LearnerConfig(loss, regularization, s, eta0, powerT, t0, hashBits, eager, epochSteps);
    }

    public LearnerConfig withHashBits(int bits) {
        return new LearnerConfig(loss, regularization, schedule, learningRate, powerT, t0, bits, eager, epochSteps);
    }

    public LearnerConfig withEager(boolean e) {
        return new LearnerConfig(loss, regularization, schedule, learningRate, powerT, t0, hashBits, e, epochSteps);
    }

    public LearnerConfig withEpochSteps(int steps) {
        return new LearnerConfig(loss, regularization, schedule, learningRate, powerT, t0, hashBits, eager, steps);
    }

    public LearnerConfig withPowerT(double p, double timeConstant) {
        return new LearnerConfig(loss, regularization, schedule, learningRate, p, timeConstant, hashBits, eager, epochSteps);
    }

    public Schedule buildSchedule() {
        return Schedule.of(schedule, learningRate, powerT, t0);
    }

    /** The hyperparameters as snapshot metadata, in a stable order. */
    public Map<String, String> hyperparameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("loss", loss.toString());
        m.put("l1", Double.toString(regularization.l1()));
        m.put("l2", Double.toString(regularization.l2()));
        m.put("truncate-every", Integer.toString(regularization.truncateEvery()));
        m.put("theta", Double.toString(regularization.theta()));
        m.put("schedule", schedule.toString());
        m.put("learning-rate", Double.toString(learningRate));
        m.put("power-t", Double.toString(powerT));
        m.put("t0", Double.toString(t0));
        m.put("hash-bits", Integer.toString(hashBits));
        return m;
    }

    @Override
    public String toString() {
        return "LearnerConfig" + hyperparameters() + (eager ? " (eager)" : "");
    }
}
