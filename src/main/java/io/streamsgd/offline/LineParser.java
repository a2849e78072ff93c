package io.streamsgd.offline;

import io.streamsgd.codec.Event;
import io.streamsgd.codec.LineReader;
import io.streamsgd.learn.FeatureHasher;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads and parses the lines of an input on a thread of its own, a batch of lines at a time,
 * while the caller's thread learns from the batches before: on two cores a pass then takes
 * about the longer of parsing and learning instead of their sum, as Vowpal Wabbit's parser
 * thread does. Batches come back in the order of the lines, each with its lines' numbers.
 *
 * <p>A fixed set of {@link ParsedBatch}es circulates between the two threads through two bounded
 * queues (parsed, and free to refill), so the parser is never more than a few batches ahead and
 * the batches and their events are reused. Rejected lines travel as such (the caller reports them in
 * order); a failure of the reading or the parsing itself ends the input and travels after the
 * lines read before it. {@link #close} stops the parser thread wherever it is, so a caller that
 * fails or stops early never leaves it running; a parser thread that dies unexpectedly is noticed
 * by {@link #next}, which never waits forever.
 *
 * <p>One consumer thread: {@link #next} and {@link #recycle} are not for concurrent use.
 */
final class LineParser implements AutoCloseable {
    /** Most lines per batch: the hand-over cost is spread over this many. */
    static final int BATCH_LINES = 128;
    /**
     * Most features per batch (a batch is full once its lines hold this many; 64 KB of feature
     * arrays): the events in flight, written by one core and read by the other, should stay
     * within the caches whatever the length of the lines.
     */
    static final int BATCH_FEATURES = 4096;
    /** Batches in circulation: one being parsed, one being learned, the rest queued. */
    static final int BATCHES = 4;

    private final LineSource in;
    private final LineReader reader;
    private final FeatureHasher hasher;
    private final BlockingQueue<ParsedBatch> parsed = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<ParsedBatch> free = new ArrayBlockingQueue<>(BATCHES);
    private final Thread thread;

    /**
     * Starts parsing {@code in} with {@code reader}, which only the parser thread uses from now on;
     * the events' features are hashed with {@code hasher}.
     */
    LineParser(LineSource in, LineReader reader, FeatureHasher hasher) {
        this(in, reader, hasher, BATCH_LINES, BATCH_FEATURES);
    }

    LineParser(LineSource in, LineReader reader, FeatureHasher hasher, int batchLines, int batchFeatures) {
        this.in = in;
        this.reader = reader;
        this.hasher = hasher;
        for (int i = 0; i < BATCHES; i++) {
            free.add(new ParsedBatch(batchLines, batchFeatures, hasher));
        }
        thread = new Thread(this::parseAll, "learn-parser");
        thread.setDaemon(true); // never keeps the JVM alive, e.g. when blocked on a stdin nobody closes
        thread.start();
    }

    private void parseAll() {
        Event scratch = new Event(hasher);
        long nextLine = 1;
        try {
            while (true) {
                ParsedBatch batch = free.take();
                batch.clear(nextLine);
                try {
                    while (!batch.isFull()) {
                        String line = in.readLine();
                        if (line == null) {
                            batch.end(null);
                            break;
                        }
                        batch.parse(line, reader, scratch);
                    }
                } catch (Throwable e) { // NOPMD: any failure, even an Error, must reach the consumer
                    batch.end(e);
                }
                nextLine += batch.size();
                parsed.put(batch);
                if (batch.isLast()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed by the consumer: stop
        }
    }

    /**
     * The next batch of parsed lines, in order; after the one that {@link ParsedBatch#isLast is
     * last} there is none.
     *
     * @throws InterruptedIOException if this thread is interrupted while waiting (its interrupt
     *     flag is set again)
     * @throws IllegalStateException if the parser thread has ended without delivering the last batch
     */
    ParsedBatch next() throws InterruptedIOException {
        try {
            while (true) {
                ParsedBatch batch = parsed.poll(100, TimeUnit.MILLISECONDS);
                if (batch != null) {
                    return batch;
                }
                if (!thread.isAlive() && parsed.isEmpty()) {
                    throw new IllegalStateException("the parser thread ended without reaching the end of the input");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for parsed lines");
        }
    }

    /** Gives a batch from {@link #next} back to be refilled, once its events are no longer used. */
    void recycle(ParsedBatch batch) {
        free.add(batch); // never full: only BATCHES batches exist
    }

    /** The parser thread, for tests. */
    Thread thread() {
        return thread;
    }

    /**
     * Stops the parser thread if it is still running and waits for it briefly (a thread blocked
     * reading a terminal or a pipe may not wake up; it is a daemon and holds nothing). For the
     * end of a pass only: interrupting a read from a file channel closes the channel.
     */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
