package io.streamsgd.bench.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic sequence of events in the product's JSON format: event {@code i} is the same
 * bytes every time it is asked for, so every topic loaded from a source holds the same events.
 */
interface EventSource {
    /** Short name, used in topic names and the report. */
    String name();

    /** The JSON bytes of event {@code index}. */
    byte[] event(long index);

    /**
     * Seeded synthetic events of 25 to 35 features (30 on average): 5 categorical ones
     * ({@code "c0":"v7"}, cardinalities 24, 7, 100, 1,000 and 10,000) and 20 to 30 numeric ones
     * named by a base-36 index into a vocabulary of 1,000,000, drawn as {@code V * u^2} (a few
     * frequent, most rare: 1,000,000 events touch nearly all of them, so the model grows towards
     * a million weights), values 0.01 to 3.00. Labels come from a sparse ground truth (one weight
     * in ten non-zero) through the logistic link.
     */
    final class Synthetic implements EventSource {
        static final int VOCABULARY = 1_000_000;
        private static final int[] CARDINALITIES = {24, 7, 100, 1_000, 10_000};
        private final long seed;
        private final String idPrefix;
        private final String name;

        Synthetic(String name, long seed, String idPrefix) {
            this.name = name;
            this.seed = seed;
            this.idPrefix = idPrefix;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public byte[] event(long index) {
            SplittableRandom r = new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + index));
            StringBuilder b = new StringBuilder(512);
            b.append("{\"id\":\"").append(idPrefix).append(index).append("\",\"label\":");
            int labelAt = b.length();
            b.append("0,\"features\":{");
            double z = -0.5;
            for (int c = 0; c < CARDINALITIES.length; c++) {
                int v = r.nextInt(CARDINALITIES[c]);
                b.append(c == 0 ? "" : ",").append("\"c").append(c).append("\":\"v").append(v).append('"');
                z += truth(1_000_003L * (c + 1) + v);
            }
            int numeric = 20 + r.nextInt(11);
            int[] chosen = new int[numeric];
            for (int k = 0; k < numeric; k++) {
                int j;
                do {
                    double u = r.nextDouble();
                    j = (int) (VOCABULARY * u * u);
                } while (contains(chosen, k, j));
                chosen[k] = j;
                int hundredths = 1 + r.nextInt(300);
                b.append(",\"h").append(Integer.toString(j, 36)).append("\":").append(hundredths / 100).append('.');
                int frac = hundredths % 100;
                b.append(frac < 10 ? "0" : "").append(frac);
                z += truth(j) * hundredths / 100.0;
            }
            b.append("}}");
            boolean positive = r.nextDouble() < 1.0 / (1.0 + Math.exp(-z));
            b.setCharAt(labelAt, positive ? '1' : '0');
            return b.toString().getBytes(UTF_8);
        }

        private static boolean contains(int[] a, int n, int v) {
            for (int i = 0; i < n; i++) {
                if (a[i] == v) {
                    return true;
                }
            }
            return false;
        }

        /** The ground-truth weight of a feature: one in ten is non-zero, in [-1, 1). */
        private static double truth(long feature) {
            long h = mix(feature ^ 0x5DEECE66DL);
            return Long.remainderUnsigned(h, 10) == 0 ? ((h >>> 11) * 0x1.0p-53) * 2 - 1 : 0.0;
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    /**
     * Events made only of features never seen before ({@code perEvent} numeric features each,
     * named by a base-36 counter), so that {@code n} events grow a model to exactly
     * {@code n * perEvent} weights: the memory runs use it to reach a million weights quickly.
     */
    final class Fresh implements EventSource {
        private final int perEvent;

        Fresh(int perEvent) {
            this.perEvent = perEvent;
        }

        @Override
        public String name() {
            return "fresh";
        }

        @Override
        public byte[] event(long index) {
            StringBuilder b = new StringBuilder(16 * perEvent + 64);
            b.append("{\"id\":\"u-").append(index).append("\",\"label\":").append(index % 2).append(",\"features\":{");
            for (int k = 0; k < perEvent; k++) {
                long feature = index * perEvent + k;
                int hundredths = 1 + (int) Long.remainderUnsigned(feature * 0x9E3779B97F4A7C15L >>> 7, 300);
                b.append(k == 0 ? "" : ",").append("\"u").append(Long.toString(feature, 36)).append("\":")
                        .append(hundredths / 100).append('.').append(hundredths % 100 < 10 ? "0" : "").append(hundredths % 100);
            }
            return b.append("}}").toString().getBytes(UTF_8);
        }
    }

    /**
     * The lines of a JSON Lines file replayed in a loop, each with a fresh id
     * ({@code <prefix><index>}) so that ids stay unique across replays. Every line must start
     * with {@code {"id":"...",} (the shared data files do).
     */
    final class Replay implements EventSource {
        private static final byte[] ID_START = "{\"id\":\"".getBytes(UTF_8);
        private final String name;
        private final String idPrefix;
        private final byte[][] suffixes; // each line from the closing quote of its id on

        Replay(String name, Path file, String idPrefix) throws IOException {
            this.name = name;
            this.idPrefix = idPrefix;
            List<String> lines = Files.readAllLines(file, UTF_8).stream().filter(l -> !l.isBlank()).toList();
            suffixes = new byte[lines.size()][];
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!line.startsWith("{\"id\":\"")) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + " does not start with {\"id\":\"");
                }
                int close = line.indexOf('"', ID_START.length);
                suffixes[i] = line.substring(close).getBytes(UTF_8);
            }
        }

        int distinct() {
            return suffixes.length;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public byte[] event(long index) {
            byte[] id = (idPrefix + index).getBytes(UTF_8);
            byte[] suffix = suffixes[(int) (index % suffixes.length)];
            byte[] out = new byte[ID_START.length + id.length + suffix.length];
            System.arraycopy(ID_START, 0, out, 0, ID_START.length);
            System.arraycopy(id, 0, out, ID_START.length, id.length);
            System.arraycopy(suffix, 0, out, ID_START.length + id.length, suffix.length);
            return out;
        }
    }
}
