package io.streamsgd.bench;

import io.streamsgd.learn.FeatureHasher;
import io.streamsgd.learn.Features;
import io.streamsgd.learn.HashedWeightTable;
import io.streamsgd.learn.LazyRegularizer;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.learn.OnlineLearner;
import io.streamsgd.learn.Regularization;
import io.streamsgd.learn.WeightStore;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second of the in-memory learner ({@link OnlineLearner} over a {@link HashedWeightTable}),
 * one event per operation, with the default schedule (adaptive, normalized, importance-aware,
 * logistic loss) and an elastic net (L1 gravity and L2 decay of {@value #REGULARIZATION}) so that
 * regularization runs at every step.
 *
 * <p>The events: a fixed pool of {@value #POOL} events of exactly {@value #NONZEROS} distinct
 * features each (before hashing into the model's space), feature ids drawn from a Zipf
 * distribution (exponent 1) over a vocabulary of {@value #VOCABULARY} ids, so that a few features
 * are in most events and most features are rare, as in text; values uniform in [0.1, 1), labels
 * drawn from a sparse logistic ground truth; seeded. The pool is cycled through. The model is
 * warmed by one pass over the pool in the setup; for {@code eager}, that pass runs lazily (the two
 * are equal, {@code LazyEqualsEagerTest}) and every weight is then brought up to date, as the
 * eager model keeps them.
 *
 * <p>Parameters: {@code bits} the hash space 2^bits; {@code mode} lazy (the product) or eager (the
 * reference that regularizes every stored weight at every step); {@code regularization} elastic
 * (default) or none (the cost of the update alone, for comparison); {@code hashed} how the pool's
 * features were hashed: {@code model}, with the model's bits, as {@code learn}'s parser and the
 * service (when its models share their bits) hash them, so that the learner reads each vector in
 * place, or {@code full}, with all 32 bits, so that the learner masks them and merges the features
 * that then share a slot (a service whose models differ in their bits); {@code vocabulary} the
 * number of distinct feature ids. With the default, a larger hash space also means a larger model
 * (the 2^20 ids share 4,096 weights at 2^12 and make about 376,000 at 2^20 and 466,000 at 2^28);
 * with a vocabulary of 4,096 the model is a few thousand weights at every space, which separates
 * the cost of the hash space from that of the model's size.
 *
 * <p>Run: {@code bench/jmh.sh LearnerBenchmark} (see BENCHMARKS.md for the exact settings used).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class LearnerBenchmark {
    static final int POOL = 100_000;
    static final int NONZEROS = 30;
    static final int VOCABULARY = 1 << 20;
    static final double REGULARIZATION = 1e-5;
    static final long SEED = 20_240_601L;

    @Param({"12", "20", "28"})
    public int bits;

    @Param({"lazy", "eager"})
    public String mode;

    @Param({"elastic"})
    public String regularization;

    @Param({"model", "full"})
    public String hashed;

    /** Distinct feature ids of the pool: {@value #VOCABULARY} (text-like, the default) or fewer. */
    @Param({"" + VOCABULARY})
    public int vocabulary;

    private Features[] events;
    private double[] labels;
    private OnlineLearner learner;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        int hashBits = switch (hashed) {
            case "model" -> bits;
            case "full" -> FeatureHasher.MAX_BITS;
            default -> throw new IllegalArgumentException("hashed must be model or full, got " + hashed);
        };
        Pool pool = Pool.generate(POOL, NONZEROS, vocabulary, SEED, hashBits);
        events = pool.events;
        labels = pool.labels;
        Regularization reg = switch (regularization) {
            case "elastic" -> new Regularization(REGULARIZATION, REGULARIZATION, 1, Double.POSITIVE_INFINITY);
            case "none" -> Regularization.NONE;
            default -> throw new IllegalArgumentException("regularization must be elastic or none, got " + regularization);
        };
        LearnerConfig config = LearnerConfig.defaults().withHashBits(bits).withRegularization(reg);
        HashedWeightTable store = HashedWeightTable.forHashBits(bits); // as `learn` sizes it
        OnlineLearner warm = new OnlineLearner(config, store);
        for (int i = 0; i < POOL; i++) {
            warm.learn(events[i], labels[i], 1.0);
        }
        switch (mode) {
            case "lazy" -> learner = warm;
            case "eager" -> {
                bringUpToDate(config, store, warm.step());
                learner = new OnlineLearner(config.withEager(true), store, warm.state());
            }
            default -> throw new IllegalArgumentException("mode must be lazy or eager, got " + mode);
        }
        next = 0;
    }

    /** Applies every weight's pending regularization, as the eager model stores them. */
    private static void bringUpToDate(LearnerConfig config, WeightStore store, long step) {
        LazyRegularizer catchUp = LazyRegularizer.of(config.regularization(), config.buildSchedule(), config.epochSteps());
        if (!config.buildSchedule().hasConstantRegularizationRate()) {
            throw new IllegalStateException("the warm-up catch-up assumes a constant regularization rate");
        }
        store.sweep((slot, name, e) -> {
            double w = catchUp.catchUp(e.value, e.step, step);
            if (w == 0.0) {
                return WeightStore.Action.REMOVE;
            }
            e.value = w;
            e.step = step;
            return WeightStore.Action.UPDATE;
        });
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.printf("%n[LearnerBenchmark bits=%d mode=%s] steps=%d stored weights=%d%n",
                bits, mode, learner.step(), learner.store().size());
    }

    @Benchmark
    public double learn() {
        int i = next;
        next = i + 1 == POOL ? 0 : i + 1;
        return learner.learn(events[i], labels[i], 1.0);
    }

    /** The seeded event pool; also used by the profiling harness and the tests. */
    static final class Pool {
        final Features[] events;
        final double[] labels;

        private Pool(Features[] events, double[] labels) {
            this.events = events;
            this.labels = labels;
        }

        /** The pool, its features hashed with {@code hashBits}. */
        static Pool generate(int size, int nonzeros, int vocabulary, long seed, int hashBits) {
            SplittableRandom random = new SplittableRandom(seed);
            // Zipf(1): P(id = k) proportional to 1 / (k + 1); sampled by inverting the CDF.
            double[] cdf = new double[vocabulary];
            double sum = 0;
            for (int k = 0; k < vocabulary; k++) {
                sum += 1.0 / (k + 1);
                cdf[k] = sum;
            }
            String[] names = new String[vocabulary];
            // a sparse ground truth: one id in eight has a weight in [-1, 1]
            double[] truth = new double[vocabulary];
            for (int k = 0; k < vocabulary; k++) {
                truth[k] = random.nextInt(8) == 0 ? random.nextDouble(-1, 1) : 0.0;
            }
            FeatureHasher hasher = new FeatureHasher(hashBits);
            Features[] events = new Features[size];
            double[] labels = new double[size];
            int[] ids = new int[nonzeros];
            for (int e = 0; e < size; e++) {
                Features f = new Features(hasher);
                double z = 0;
                for (int n = 0; n < nonzeros; n++) {
                    int id;
                    do {
                        id = sample(cdf, random.nextDouble() * sum);
                    } while (contains(ids, n, id));
                    ids[n] = id;
                    if (names[id] == null) {
                        names[id] = "w" + id;
                    }
                    double x = random.nextDouble(0.1, 1.0);
                    f.add(names[id], x);
                    z += truth[id] * x;
                }
                events[e] = f;
                labels[e] = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1.0 : 0.0;
            }
            return new Pool(events, labels);
        }

        private static int sample(double[] cdf, double u) {
            int lo = 0;
            int hi = cdf.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        private static boolean contains(int[] ids, int n, int id) {
            for (int i = 0; i < n; i++) {
                if (ids[i] == id) {
                    return true;
                }
            }
            return false;
        }
    }
}
