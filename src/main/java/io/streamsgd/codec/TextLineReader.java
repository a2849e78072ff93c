package io.streamsgd.codec;

import java.util.Objects;

/**
 * What every text line reader does around its own parsing: clear the event, check the line's
 * length, and leave the event clear again if the line is rejected.
 */
abstract class TextLineReader implements LineReader {
    protected final ReadLimits limits;

    TextLineReader(ReadLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public final boolean parse(String line, Event into) throws BadInputException {
        into.reset();
        try {
            Text.checkLength(line, limits);
            return parseLine(line, into);
        } catch (BadInputException e) {
            into.reset();
            throw e;
        }
    }

    /** Parses a line of acceptable length into a clear event; see {@link LineReader#parse}. */
    protected abstract boolean parseLine(String line, Event into) throws BadInputException;
}
