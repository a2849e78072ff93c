package io.streamsgd.stream;

/**
 * A model's state as last committed by its task: the figures behind the model gauges. Counts and
 * sums are part of the model's stored state, so they are exact across restarts (each event
 * counted once).
 *
 * @param model the model's name
 * @param version the last snapshot version (0 before the first)
 * @param trained labeled events trained
 * @param predicted unlabeled events predicted
 * @param lossSum sum of the progressive losses of the trained events
 * @param correct correctly classified trained events (classification losses)
 * @param windowAccuracy accuracy over the recent window, NaN if unknown
 * @param windowAuc AUC over the recent window, NaN if unknown
 * @param nonzeros non-zero weights at the last snapshot
 * @param stored weight entries in the store now
 * @param l1Norm sum of absolute weights at the last snapshot
 * @param l2Norm Euclidean norm of the weights at the last snapshot
 * @param lastSnapshotMillis wall-clock time of the last snapshot, 0 before the first
 */
public record ModelStatus(String model, long version, long trained, long predicted, double lossSum, long correct,
                          double windowAccuracy, double windowAuc, long nonzeros, long stored, double l1Norm,
                          double l2Norm, long lastSnapshotMillis) {
}
