package io.streamsgd.learn;

import java.util.SplittableRandom;

/**
 * Seeded synthetic sparse streams for tests: features drawn from a vocabulary with a power-law
 * frequency (so some are frequent and many rare), values of mixed scale, labels from a sparse
 * ground-truth model.
 */
final class SparseStream {
    final int vocabulary;
    final String[] names;
    final double[] truth;
    final double[] scale;
    private final SplittableRandom random;
    private final Loss loss;

    SparseStream(long seed, int vocabulary, Loss loss) {
        this.vocabulary = vocabulary;
        this.random = new SplittableRandom(seed);
        this.loss = loss;
        names = new String[vocabulary];
        truth = new double[vocabulary];
        scale = new double[vocabulary];
        for (int j = 0; j < vocabulary; j++) {
            names[j] = "f" + j;
            truth[j] = random.nextInt(10) == 0 ? random.nextDouble(-2, 2) : 0.0;
            scale[j] = Math.pow(10, random.nextDouble(-1, 1));
        }
    }

    /** Fills {@code into} with the next event's features and returns its (normalized) label. */
    double next(Features into, int maxFeatures) {
        into.clear();
        int n = 1 + random.nextInt(maxFeatures);
        double z = 0;
        for (int i = 0; i < n; i++) {
            // power law: index ~ vocabulary * u^3 makes low indices frequent, high ones rare
            double u = random.nextDouble();
            int j = (int) (vocabulary * u * u * u);
            double x = scale[j] * random.nextDouble(0.5, 1.5) * (random.nextBoolean() ? 1 : -1);
            into.add(names[j], x);
            z += truth[j] * x;
        }
        return switch (loss) {
            case SQUARED -> z + random.nextGaussian() * 0.1;
            case LOGISTIC, HINGE -> random.nextDouble() < Loss.sigmoid(z) ? 1.0 : 0.0;
        };
    }
}
