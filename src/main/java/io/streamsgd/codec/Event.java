package io.streamsgd.codec;

import io.streamsgd.learn.FeatureHasher;
import io.streamsgd.learn.Features;

/**
 * One parsed event, filled by a reader and reused from record to record (one instance per thread;
 * not thread-safe). A reader clears it before parsing and again when it rejects a record, so it
 * never carries values from an earlier record.
 *
 * <p>Features are hashed with the full 32-bit MurmurHash3 ({@link #HASHER}) unless the event is
 * made with another hasher: each model later masks the slot to its own hash bits, so a name is
 * hashed once however many models read it. {@code learn} hashes with its model's bits instead,
 * and the service's trainer with the bits its models share, if they do: such a model then reads
 * the features as they are, with nothing to mask or merge (the vector hashing with 32 bits and
 * masking gives, but for an event with two names of the same 32-bit hash: about one in ten
 * million events of 30 features; see {@code ProjectedFeatures}).
 */
public final class Event {
    /** The hasher of every event's features: the full 32-bit hash, unmasked. */
    public static final FeatureHasher HASHER = new FeatureHasher(32);

    private final Features features;
    private String id;
    private String model;
    private boolean hasLabel;
    private double label;
    private double weight = 1.0;

    /** An empty event whose features are hashed with the full 32-bit hash ({@link #HASHER}). */
    public Event() {
        this(HASHER);
    }

    /** An empty event whose features are hashed with {@code hasher}. */
    public Event(FeatureHasher hasher) {
        this.features = new Features(hasher);
    }

    /** Clears every field: no id, no model, no label, weight 1, no features. */
    public void reset() {
        id = null;
        model = null;
        hasLabel = false;
        label = 0.0;
        weight = 1.0;
        features.clear();
    }

    /** Makes this event a copy of {@code other}: every field, and the features (see {@link Features#copyFrom}). */
    public void copyFrom(Event other) {
        id = other.id;
        model = other.model;
        hasLabel = other.hasLabel;
        label = other.label;
        weight = other.weight;
        features.copyFrom(other.features);
    }

    /** The event id as given (a numeric id as its JSON text), or null when absent. */
    public String id() {
        return id;
    }

    /** The model this event is for, or null for every default model. */
    public String model() {
        return model;
    }

    /** Whether the event has a label; without one it is only predicted, never trained on. */
    public boolean hasLabel() {
        return hasLabel;
    }

    /**
     * The label as given: the number, or 1/0 for true/false. Always finite.
     *
     * @throws IllegalStateException if the event has no label
     */
    public double label() {
        if (!hasLabel) {
            throw new IllegalStateException("the event has no label");
        }
        return label;
    }

    /** The importance weight: finite and greater than 0, 1 unless the record says otherwise. */
    public double weight() {
        return weight;
    }

    /** The feature vector, slots being full 32-bit hashes. */
    public Features features() {
        return features;
    }

    void setId(String id) {
        this.id = id;
    }

    void setModel(String model) {
        this.model = model;
    }

    void setLabel(double label) {
        if (!Double.isFinite(label)) {
            throw new IllegalArgumentException("label must be finite, got " + label);
        }
        this.label = label;
        this.hasLabel = true;
    }

    void setWeight(double weight) {
        if (!(weight > 0.0) || weight == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("weight must be finite and > 0, got " + weight);
        }
        this.weight = weight;
    }

    @Override
    public String toString() {
        return "Event{id=" + id + ", model=" + model + ", label=" + (hasLabel ? Double.toString(label) : "none")
                + ", weight=" + weight + ", " + features + "}";
    }
}
