package io.streamsgd.stream;

import io.streamsgd.learn.LearnerConfig;

/**
 * One named model of the application: how it learns and how often it is snapshotted.
 *
 * @param name the model's name (the {@code model} field of events, the key of its records)
 * @param learner its learner configuration
 * @param snapshotEvents snapshot every this many trained events (0: never by count)
 * @param snapshotIntervalMs snapshot every this many milliseconds of wall-clock time (0: never by time)
 */
public record ModelSpec(String name, LearnerConfig learner, long snapshotEvents, long snapshotIntervalMs) {
    public ModelSpec {
        if (name == null || name.isEmpty() || name.length() > 200) {
            throw new IllegalArgumentException("a model name must have 1 to 200 characters, got '" + name + "'");
        }
        if (snapshotEvents < 0 || snapshotIntervalMs < 0) {
            throw new IllegalArgumentException("model." + name + ".snapshot.events and snapshot.interval.ms must be >= 0");
        }
    }
}
