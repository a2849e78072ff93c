package io.streamsgd.stream;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks every running trainer to snapshot all its models now, and waits until they have: what a
 * clean shutdown does before it closes Kafka Streams (a processor cannot forward records from
 * {@code close()}). Trainers register when their task starts and leave when it closes; each
 * checks for requests on a short wall-clock punctuation, on its own stream thread.
 */
public final class SnapshotTrigger {
    private final AtomicLong requested = new AtomicLong();
    /** The newest request that also asked for a checkpoint ({@link #requestFinal}). */
    private final AtomicLong checkpointRequested = new AtomicLong();
    private final Map<Object, Long> handled = new ConcurrentHashMap<>();

    /** Asks for a snapshot of every model; returns the request's number for {@link #await}. */
    public long request() {
        return requested.incrementAndGet();
    }

    /**
     * Waits until every registered trainer has handled request {@code number} (or left).
     *
     * @return true if all did within the timeout
     */
    public boolean await(long number, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (handled.values().stream().allMatch(h -> h >= number)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /**
     * Asks for a snapshot of every model and then a full checkpoint of its store: what a clean
     * shutdown asks for, so that a restart loads the pages instead of replaying the deltas.
     * Returns the request's number for {@link #await}.
     */
    public long requestFinal() {
        long number = requested.incrementAndGet();
        checkpointRequested.accumulateAndGet(number, Math::max);
        return number;
    }

    void register(Object trainer) {
        handled.put(trainer, requested.get());
    }

    void unregister(Object trainer) {
        handled.remove(trainer);
    }

    /** The newest request the trainer has not handled yet, or 0. */
    long pending(Object trainer) {
        long r = requested.get();
        Long h = handled.get(trainer);
        return h != null && h < r ? r : 0;
    }

    /** Whether a request the trainer has not handled yet asked for a checkpoint. */
    boolean checkpointPending(Object trainer) {
        Long h = handled.get(trainer);
        return h != null && checkpointRequested.get() > h;
    }

    void handled(Object trainer, long number) {
        handled.computeIfPresent(trainer, (k, v) -> Math.max(v, number));
    }
}
