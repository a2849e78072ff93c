package io.streamsgd.cli;

import io.streamsgd.learn.FeatureHasher;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.learn.Loss;
import io.streamsgd.learn.Regularization;
import io.streamsgd.learn.Schedule;
import picocli.CommandLine.Option;

/** The options that define one model, shared by the commands that train one. */
public final class ModelOptions {
    @Option(names = "--loss", defaultValue = "logistic", description = "logistic, squared or hinge (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--l1", defaultValue = "0", description = "L1 gravity g of truncated gradient (default: ${DEFAULT-VALUE}).")
    double l1;

    @Option(names = "--l2", defaultValue = "0", description = "L2 weight decay lambda (default: ${DEFAULT-VALUE}).")
    double l2;

    @Option(names = "--truncate-every", defaultValue = "1", description = "Truncation period K (default: ${DEFAULT-VALUE}).")
    int truncateEvery;

    @Option(names = "--theta", defaultValue = "Infinity", description = "Truncation threshold theta (default: ${DEFAULT-VALUE}, the soft threshold).")
    double theta;

    @Option(names = "--schedule", defaultValue = "adaptive", description = "adaptive, adagrad, invscaling or constant (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--learning-rate", description = "eta0 (default: 1.0 adaptive, 0.5 adagrad and invscaling, 0.1 constant).")
    Double learningRate;

    @Option(names = "--power-t", defaultValue = "0.5", description = "Exponent of invscaling (default: ${DEFAULT-VALUE}).")
    double powerT;

    @Option(names = "--t0", defaultValue = "1", description = "Time constant of invscaling: eta0 / (1 + (t-1)/t0)^power-t (default: ${DEFAULT-VALUE}).")
    double t0;

    @Option(names = "--hash-bits", defaultValue = "24", description = "2^bits weight slots, 1 to 30 (default: ${DEFAULT-VALUE}).")
    int hashBits = FeatureHasher.DEFAULT_BITS;

    /** The learner configuration, validated. */
    public LearnerConfig toConfig() {
        Schedule.Kind kind = Schedule.Kind.parse(schedule);
        return new LearnerConfig(Loss.parse(loss), new Regularization(l1, l2, truncateEvery, theta),
                kind, learningRate != null ? learningRate : kind.defaultLearningRate(), powerT, t0, hashBits, false,
                LearnerConfig.DEFAULT_EPOCH_STEPS);
    }
}
