package io.streamsgd.offline;

import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.LineReader;
import io.streamsgd.learn.FeatureHasher;

/**
 * Consecutive lines of the input, parsed: what the parser thread of {@link LineParser} hands to
 * the learning thread. Reused: its events are overwritten by the next lines it carries.
 *
 * <p>Line {@code firstLine() + i} is entry {@code i}: an event, a line that holds none (blank,
 * comment, header), or a rejected line with its reason. A batch may end with a failure of the
 * reading or the parsing itself (an I/O error, a bug), which comes after its lines.
 */
final class ParsedBatch {
    enum Kind { EVENT, NONE, BAD }

    private final Event[] events;
    private final Kind[] kinds;
    private final String[] reasons;
    private final int maxFeatures;
    private final FeatureHasher hasher;
    private long firstLine;
    private int size;
    private int features;
    private boolean last;
    private Throwable failure;

    /**
     * A batch of at most {@code maxLines} lines, full as soon as they hold {@code maxFeatures}
     * features or more, whose events hash their features with {@code hasher} (that of the scratch
     * events parsed into it).
     */
    ParsedBatch(int maxLines, int maxFeatures, FeatureHasher hasher) {
        this.maxFeatures = maxFeatures;
        this.hasher = hasher;
        events = new Event[maxLines];
        kinds = new Kind[maxLines];
        reasons = new String[maxLines];
    }

    /** Empties the batch; its first line will be {@code firstLine}. */
    void clear(long firstLine) {
        this.firstLine = firstLine;
        size = 0;
        features = 0;
        last = false;
        failure = null;
    }

    boolean isFull() {
        return size == events.length || features >= maxFeatures;
    }

    /**
     * Parses the next line into the batch; never throws for a rejected line. The line is parsed
     * into {@code scratch}, then copied: the scratch event's table of duplicate slots, touched for
     * every feature while parsing, stays the same one and hot, where the events of the batches
     * in flight would each bring their own out of the caches.
     */
    void parse(String line, LineReader reader, Event scratch) {
        String reason = null;
        Kind kind;
        try {
            kind = reader.parse(line, scratch) ? Kind.EVENT : Kind.NONE;
        } catch (BadInputException e) {
            kind = Kind.BAD;
            reason = e.reason().code() + ": " + e.getMessage();
        }
        if (kind == Kind.EVENT) {
            Event event = events[size];
            if (event == null) {
                event = new Event(hasher);
                events[size] = event;
            }
            event.copyFrom(scratch);
            features += event.features().size();
        }
        kinds[size] = kind;
        reasons[size] = reason;
        size++;
    }

    /** Marks the end of the input after this batch's lines, with the failure that ended it or null. */
    void end(Throwable failure) {
        this.last = true;
        this.failure = failure;
    }

    int size() {
        return size;
    }

    long lineNumber(int i) {
        return firstLine + i;
    }

    Kind kind(int i) {
        return kinds[i];
    }

    /** The parsed event of entry {@code i} of kind {@link Kind#EVENT}. */
    Event event(int i) {
        return events[i];
    }

    /** Why entry {@code i} of kind {@link Kind#BAD} was rejected: {@code "code: message"}. */
    String reason(int i) {
        return reasons[i];
    }

    /** True when no line follows this batch's. */
    boolean isLast() {
        return last;
    }

    /** What ended the input after this batch's lines if not its end, else null. */
    Throwable failure() {
        return failure;
    }
}
