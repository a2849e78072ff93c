package io.streamsgd.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Seeded JSON events for topology tests: sparse features of mixed frequency, labels from a sparse truth. */
final class TestEvents {
    private TestEvents() {
    }

    static List<String> labeled(long seed, int count, int vocabulary) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] truth = new double[vocabulary];
        for (int j = 0; j < vocabulary; j++) {
            truth[j] = random.nextInt(10) == 0 ? random.nextDouble(-2, 2) : 0;
        }
        List<String> events = new ArrayList<>();
        for (int e = 0; e < count; e++) {
            StringBuilder b = new StringBuilder("{\"id\":\"e").append(e).append("\",\"features\":{");
            int n = 1 + random.nextInt(20);
            double z = 0;
            java.util.Set<Integer> used = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                double u = random.nextDouble();
                int j = (int) (vocabulary * u * u * u);
                if (!used.add(j)) {
                    continue;
                }
                double x = random.nextDouble(0.1, 2.0);
                z += truth[j] * x;
                if (used.size() > 1) {
                    b.append(',');
                }
                b.append("\"f").append(j).append("\":").append(String.format(Locale.ROOT, "%.6f", x));
            }
            int label = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
            b.append("},\"label\":").append(label).append('}');
            events.add(b.toString());
        }
        return events;
    }

    /** The same event without its label (and with a new id): a predict-only request. */
    static String unlabeled(String event, String id) {
        return event.replaceFirst(",\"label\":-?[0-9]+\\}$", "}").replaceFirst("\"id\":\"[^\"]*\"", "\"id\":\"" + id + "\"");
    }
}
