package io.streamsgd.learn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sealed model: no pending regularization, every non-zero weight with its feature name.
 * Versions of one model increase monotonically.
 *
 * @param model the model's name
 * @param version the snapshot version (1, 2, ...)
 * @param events trained events (steps) the model has seen
 * @param timestampMillis when the snapshot was taken (epoch milliseconds)
 * @param hyperparameters the learner configuration ({@link LearnerConfig#hyperparameters()})
 * @param bias the bias
 * @param nonzeros number of non-zero weights
 * @param l1Norm sum of absolute weights
 * @param l2Norm Euclidean norm of the weights
 * @param weights every non-zero weight
 */
public record ModelSnapshot(String model, long version, long events, long timestampMillis,
                            Map<String, String> hyperparameters, double bias, long nonzeros,
                            double l1Norm, double l2Norm, List<Weight> weights) {
    /** One non-zero weight: its feature name (the first name that hashed to the slot), slot, value. */
    public record Weight(String name, int slot, double value) {
    }

    public ModelSnapshot {
        hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters)); // keeps its order
        weights = List.copyOf(weights);
    }
}
