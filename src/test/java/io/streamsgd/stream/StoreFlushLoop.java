package io.streamsgd.stream;

import io.streamsgd.learn.FeatureHasher;
import io.streamsgd.learn.Features;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.learn.OnlineLearner;
import io.streamsgd.learn.Regularization;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The CPU a commit's store flush costs the stream thread ({@link ModelStorage#flush}: collecting
 * the changed weights, encoding the delta, a staged checkpoint's pages and names, the puts), on a
 * model of about a million weights such as the end-to-end benchmark's, without Kafka: the store is
 * Kafka Streams' in-memory store with logging off. A JMH-free loop, as {@link
 * io.streamsgd.bench.LearnerLoop}: events per commit are trained, then the flush is timed in the
 * thread's CPU time; the report gives the median and 90th percentile of the flushes, and the
 * median per changed weight.
 *
 * <p>Run: {@code java -cp <test classpath> io.streamsgd.stream.StoreFlushLoop [commits]
 * [events per commit] [hundredths]}; defaults 600 and 5,000 (about the full-speed commit of the
 * end-to-end benchmark: 50,000 events/s, 100 ms commits); with {@code hundredths} the feature
 * values are multiples of 0.01, as the end-to-end benchmark's numeric features are (so that the
 * scales repeat), instead of all different.
 */
public final class StoreFlushLoop {
    private static final int HASH_BITS = 24;
    private static final int VOCABULARY = 1 << 20;
    private static final int NONZEROS = 30;

    private StoreFlushLoop() {
    }

    public static void main(String[] args) {
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int perCommit = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        boolean hundredths = args.length > 2 && args[2].equals("hundredths");
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("models"),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        ModelStorage storage = ModelStorage.open(store, new StoreKeys("m"), true, ModelStorage.DEFAULT_RING);
        OnlineLearner learner = new OnlineLearner(LearnerConfig.defaults().withHashBits(HASH_BITS)
                .withRegularization(new Regularization(1e-6, 0, 1, Double.POSITIVE_INFINITY)), storage);
        // as the service's ModelRuntime does: the model's record goes with every delta
        storage.currentRecord(() -> new ModelRecord(learner.state(), 0, 0, 0.0, 0, storage.size(), 0, 0.0, 0.0, 0, 0));
        UniformEvents events = new UniformEvents(20_241_121L, hundredths);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] flushNanos = new long[commits];
        long[] changed = new long[commits];
        for (int c = 0; c < commits; c++) {
            for (int e = 0; e < perCommit; e++) {
                learner.learn(events.next(), events.label(), 1.0);
                storage.endEvent();
            }
            changed[c] = storage.table().pendingChanges();
            long t0 = threads.getCurrentThreadCpuTime();
            storage.flush();
            flushNanos[c] = threads.getCurrentThreadCpuTime() - t0;
        }
        // the second half: the model is at its size and the JIT has settled
        int from = commits / 2;
        long[] tail = Arrays.copyOfRange(flushNanos, from, commits);
        double[] perWeight = new double[commits - from];
        for (int c = from; c < commits; c++) {
            perWeight[c - from] = (double) flushNanos[c] / Math.max(1, changed[c]);
        }
        Arrays.sort(tail);
        Arrays.sort(perWeight);
        long changedSum = 0;
        for (int c = from; c < commits; c++) {
            changedSum += changed[c];
        }
        long deltaBytes = 0;
        try (var it = store.prefixScan(new StoreKeys("m").prefix(StoreKeys.DELTA), new org.apache.kafka.common.serialization.BytesSerializer())) {
            while (it.hasNext()) {
                deltaBytes += it.next().value.length;
            }
        }
        System.out.printf("weights %,d; changed per commit %,d (second half, mean); deltas in the store %.1f MB%n",
                storage.size(), changedSum / (commits - from), deltaBytes / 1e6);
        System.out.printf("flush CPU per commit: median %.2f ms, p90 %.2f ms; median %.1f ns per changed weight%n",
                tail[tail.length / 2] / 1e6, tail[tail.length * 9 / 10] / 1e6, perWeight[perWeight.length / 2]);
    }

    /**
     * Events of {@value #NONZEROS} distinct features drawn uniformly from {@value #VOCABULARY}
     * names, as the end-to-end benchmark's synthetic events: almost every feature of a commit's
     * events is a weight no other event of the commit changed.
     */
    private static final class UniformEvents {
        private final SplittableRandom random;
        private final String[] names = new String[VOCABULARY];
        private final Features features = new Features(new FeatureHasher(HASH_BITS));
        private final int[] ids = new int[NONZEROS];
        private double label;

        private final boolean hundredths;

        UniformEvents(long seed, boolean hundredths) {
            random = new SplittableRandom(seed);
            this.hundredths = hundredths;
        }

        Features next() {
            features.clear();
            for (int n = 0; n < NONZEROS; n++) {
                int id;
                do {
                    id = random.nextInt(VOCABULARY);
                } while (contains(n, id));
                ids[n] = id;
                if (names[id] == null) {
                    names[id] = "w" + id;
                }
                features.add(names[id], hundredths ? random.nextInt(1, 301) / 100.0 : random.nextDouble(0.1, 1.0));
            }
            label = random.nextInt(2);
            return features;
        }

        double label() {
            return label;
        }

        private boolean contains(int n, int id) {
            for (int i = 0; i < n; i++) {
                if (ids[i] == id) {
                    return true;
                }
            }
            return false;
        }
    }
}
