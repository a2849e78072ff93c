package io.streamsgd.stream;

import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.Prediction;
import io.streamsgd.learn.FeatureHasher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;

/**
 * A task's models trained on a thread of their own, so that the stream thread can parse the next
 * events meanwhile. The stream thread fills a {@link Job} per event (parsed event, target models)
 * and {@linkplain #publish publishes} it; this thread runs the trainer's action on each job in
 * order (predict and train each model, as {@link ModelRuntime#handle} does on the stream thread
 * otherwise, and encode the prediction); the stream thread then takes the done jobs back in order
 * ({@link #takeDone}) and forwards their records. The results are therefore the same, to the bit,
 * in the same order.
 *
 * <p>Only this thread touches the models while jobs are pending. The stream thread touches them
 * (deltas at a commit, snapshots, checkpoints, status) only after {@link #drain}, when every
 * published job is done, or while this thread {@linkplain Job#holdsForSnapshot holds} after a job
 * whose model is due for a snapshot by its event count: the snapshot must see the model as it was
 * after that event. The handover is a ring of jobs with two volatile counters (published, done),
 * which also order every other write between the threads.
 *
 * <p>This thread parks when it has nothing to do, and the stream thread wakes it only once
 * {@value #WAKE_BATCH} jobs wait (or when it drains), so that a busy stream costs one wake-up per
 * batch rather than one per event. A job therefore waits at most until the next drain, which the
 * trainer runs at every commit and every punctuation (at most 200 ms apart).
 *
 * <p>A failure on this thread other than the models' own bad input (which becomes the job's dead
 * letter) is rethrown on the stream thread by the next call, as if training had thrown there.
 */
final class TrainingThread implements AutoCloseable {
    /**
     * Jobs in flight at most: enough for the stream thread to run ahead by many wake-up batches,
     * few enough that the ring's parsed events (each as large as the largest it has held) stay small.
     */
    static final int CAPACITY = 256;
    static final int WAKE_BATCH = 32;
    private static final int MASK = CAPACITY - 1;
    private static final int SPINS = 200;
    private static final int NAP_MICROS = 50;

    /** One event in flight: filled by the stream thread, its results by the training thread. */
    static final class Job {
        final Event event;
        Record<String, byte[]> record;
        ProcessorRecordContext recordContext;
        Source source;
        String id;
        long startNanos;
        /** Why the record could not be read (no models then), or null. */
        BadInputException unreadable;
        final List<ModelRuntime> models = new ArrayList<>(2);
        /** Per model: its prediction (null when it was rejected). */
        final List<Prediction> predictions = new ArrayList<>(2);
        /** Per model: the prediction's JSON, or null. */
        final List<byte[]> predictionJson = new ArrayList<>(2);
        /** Per model: why the model rejected the event, or null. */
        final List<BadInputException> rejections = new ArrayList<>(2);
        /** Per model: its status after the event. */
        final List<ModelStatus> statuses = new ArrayList<>(2);
        /** Per model: due for a snapshot by its event count after this event. */
        final List<Boolean> snapshotDue = new ArrayList<>(2);
        boolean holdsForSnapshot;

        Job(FeatureHasher hasher) {
            this.event = new Event(hasher);
        }

        /** Ready for the stream thread to fill: no models, no results. */
        void clear() {
            record = null;
            recordContext = null;
            source = null;
            id = null;
            unreadable = null;
            models.clear();
            predictions.clear();
            predictionJson.clear();
            rejections.clear();
            statuses.clear();
            snapshotDue.clear();
            holdsForSnapshot = false;
        }
    }

    private final Job[] ring = new Job[CAPACITY];
    private final Consumer<Job> train;
    private final Thread thread;
    /** Jobs published by the stream thread. */
    private volatile long published;
    /** Jobs done by the training thread. */
    private volatile long done;
    /** Set by the training thread before it parks; cleared by whoever wakes it. */
    private volatile boolean parked;
    /** The training thread holds (does not start the next job) until the stream thread clears this. */
    private volatile boolean holding;
    private volatile boolean closed;
    private volatile Throwable failure;
    /** Jobs taken back by the stream thread (stream thread only). */
    private long taken;

