package io.streamsgd.codec;

/**
 * Parses one line of a text file of events (JSON Lines, LibSVM, Vowpal Wabbit, CSV) into a
 * reusable {@link Event}. Line numbers are the caller's business: it knows which line it passed
 * and adds the number when it reports a {@link BadInputException}.
 */
@FunctionalInterface
public interface LineReader {
    /**
     * Parses {@code line} (without its line terminator) into {@code into}, which is reset first.
     *
     * @return true if the line held an event, now in {@code into}; false if it holds none (a
     *     blank line, a comment, a CSV header), {@code into} being left reset
     * @throws BadInputException if the line is rejected; {@code into} is then reset
     */
    boolean parse(String line, Event into) throws BadInputException;
}
