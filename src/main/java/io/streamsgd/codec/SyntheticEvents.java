package io.streamsgd.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded stream of synthetic events, in the service's JSON event format, with a known sparse
 * ground truth: of {@link Shape#features()} binary features ({@code f0}, {@code f1}, ...), only
 * {@link Shape#relevant()} have a non-zero true weight. What the demo replays, what
 * {@code produce --synthetic} sends and what tests train on: one definition, so their figures
 * compare.
 *
 * <p>Each event holds {@link Shape#relevantPerEvent()} relevant features, drawn uniformly (each
 * relevant feature is in many events, so it can be learned), and {@link Shape#noisePerEvent()}
 * irrelevant ones drawn from a power law over the others (a few frequent, a long tail of rare
 * ones: the tail is what an L2 model keeps and an L1 model drops). The label is 1 with
 * probability {@code sigmoid(w . x)}, w being the truth (its weights have magnitudes in [1, 3] and
 * random signs, so classes are balanced). Every {@link Shape#unlabeledEvery()}-th event has no
 * label (0: none), to exercise predict-only traffic.
 *
 * <p>Events are {@code {"id":"e-<n>","label":0|1,"features":{"f12":1,...}}}, n counting from 1.
 * The same seed and shape give the same events. Not thread-safe.
 */
public final class SyntheticEvents {
    /**
     * The shape of a stream.
     *
     * @param features number of distinct features, relevant ones included
     * @param relevant features with a non-zero true weight
     * @param relevantPerEvent relevant features in each event
     * @param noisePerEvent irrelevant features in each event
     * @param unlabeledEvery every this-many-th event has no label; 0 for none
     */
    public record Shape(int features, int relevant, int relevantPerEvent, int noisePerEvent, int unlabeledEvery) {
        /** 100,000 features of which 50 matter; 3 relevant and 12 irrelevant features an event; all labeled. */
        public static final Shape DEFAULT = new Shape(100_000, 50, 3, 12, 0);

        public Shape {
            if (relevant < 1 || relevant > features / 2) {
                throw new IllegalArgumentException("relevant must be in [1, features/2], got " + relevant + " of " + features);
            }
            if (relevantPerEvent < 1 || relevantPerEvent > relevant) {
                throw new IllegalArgumentException("relevantPerEvent must be in [1, relevant], got " + relevantPerEvent);
            }
            if (noisePerEvent < 0 || noisePerEvent > (features - relevant) / 2) {
                throw new IllegalArgumentException("noisePerEvent must be in [0, (features-relevant)/2], got " + noisePerEvent);
            }
            if (unlabeledEvery < 0) {
                throw new IllegalArgumentException("unlabeledEvery must be >= 0, got " + unlabeledEvery);
            }
        }

        public Shape withUnlabeledEvery(int every) {
            return new Shape(features, relevant, relevantPerEvent, noisePerEvent, every);
        }
    }

    private static final JsonFactory FACTORY = new JsonFactory();

    private final Shape shape;
    private final SplittableRandom random;
    private final double[] weight;
    private final int[] relevantIndex;
    private final int[] noiseIndex;
    private final Map<String, Double> truth;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private final int[] chosen;
    private long count;

    public SyntheticEvents(long seed, Shape shape) {
        this.shape = shape;
        this.random = new SplittableRandom(seed);
        this.weight = new double[shape.features()];
        this.relevantIndex = new int[shape.relevant()];
        this.noiseIndex = new int[shape.features() - shape.relevant()];
        this.chosen = new int[shape.relevantPerEvent() + shape.noisePerEvent()];
        Map<String, Double> t = new LinkedHashMap<>();
        int found = 0;
        while (found < shape.relevant()) {
            int j = random.nextInt(shape.features());
            if (weight[j] == 0.0) {
                weight[j] = random.nextDouble(1.0, 3.0) * (random.nextBoolean() ? 1 : -1);
                relevantIndex[found++] = j;
                t.put(name(j), weight[j]);
            }
        }
        int n = 0;
        for (int j = 0; j < shape.features(); j++) {
            if (weight[j] == 0.0) {
                noiseIndex[n++] = j;
            }
        }
        // Which irrelevant features are the frequent ones is part of the seed too.
        for (int i = noiseIndex.length - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            int tmp = noiseIndex[i];
            noiseIndex[i] = noiseIndex[k];
            noiseIndex[k] = tmp;
        }
        this.truth = Collections.unmodifiableMap(t);
    }

    /** The default shape ({@link Shape#DEFAULT}) with this seed. */
    public static SyntheticEvents withDefaultShape(long seed) {
        return new SyntheticEvents(seed, Shape.DEFAULT);
    }

    public Shape shape() {
        return shape;
    }

    /** The relevant features' names and true weights; every other feature's true weight is 0. */
    public Map<String, Double> truth() {
        return truth;
    }

    /** Events generated so far. */
    public long count() {
        return count;
    }

    /** The feature name of index {@code j}. */
    public static String name(int j) {
        return "f" + j;
    }

    /** The next event's JSON bytes (a new array). */
    public byte[] next() {
        count++;
        int k = 0;
        double z = 0.0;
        while (k < shape.relevantPerEvent()) {
            int j = relevantIndex[random.nextInt(relevantIndex.length)];
            if (!contains(chosen, k, j)) {
                chosen[k++] = j;
                z += weight[j];
            }
        }
        while (k < chosen.length) {
            // u^2 makes low positions frequent and high ones rare (density ~ 1/sqrt(position)).
            double u = random.nextDouble();
            int j = noiseIndex[(int) (noiseIndex.length * u * u)];
            if (!contains(chosen, k, j)) {
                chosen[k++] = j;
            }
        }
        double p = 1.0 / (1.0 + Math.exp(-z));
        // The label is drawn even when it is then dropped, so the labels of the other events do
        // not depend on unlabeledEvery.
        int label = random.nextDouble() < p ? 1 : 0;
        boolean labeled = shape.unlabeledEvery() == 0 || count % shape.unlabeledEvery() != 0;
        buffer.reset();
        try (JsonGenerator g = FACTORY.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeStringField("id", "e-" + count);
            if (labeled) {
                g.writeNumberField("label", label);
            }
            g.writeFieldName("features");
            g.writeStartObject();
            for (int j : chosen) {
                g.writeNumberField(name(j), 1);
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return buffer.toByteArray();
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "SyntheticEvents" + shape;
    }
}
