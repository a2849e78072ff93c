package io.streamsgd.bench;

import io.streamsgd.learn.FeatureHasher;
import io.streamsgd.learn.HashedWeightTable;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.learn.OnlineLearner;
import io.streamsgd.learn.Regularization;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * A JMH-free loop over {@link LearnerBenchmark}'s event pool (lazy, elastic net), for profiling
 * with JFR and for quick comparisons on a busy machine: besides wall-clock events per second it
 * reports events per second of the thread's CPU time, which time-slicing with other processes
 * does not dilute (shared caches still do).
 *
 * <p>Run: {@code java -cp <test classpath> io.streamsgd.bench.LearnerLoop [seconds per round]
 * [rounds] [bits...]}, e.g. {@code ... LearnerLoop 3 5 12 28}; {@code -Dpool=N} for another pool size,
 * {@code -Dunregularized=true} for no regularization, {@code -Dquiet=true} for the medians only.
 */
public final class LearnerLoop {
    private LearnerLoop() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int[] bitsList = {12, 20, 28};
        if (args.length > 2) {
            bitsList = new int[args.length - 2];
            for (int i = 2; i < args.length; i++) {
                bitsList[i - 2] = Integer.parseInt(args[i]);
            }
        }
        int poolSize = Integer.getInteger("pool", LearnerBenchmark.POOL);
        LearnerBenchmark.Pool pool = LearnerBenchmark.Pool.generate(poolSize, LearnerBenchmark.NONZEROS,
                LearnerBenchmark.VOCABULARY, LearnerBenchmark.SEED, FeatureHasher.MAX_BITS); // one pool for every model size
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        OnlineLearner[] learners = new OnlineLearner[bitsList.length];
        for (int b = 0; b < bitsList.length; b++) {
            Regularization reg = Boolean.getBoolean("unregularized") ? Regularization.NONE
                    : new Regularization(LearnerBenchmark.REGULARIZATION, LearnerBenchmark.REGULARIZATION, 1,
                    Double.POSITIVE_INFINITY);
            learners[b] = new OnlineLearner(LearnerConfig.defaults().withHashBits(bitsList[b]).withRegularization(reg),
                    HashedWeightTable.forHashBits(bitsList[b]));
            for (int i = 0; i < poolSize; i++) {
                learners[b].learn(pool.events[i], pool.labels[i], 1.0);
            }
        }
        double sink = 0;
        double[][] cpuRates = new double[bitsList.length][rounds];
        double[][] wallRates = new double[bitsList.length][rounds];
        for (int r = 0; r < rounds; r++) {
            // interleaved rounds, so that a change in the machine's load hits every configuration
            for (int b = 0; b < bitsList.length; b++) {
                OnlineLearner learner = learners[b];
                long wall0 = System.nanoTime();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long events = 0;
                int next = 0;
                long deadline = wall0 + (long) (seconds * 1e9);
                while (true) {
                    for (int k = 0; k < 1000; k++) {
                        sink += learner.learn(pool.events[next], pool.labels[next], 1.0);
                        next = next + 1 == poolSize ? 0 : next + 1;
                    }
                    events += 1000;
                    if (System.nanoTime() >= deadline) {
                        break;
                    }
                }
                double wall = (System.nanoTime() - wall0) / 1e9;
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                cpuRates[b][r] = events / cpu;
                wallRates[b][r] = events / wall;
                if (!Boolean.getBoolean("quiet")) {
                    System.out.printf(Locale.ROOT, "round %d bits %2d: %,10.0f events/s wall  %,10.0f events/s cpu  (%d stored)%n",
                            r, bitsList[b], events / wall, events / cpu, learner.store().size());
                }
            }
        }
        for (int b = 0; b < bitsList.length; b++) {
            java.util.Arrays.sort(cpuRates[b]);
            java.util.Arrays.sort(wallRates[b]);
            System.out.printf(Locale.ROOT, "median bits %2d: %,10.0f events/s wall  %,10.0f events/s cpu  (best cpu %,.0f)%n",
                    bitsList[b], wallRates[b][rounds / 2], cpuRates[b][rounds / 2], cpuRates[b][rounds - 1]);
        }
        System.out.println(sink == 42 ? "" : " ");
    }
}
