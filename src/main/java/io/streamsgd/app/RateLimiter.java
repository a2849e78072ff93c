package io.streamsgd.app;

import java.util.concurrent.TimeUnit;

/**
 * Paces a loop to at most {@code perSecond} iterations a second on average since its start:
 * {@link #acquire()} sleeps while the loop is ahead of schedule. Not thread-safe; one per loop.
 */
public final class RateLimiter {
    private final double perSecond;
    private final long startNanos = System.nanoTime();
    private long permits;

    /** @param perSecond the rate; 0 or less means unlimited */
    public RateLimiter(double perSecond) {
        this.perSecond = perSecond;
    }

    /** Takes one permit, sleeping until it is due. */
    public void acquire() throws InterruptedException {
        permits++;
        if (perSecond <= 0) {
            return;
        }
        long due = startNanos + (long) (permits / perSecond * 1e9);
        long wait = due - System.nanoTime();
        // Sleeping less than a millisecond is not worth a system call; catch up on the next one.
        if (wait > 1_000_000L) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
