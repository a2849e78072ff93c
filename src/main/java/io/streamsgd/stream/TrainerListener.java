package io.streamsgd.stream;

/**
 * What the topology reports as it works, for metrics. Called on stream threads; implementations
 * must be cheap and thread-safe. Counts here are of records processed, which after a crash may
 * include records processed again; the exactly-once counts are those of {@link ModelStatus}.
 */
public interface TrainerListener {
    /** A prediction was made: {@code loss} is NaN when the event was unlabeled. */
    default void predicted(String model, boolean trained, double loss, long latencyNanos) {
    }

    /** A record went to the dead-letter topic; {@code model} is null when no model was known. */
    default void deadLettered(String model, String reasonCode) {
    }

    /** A snapshot was written. */
    default void snapshotted(ModelStatus status, long bytes, long durationNanos) {
    }

    /** The latest state of a model, after each event (cheap: a reference hand-off). */
    default void status(ModelStatus status) {
    }

    TrainerListener NONE = new TrainerListener() { };
}
