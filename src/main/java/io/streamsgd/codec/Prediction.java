package io.streamsgd.codec;

/**
 * One prediction record: for a labeled event it is made before the update (progressive
 * validation) and carries the label and loss; for an unlabeled one {@code trained} is false and
 * label and loss are absent (NaN here, omitted in JSON).
 *
 * @param id the event id
 * @param model the model's name
 * @param modelVersion the version of the model's latest snapshot when the prediction was made
 * @param margin {@code w.x + b}
 * @param prediction the probability (logistic), value (squared) or sign (hinge)
 * @param label the normalized label, or NaN
 * @param loss the progressive loss, or NaN
 * @param trained whether the event then trained the model
 */
public record Prediction(String id, String model, long modelVersion, double margin, double prediction,
                         double label, double loss, boolean trained) {
}
