package io.streamsgd.codec;

import java.util.Locale;

/**
 * Why an input record was rejected. Each reason has a stable lowercase snake_case {@link #code()}
 * that appears in dead-letter records, metric tags and the metrics documentation: never rename
 * one, only add new ones.
 */
public enum BadInputReason {
    /** The bytes are not well-formed JSON: syntax error, truncated text, or content after the root value. */
    NOT_JSON("not_json"),
    /** The bytes are not valid UTF-8 (RFC 3629: no overlong forms, surrogates or code points above U+10FFFF). */
    INVALID_UTF8("invalid_utf8"),
    /** The JSON root is an array, string, number, boolean or null instead of an object. */
    NOT_AN_OBJECT("not_an_object"),
    /** Objects and arrays are nested deeper than the configured limit (unknown fields included). */
    TOO_DEEP("too_deep"),
    /** The record is empty or only whitespace. */
    EMPTY_RECORD("empty_record"),
    /** The record has no {@code features} field, or it is null. */
    MISSING_FEATURES("missing_features"),
    /** The record's feature set has no entries at all ({@code "features": {}}, a LibSVM line with only a label). */
    EMPTY_FEATURES("empty_features"),
    /** A feature value is not a finite number, a boolean or a string (null, array, object, NaN, 1e400), or {@code features} is not an object. */
    BAD_FEATURE_VALUE("bad_feature_value"),
    /** The same feature name appears twice in one record. */
    DUPLICATE_FEATURE("duplicate_feature"),
    /** The record has more features than the configured limit. */
    TOO_MANY_FEATURES("too_many_features"),
    /** The record is larger than the configured limit (checked before parsing). */
    RECORD_TOO_LARGE("record_too_large"),
    /** The label is not a finite number, a boolean or null (e.g. {@code "yes"}, an array, 1e400). */
    BAD_LABEL("bad_label"),
    /** The importance weight is not a finite number greater than 0. */
    BAD_WEIGHT("bad_weight"),
    /** The id is not a string or a finite number. */
    BAD_ID("bad_id"),
    /** The model is not a string. */
    BAD_MODEL("bad_model"),
    /** A LibSVM line is malformed (a token that is not {@code index:value}, an index that is not an integer). */
    NOT_LIBSVM("not_libsvm"),
    /** A Vowpal Wabbit line is malformed (no {@code |}, too many label fields, an empty feature name). */
    NOT_VW("not_vw"),
    /** A CSV header or row is malformed (wrong cell count, unterminated quote, duplicate or missing column). */
    NOT_CSV("not_csv"),
    /** Stream layer: the record names a model that is not configured. */
    UNKNOWN_MODEL("unknown_model"),
    /** Stream layer: the label is a number the model's loss does not accept (e.g. 0.5 for logistic). */
    LABEL_OUT_OF_RANGE("label_out_of_range"),
    /** Stream layer: the record value is null (a tombstone). */
    NULL_VALUE("null_value"),
    /**
     * Learner: the update would make the margin, a weight or the bias non-finite (the learning
     * rate is too large for the feature's scale); the model is left as it was.
     */
    DIVERGED("diverged");

    private final String code;

    BadInputReason(String code) {
        this.code = code;
    }

    /** The stable wire and metrics code, e.g. {@code not_json}. */
    public String code() {
        return code;
    }

    /**
     * The reason with the given code, ignoring case.
     *
     * @throws IllegalArgumentException if no reason has that code
     */
    public static BadInputReason fromCode(String code) {
        String wanted = code.toLowerCase(Locale.ROOT);
        for (BadInputReason reason : values()) {
            if (reason.code.equals(wanted)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("unknown bad-input reason '" + code + "'");
    }

    @Override
    public String toString() {
        return code;
    }
}