    /** Starts the thread, which runs {@code train} on each published job, in order. */
    TrainingThread(String name, FeatureHasher hasher, Consumer<Job> train) {
        this.train = train;
        for (int i = 0; i < CAPACITY; i++) {
            ring[i] = new Job(hasher);
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** True when every job of the ring is in flight or done but not taken back: {@link #next} must wait. */
    boolean full() {
        return published - taken == CAPACITY;
    }

    /** The next job to fill, cleared. Requires a ring that is not {@link #full}. */
    Job next() {
        if (full()) {
            throw new IllegalStateException("the ring is full: take the done jobs back first");
        }
        Job job = ring[(int) (published & MASK)];
        job.clear();
        return job;
    }

    /** Hands the job from {@link #next} over. */
    void publish() {
        published = published + 1;
        if (parked && published - done >= WAKE_BATCH) {
            wake();
        }
    }

    /**
     * Passes every done job, in order, to {@code emit}, and takes it back. After a job that
     * {@linkplain Job#holdsForSnapshot holds}, {@code emit} must take the snapshot and
     * {@link #release}.
     */
    void takeDone(Consumer<Job> emit) {
        checkFailure();
        long upTo = done;
        while (taken < upTo) {
            Job job = ring[(int) (taken & MASK)];
            taken++;
            try {
                emit.accept(job);
            } finally {
                job.record = null; // not kept until the job is reused: it may be large
            }
        }
    }

    private boolean allTaken() {
        return taken == published;
    }

    /**
     * Takes back done jobs, waiting for the training thread as needed, until the ring is not
     * {@link #full}: until {@value #WAKE_BATCH} more are done (or all), so that a stream thread
     * that outruns the training thread waits once per batch, not once per event.
     */
    void makeRoom(Consumer<Job> emit) {
        takeDone(emit);
        while (full()) {
            awaitDone(Math.min(published, taken + WAKE_BATCH));
            takeDone(emit);
        }
    }

    /** Takes back every published job, waiting for the training thread to do them: the models are then the stream thread's. */
    void drain(Consumer<Job> emit) {
        takeDone(emit);
        while (!allTaken()) {
            awaitDone(published);
            takeDone(emit);
        }
    }

    /** Lets the training thread go on after the snapshot its last done job asked for. */
    void release() {
        holding = false;
        wake();
    }

    /**
     * Waits, waking the training thread first, until it has done the jobs before {@code target},
     * or holds after a job not yet taken back (which the caller must take to release it). Spins
     * only for the last job; otherwise sleeps in steps of {@value #NAP_MICROS} µs, leaving the
     * core to the training thread.
     */
    private void awaitDone(long target) {
        wake();
        int spins = 0;
        while (done < target && !(holding && done > taken)) {
            checkFailure();
            if (target - done <= 1 && ++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(NAP_MICROS));
            }
        }
        checkFailure();
    }

    private void wake() {
        if (parked) {
            parked = false;
            LockSupport.unpark(thread);
        }
    }

    private void checkFailure() {
        Throwable f = failure;
        if (f instanceof RuntimeException e) {
            throw e;
        }
        if (f instanceof Error e) {
            throw e;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }

    private void run() {
        try {
            while (!closed) {
                if (holding || done == published) {
                    idle();
                    continue;
                }
                Job job = ring[(int) (done & MASK)];
                train.accept(job);
                if (job.holdsForSnapshot) {
                    holding = true;
                }
                done = done + 1;
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void idle() {
        for (int i = 0; i < SPINS; i++) {
            if (closed || (!holding && done != published)) {
                return;
            }
            Thread.onSpinWait();
        }
        parked = true;
        // Published or released after the flag was read above but before it was set: do not sleep.
        if (closed || (!holding && done != published)) {
            parked = false;
            return;
        }
        LockSupport.park(this);
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
