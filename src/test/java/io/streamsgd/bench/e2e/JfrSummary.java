package io.streamsgd.bench.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the stream thread's time and allocations go, from a JFR recording of the measured window.
 *
 * <p>Each sample of the stream thread is put in the first category (in the order of
 * {@link #CATEGORIES}) whose test matches its stack, so a sample inside the hashing done by the
 * parser counts as hashing, one inside RocksDB reached from a cache flush counts as RocksDB, and
 * so on. JFR samples threads running Java code ({@code jdk.ExecutionSample}, every 10 ms here)
 * and threads in native code ({@code jdk.NativeMethodSample}) separately, and takes at most one
 * native sample per period across all threads, so native samples are too few: the stream
 * thread's native CPU time is estimated as its measured CPU time minus 10 ms per Java sample, and
 * spread over categories in proportion to its native samples (waits in {@code epoll} and the
 * like are idle, not CPU, and left out).
 */
final class JfrSummary {
    private static final long PERIOD_MS = 10;

    private record Category(String name, Predicate<List<String>> test) {
    }

    private static Predicate<List<String>> any(String... fragments) {
        return stack -> {
            for (String f : stack) {
                for (String x : fragments) {
                    if (f.contains(x)) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    private static final List<Category> CATEGORIES = List.of(
            new Category("hashing (FeatureHasher)", any("io.streamsgd.learn.FeatureHasher.")),
            new Category("event JSON parse (JsonEventReader, Jackson)", any("io.streamsgd.codec.JsonEventReader.")),
            new Category("prediction JSON write (PredictionJson, Jackson)", any("io.streamsgd.codec.PredictionJson.")),
            new Category("changelog send (store change -> producer)",
                    any(".ChangeLoggingKeyValueBytesStore.").and(any(".RecordCollectorImpl.", "clients.producer.",
                            ".ProcessorContextImpl.logChange"))),
            new Category("RocksDB (JNI, RocksDBStore)", any("org.rocksdb.", "state.internals.RocksDB")),
            new Category("record cache (ThreadCache, NamedCache, CachingKeyValueStore)",
                    any("state.internals.ThreadCache", "state.internals.NamedCache", "state.internals.CachingKeyValueStore",
                            "state.internals.LRUCacheEntry")),
            new Category("store wrappers (Metered/ChangeLogging stores, StoreWeightStore, keys, encode/decode)",
                    any("state.internals.Metered", "state.internals.ChangeLogging", "io.streamsgd.stream.StoreWeightStore.",
                            "io.streamsgd.stream.StoreKeys.")),
            new Category("output send (sink -> producer.send)", any(".SinkNode.", ".RecordCollectorImpl.", "clients.producer.")),
            new Category("learner (OnlineLearner, regularizer, schedule, loss, features)", any("io.streamsgd.learn.")),
            new Category("trainer bookkeeping (ModelRuntime, TrainerProcessor, model record, metrics window, listener)",
                    any("io.streamsgd.stream.", "io.streamsgd.bench.")),
            new Category("commit (transactions, offsets)", any("TaskManager.commit", "StreamsProducer.commit",
                    "TaskExecutor.commit", "maybeCommit")),
            new Category("consume (poll, fetch, deserialize, queues)", any("clients.consumer.", ".RecordQueue.",
                    ".PartitionGroup.", ".SourceNode.", "RecordDeserializer")),
            new Category("other Kafka Streams", any("org.apache.kafka.streams.")),
            new Category("other", stack -> true));

    /** Native methods a thread waits in (no CPU). */
    private static final Set<String> IDLE_NATIVE = Set.of("sun.nio.ch.EPoll.wait", "sun.nio.ch.Net.poll",
            "sun.nio.ch.SocketDispatcher.read0", "java.lang.Thread.sleep", "java.lang.Object.wait",
            "jdk.internal.misc.Unsafe.park", "java.lang.Thread.yield");

    private JfrSummary() {
    }

    /**
     * A Markdown summary.
     *
     * @param streamCpuMillis the stream thread's CPU time over the recording, from the run's result
     * @param events input events processed in the window, for per-event figures
     */
    static String summarize(Path recording, long streamCpuMillis, double windowSeconds, long events) throws IOException {
        Map<String, long[]> perThread = new HashMap<>(); // java, native-busy, native-idle samples
        Map<String, Long> javaByCategory = new LinkedHashMap<>();
        Map<String, Long> nativeByCategory = new LinkedHashMap<>();
        Map<String, Long> javaTop = new HashMap<>();
        Map<String, Long> nativeTop = new HashMap<>();
        Map<String, Long> allocByCategory = new LinkedHashMap<>();
        Map<String, Long> allocBySite = new HashMap<>();
        long javaSamples = 0;
        long nativeBusy = 0;
        long nativeIdle = 0;
        long allocTotal = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                switch (type) {
                    case "jdk.ExecutionSample", "jdk.NativeMethodSample" -> {
                        RecordedThread t = e.getThread("sampledThread");
                        String thread = threadKind(t);
                        List<String> stack = frames(e.getStackTrace());
                        boolean nativeSample = type.equals("jdk.NativeMethodSample");
                        boolean idle = nativeSample && !stack.isEmpty() && IDLE_NATIVE.contains(stack.get(0));
                        long[] c = perThread.computeIfAbsent(thread, k -> new long[3]);
                        c[nativeSample ? (idle ? 2 : 1) : 0]++;
                        if (!thread.equals("stream thread") || idle) {
                            if (thread.equals("stream thread")) {
                                nativeIdle++;
                            }
                            continue;
                        }
                        String category = categorize(stack);
                        String top = stack.isEmpty() ? "(no stack)" : stack.get(0);
                        if (nativeSample) {
                            nativeBusy++;
                            nativeByCategory.merge(category, 1L, Long::sum);
                            nativeTop.merge(top, 1L, Long::sum);
                        } else {
                            javaSamples++;
                            javaByCategory.merge(category, 1L, Long::sum);
                            javaTop.merge(top, 1L, Long::sum);
                        }
                    }
                    case "jdk.ObjectAllocationSample" -> {
                        if (!threadKind(e.getThread("eventThread")).equals("stream thread")) {
                            continue;
                        }
                        long weight = e.getLong("weight");
                        List<String> stack = frames(e.getStackTrace());
                        allocTotal += weight;
                        allocByCategory.merge(categorize(stack), weight, Long::sum);
                        String site = (stack.isEmpty() ? "(no stack)" : firstNonJdk(stack)) + " : "
                                + e.getClass("objectClass").getName();
                        allocBySite.merge(site, weight, Long::sum);
                    }
                    default -> { }
                }
            }
        }
        long javaMs = javaSamples * PERIOD_MS;
        long nativeMs = Math.max(0, streamCpuMillis - javaMs);
        double msPerNative = nativeBusy == 0 ? 0 : (double) nativeMs / nativeBusy;
        double totalMs = javaMs + nativeMs;

        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Stream thread over %.1f s: CPU %d ms (%.0f%% of the window); %d Java samples "
                        + "(%d ms at %d ms each), %d busy native samples (estimated %d ms of native CPU), %d idle native samples.%n%n",
                windowSeconds, streamCpuMillis, 100.0 * streamCpuMillis / (windowSeconds * 1000), javaSamples, javaMs,
                PERIOD_MS, nativeBusy, nativeMs, nativeIdle));
        b.append("| where the stream thread's CPU goes | share | Java samples | native samples | µs per event |\n");
        b.append("|---|---:|---:|---:|---:|\n");
        Map<String, Double> ms = new LinkedHashMap<>();
        for (Category c : CATEGORIES) {
            double v = javaByCategory.getOrDefault(c.name, 0L) * PERIOD_MS + nativeByCategory.getOrDefault(c.name, 0L) * msPerNative;
            if (v > 0) {
                ms.put(c.name, v);
            }
        }
        ms.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue(), x.getValue())).forEach(en ->
                b.append(String.format(Locale.ROOT, "| %s | %.1f%% | %d | %d | %.2f |%n", en.getKey(),
                        100 * en.getValue() / totalMs, javaByCategory.getOrDefault(en.getKey(), 0L),
                        nativeByCategory.getOrDefault(en.getKey(), 0L), en.getValue() * 1000 / Math.max(1, events))));
        b.append("\nTop methods (self time, stream thread):\n\n| method | share |\n|---|---:|\n");
        Map<String, Double> top = new HashMap<>();
        javaTop.forEach((k, v) -> top.merge(k, (double) v * PERIOD_MS, Double::sum));
        nativeTop.forEach((k, v) -> top.merge(k + " (native)", v * msPerNative, Double::sum));
        top.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue(), x.getValue())).limit(20).forEach(en ->
                b.append(String.format(Locale.ROOT, "| `%s` | %.1f%% |%n", en.getKey(), 100 * en.getValue() / totalMs)));
        b.append(String.format(Locale.ROOT, "%nAllocation (stream thread, sampled, weighted by bytes): about %.0f MB/s, "
                + "%.0f bytes per event.%n%n", allocTotal / windowSeconds / 1e6, (double) allocTotal / Math.max(1, events)));
        b.append("| allocating category | share |\n|---|---:|\n");
        final long allocAll = Math.max(1, allocTotal);
        allocByCategory.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).forEach(en ->
                b.append(String.format(Locale.ROOT, "| %s | %.1f%% |%n", en.getKey(), 100.0 * en.getValue() / allocAll)));
        b.append("\n| top allocation sites (first non-JDK frame : class) | share |\n|---|---:|\n");
        allocBySite.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(15).forEach(en ->
                b.append(String.format(Locale.ROOT, "| `%s` | %.1f%% |%n", en.getKey(), 100.0 * en.getValue() / allocAll)));
        b.append("\nSamples per thread kind (Java / native busy / native idle):\n\n| thread | Java | native busy | native idle |\n|---|---:|---:|---:|\n");
        List<Map.Entry<String, long[]>> threads = new ArrayList<>(perThread.entrySet());
        threads.sort((x, y) -> Long.compare(y.getValue()[0] + y.getValue()[1], x.getValue()[0] + x.getValue()[1]));
        for (var en : threads) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d |%n", en.getKey(), en.getValue()[0], en.getValue()[1],
                    en.getValue()[2]));
        }
        return b.toString();
    }

    private static String categorize(List<String> stack) {
        for (Category c : CATEGORIES) {
            if (c.test.test(stack)) {
                return c.name;
            }
        }
        return "other";
    }

    private static String threadKind(RecordedThread t) {
        String name = t == null ? null : t.getJavaName();
        if (name == null) {
            return "(native thread)";
        }
        // The producer's I/O thread is named after its client id, which contains "StreamThread": test it first.
        if (name.startsWith("kafka-producer-network-thread")) {
            return "producer I/O thread";
        }
        if (name.contains("StreamThread")) {
            return "stream thread";
        }
        return name.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>").replaceAll("-\\d+$", "-N");
    }

    private static List<String> frames(RecordedStackTrace trace) {
        if (trace == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(trace.getFrames().size());
        for (RecordedFrame f : trace.getFrames()) {
            out.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
        }
        return out;
    }

    private static String firstNonJdk(List<String> stack) {
        for (String f : stack) {
            if (!f.startsWith("java.") && !f.startsWith("jdk.") && !f.startsWith("sun.")) {
                return f;
            }
        }
        return stack.get(0);
    }
}
