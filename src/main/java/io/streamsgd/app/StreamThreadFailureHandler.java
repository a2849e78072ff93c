package io.streamsgd.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when an exception escapes a stream thread. Bad input never gets here (it is
 * dead-lettered), so what does is either transient (a broker or disk hiccup) or a bug.
 *
 * <p>The decision: <b>replace the thread</b> ({@code REPLACE_THREAD}) up to
 * {@code maxReplacements} times within {@code window}; beyond that, and at once for a JVM
 * {@link Error} such as {@code OutOfMemoryError}, <b>shut this client down</b>
 * ({@code SHUTDOWN_CLIENT}). Under exactly-once the failed transaction is aborted and the new
 * thread resumes from the last commit, so replacing loses nothing and rides out transient
 * faults; but a deterministic failure would fail again on the same record forever, with
 * {@code /health} still green. Shutting down turns it into a visible failure: Kafka Streams goes
 * to {@code ERROR}, {@code /health} answers 503, {@code run} exits non-zero and the orchestrator
 * restarts the instance (or alerts). Other instances of the application keep running
 * ({@code SHUTDOWN_APPLICATION} would stop them all for one instance's fault).
 *
 * <p>Thread-safe.
 */
final class StreamThreadFailureHandler implements StreamsUncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(StreamThreadFailureHandler.class);

    private final int maxReplacements;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Deque<Long> replacements = new ArrayDeque<>();

    /** 3 replacements within 10 minutes, on the system clock. */
    StreamThreadFailureHandler() {
        this(3, Duration.ofMinutes(10), System::nanoTime);
    }

    StreamThreadFailureHandler(int maxReplacements, Duration window, LongSupplier nanoClock) {
        if (maxReplacements < 0) {
            throw new IllegalArgumentException("maxReplacements must be >= 0, got " + maxReplacements);
        }
        this.maxReplacements = maxReplacements;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        if (exception instanceof Error) {
            log.error("A stream thread died of a JVM error; shutting this Kafka Streams client down", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = nanoClock.getAsLong();
        while (!replacements.isEmpty() && now - replacements.peekFirst() > windowNanos) {
            replacements.removeFirst();
        }
        if (replacements.size() < maxReplacements) {
            replacements.addLast(now);
            log.error("A stream thread failed; replacing it ({} of {} replacements allowed within {} s); it resumes"
                    + " from the last commit", replacements.size(), maxReplacements, windowNanos / 1_000_000_000L, exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        log.error("A stream thread failed again after {} replacements within {} s; shutting this Kafka Streams client"
                + " down (/health turns 503)", maxReplacements, windowNanos / 1_000_000_000L, exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
