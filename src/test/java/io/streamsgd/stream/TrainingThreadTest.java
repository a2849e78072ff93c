package io.streamsgd.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.learn.FeatureHasher;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The handover between the stream thread (this test's thread) and the training thread, with a
 * training action that only numbers the jobs: every job trained once, in order, taken back in
 * order; a drain returns with every job taken back, whenever it comes; nothing is trained past a
 * job that holds until it is released; a failure reaches the stream thread.
 */
class TrainingThreadTest {
    private static final FeatureHasher HASHER = new FeatureHasher(18);

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyJobShouldBeTrainedOnceAndTakenBackInOrderWhateverTheDrains() {
        AtomicLong trained = new AtomicLong();
        Random random = new Random(7);
        List<Long> takenBack = new ArrayList<>();
        long holdsSeen = 0;
        try (TrainingThread training = new TrainingThread("test-training", HASHER, job -> {
            long n = Long.parseLong(job.id);
            assertThat(trained.getAndIncrement()).isEqualTo(n); // in order, once
            job.holdsForSnapshot = n % 997 == 5;
            if (n % 101 == 0) {
                LockSupport.parkNanos(50_000); // a slow job now and then
            }
        })) {
            long published = 0;
            for (int round = 0; round < 3_000; round++) {
                int burst = random.nextInt(random.nextBoolean() ? 40 : 2_000);
                for (int i = 0; i < burst; i++) {
                    if (training.full()) {
                        training.makeRoom(job -> takeBack(job, training, trained, takenBack));
                        assertThat(training.full()).isFalse();
                    }
                    TrainingThread.Job job = training.next();
                    assertThat(job.id).isNull();
                    job.id = Long.toString(published++);
                    training.publish();
                    if (random.nextInt(8) == 0) {
                        training.takeDone(j -> takeBack(j, training, trained, takenBack));
                    }
                }
                if (random.nextInt(3) == 0) {
                    training.drain(j -> takeBack(j, training, trained, takenBack));
                    assertThat(takenBack).hasSize((int) published);
                    assertThat(trained.get()).isEqualTo(published);
                }
            }
            training.drain(j -> takeBack(j, training, trained, takenBack));
            assertThat(takenBack).hasSize((int) published);
            for (int i = 0; i < takenBack.size(); i++) {
                assertThat(takenBack.get(i)).isEqualTo(i);
                holdsSeen += i % 997 == 5 ? 1 : 0;
            }
            assertThat(holdsSeen).isGreaterThan(10);
        }
    }

    /** What the trainer's emit does with a job, checking that a holding job is the last one trained. */
    private static void takeBack(TrainingThread.Job job, TrainingThread training, AtomicLong trained, List<Long> takenBack) {
        long n = Long.parseLong(job.id);
        takenBack.add(n);
        if (job.holdsForSnapshot) {
            LockSupport.parkNanos(200_000); // time for the training thread to run ahead, if it could
            assertThat(trained.get()).as("jobs trained while job %d holds", n).isEqualTo(n + 1);
            training.release();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFailureOnTheTrainingThreadShouldBeThrownOnTheStreamThread() {
        IllegalStateException boom = new IllegalStateException("boom");
        try (TrainingThread training = new TrainingThread("test-training", HASHER, job -> {
            if (job.id.equals("3")) {
                throw boom;
            }
        })) {
            for (int i = 0; i < 10; i++) {
                training.next().id = Integer.toString(i);
                training.publish();
            }
            List<String> taken = new ArrayList<>();
            assertThatThrownBy(() -> training.drain(job -> taken.add(job.id))).isSameAs(boom);
            assertThat(taken).isSubsetOf("0", "1", "2");
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closeShouldStopTheThread() {
        TrainingThread training = new TrainingThread("test-training-close", HASHER, job -> { });
        training.next().id = "0";
        training.publish();
        training.drain(job -> { });
        training.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("test-training-close"));
    }
}
