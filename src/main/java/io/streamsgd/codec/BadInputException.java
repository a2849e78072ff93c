package io.streamsgd.codec;

import java.util.Objects;

/**
 * A record was rejected: carries the {@link BadInputReason} and a message naming the offending
 * field, feature, token or byte offset.
 *
 * <p>Checked on purpose: bad input is an expected outcome of reading external data, and every
 * caller must decide what to do with it (dead-letter the record, report the line) rather than let
 * it escape a stream processor. It records no stack trace: it says what is wrong with the
 * data, not where the code was, and a flood of bad records must stay cheap to reject.
 */
public final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    private final BadInputReason reason;

    public BadInputException(BadInputReason reason, String message) {
        this(reason, message, null);
    }

    public BadInputException(BadInputReason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public BadInputReason reason() {
        return reason;
    }

    /** The reason code and the message, e.g. {@code bad_label: 'label' must be ...}. */
    @Override
    public String toString() {
        return reason.code() + ": " + getMessage();
    }
}
