package io.streamsgd.bench.e2e;

import io.streamsgd.app.ServiceConfig;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.learn.Regularization;
import io.streamsgd.stream.ModelSpec;
import io.streamsgd.stream.ModelStoreRocksDbConfig;
import io.streamsgd.stream.ModelStatus;
import io.streamsgd.stream.SnapshotTrigger;
import io.streamsgd.stream.StreamSgdTopology;
import io.streamsgd.stream.TopologyConfig;
import io.streamsgd.stream.TrainerListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import jdk.jfr.Recording;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * One application process of the benchmark, started by {@link E2eBench} in its own JVM with a
 * fresh {@code application.id} and state directory: {@code app=pass} is the pass-through (a),
 * {@code app=sgd} is streamsgd with the models named by {@code models} (l1 and/or l2).
 *
 * <p>In a measured run it consumes the pre-loaded input until the last output is committed (see
 * {@link RunProbe}), then records CPU time per thread kind, RSS and heap, closes Kafka Streams
 * cleanly, and writes its figures as a properties file ({@code result=}). With
 * {@code memory=true} it also takes a baseline after a full GC just before the first records,
 * samples RSS against the stored weight count, snapshots the models at the end (exact nonzero
 * count) and, for RocksDB, inspects the store files after close. With {@code until=stopped}
 * (the latency run) it prints {@code READY} once Kafka Streams is running and stops when a line
 * {@code stop} (or end of input) arrives on standard input.
 *
 * <p>Arguments are {@code key=value} pairs; see {@link #main}.
 */
public final class E2eApp {
    /** Kafka Streams stream-thread metrics kept in the result, as {@code thread.<name>}. */
    private static final java.util.Set<String> THREAD_METRICS = java.util.Set.of(
            "commit-latency-avg", "commit-latency-max", "poll-latency-avg", "poll-latency-max",
            "process-latency-avg", "process-latency-max", "process-records-avg", "process-ratio",
            "commit-ratio", "poll-ratio");

    private E2eApp() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String s : argv) {
            int eq = s.indexOf('=');
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        String app = a.get("app");
        String appId = a.get("appId");
        String input = a.get("input");
        String output = a.get("output");
        String deadLetters = a.get("deadLetters");
        long expectedInputs = Long.parseLong(a.get("expectInputs"));
        boolean memory = Boolean.parseBoolean(a.getOrDefault("memory", "false"));
        boolean untilStopped = "stopped".equals(a.get("until"));
        Path resultFile = Path.of(a.get("result"));
        String jfr = a.get("jfr");
        long timeoutSeconds = Long.parseLong(a.getOrDefault("timeoutSec", "600"));

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, a.get("bootstrap"));
        props.put(StreamsConfig.STATE_DIR_CONFIG, a.get("stateDir"));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, a.getOrDefault("guarantee", StreamsConfig.EXACTLY_ONCE_V2));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, a.get("commitMs"));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // The service's producer batch size, for every app alike (pass-through included).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), String.valueOf(ServiceConfig.PRODUCER_BATCH_BYTES));
        // The service's RocksDB options for its model store (other stores, (f)'s included, keep Kafka Streams' own).
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, ModelStoreRocksDbConfig.class.getName());
        // Extra Kafka Streams / client settings for experiments, e.g. statestore.cache.max.bytes.
        for (String kv : a.getOrDefault("streamsConfig", "").split(",")) {
            if (!kv.isBlank()) {
                props.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }

        Topology topology;
        long outputsPerEvent;
        CountingListener listener = new CountingListener();
        SnapshotTrigger trigger = new SnapshotTrigger();
        String store = a.getOrDefault("store", "rocksdb");
        if (app.equals("pass")) {
            int changelogBytes = Integer.parseInt(a.getOrDefault("changelogBytes", "0"));
            topology = PassThrough.topology(input, output, changelogBytes, Long.parseLong(a.get("commitMs")),
                    changelogBytes > 0 && !Boolean.parseBoolean(a.get("keyed")),
                    "none".equals(a.get("floorStore")));
            outputsPerEvent = 1;
        } else {
            List<ModelSpec> models = new ArrayList<>();
            for (String m : a.get("models").split(",")) {
                double strength = Double.parseDouble(a.getOrDefault("lambda", "1e-6"));
                Regularization r = switch (m) {
                    case "l1" -> new Regularization(strength, 0, 1, Double.POSITIVE_INFINITY);
                    case "l2" -> new Regularization(0, strength, 1, Double.POSITIVE_INFINITY);
                    default -> throw new IllegalArgumentException("model must be l1 or l2, got " + m);
                };
                models.add(new ModelSpec(m, LearnerConfig.defaults().withRegularization(r), 0, 0));
            }
            TopologyConfig config = TopologyConfig.of(models)
                    .withTopics(input, output, a.get("modelsTopic"), deadLetters)
                    .withInputKeyedByModel(Boolean.parseBoolean(a.get("keyed")))
                    .withStore(TopologyConfig.StoreBackend.valueOf(store.toUpperCase(java.util.Locale.ROOT)))
                    .withTrainingThread(Boolean.parseBoolean(a.getOrDefault("trainingThread", "false")));
            topology = StreamSgdTopology.buildTopology(config, listener, trigger);
            outputsPerEvent = models.size();
        }

        RunProbe probe = new RunProbe(input, output, deadLetters,
                untilStopped ? Long.MAX_VALUE : expectedInputs * outputsPerEvent,
                untilStopped ? 0 : Double.parseDouble(a.getOrDefault("capSec", "0")));
        Properties result = new Properties();
        long pid = ProcessHandle.current().pid();
        AtomicReference<CpuSnapshot> cpuAtStart = new AtomicReference<>();
        AtomicReference<Recording> recording = new AtomicReference<>();
        probe.beforeFirstRecords(() -> {
            if (memory) {
                fullGc();
                put(result, "heapBaseAfterGc", heapUsed());
                put(result, "rssBase", Proc.rssBytes(pid));
            }
            put(result, "rssT0", Proc.rssBytes(pid));
            put(result, "heapCommittedT0", heapCommitted());
            cpuAtStart.set(CpuSnapshot.take());
            if (jfr != null) {
                recording.set(startRecording(Path.of(jfr)));
            }
        });

        KafkaStreams streams = new KafkaStreams(topology, props, probe);
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            probe.finished().countDown();
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        streams.start();

        List<long[]> samples = new ArrayList<>();
        Thread sampler = null;
        if (memory) {
            sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    if (probe.t0Nanos != 0) {
                        synchronized (samples) {
                            samples.add(new long[] {listener.stored(), Proc.rssBytes(pid)});
                        }
                    }
                    try {
                        Thread.sleep(50); // the run to a million weights takes 1-2 s now: enough samples for a slope
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "e2e-memory-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        String status = "ok";
        if (untilStopped) {
            if (!running.await(120, TimeUnit.SECONDS)) {
                status = "not running after 120 s";
            } else {
                System.out.println("READY");
                System.out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.strip().equals("stop")) {
                    // wait for the driver
                }
            }
        } else if (!probe.finished().await(timeoutSeconds, TimeUnit.SECONDS)) {
            status = "timeout after " + timeoutSeconds + " s";
        }
        if (failure.get() != null) {
            status = "failed: " + failure.get();
        }
        Recording rec = recording.get();
        if (rec != null) {
            rec.stop(); // writes the destination file
            rec.close();
        }
        CpuSnapshot cpuAtEnd = CpuSnapshot.take();
        if (sampler != null) {
            sampler.interrupt();
        }
        put(result, "status", status);
        put(result, "t0EpochMs", probe.t0EpochMillis);
        put(result, "t1EpochMs", probe.t1EpochMillis);
        put(result, "endEpochMs", System.currentTimeMillis());
        put(result, "jvmStartEpochMs", jvmStartMillis);
        result.put("seconds", Double.toString(probe.t1Nanos > 0 ? probe.seconds() : Double.NaN));
        put(result, "consumed", probe.inputs.sum());
        // Events whose every output was committed at t1 (with a cap, fewer than the topic holds): the
        // smallest count over the models, since in the unkeyed layout each model may have its own task.
        put(result, "inputs", probe.eventsAtT1((int) outputsPerEvent));
        put(result, "outputsByModel", probe.outputsByModelAtT1().toString());
        put(result, "outputsPerEvent", outputsPerEvent);
        put(result, "commitSeries", probe.commitSeries());
        put(result, "otherConsumed", probe.otherConsumed.sum());
        put(result, "outputs", probe.outputs.sum());
        put(result, "outputBytes", probe.outputBytes.sum());
        put(result, "deadLetters", probe.deadLetters.sum());
        put(result, "changelogRecords", probe.changelogRecords.sum());
        put(result, "changelogBytes", probe.changelogBytes.sum());
        put(result, "repartitionRecords", probe.repartitionRecords.sum());
        put(result, "repartitionBytes", probe.repartitionBytes.sum());
        put(result, "commits", probe.commits.get());
        put(result, "passRejected", PassThrough.REJECTED.sum());
        if (cpuAtStart.get() != null) {
            cpuAtEnd.minus(cpuAtStart.get()).forEach((k, v) -> put(result, "cpu." + k, v));
        }
        put(result, "rssT1", Proc.rssBytes(pid));
        put(result, "peakRss", Proc.peakRssBytes(pid));
        put(result, "heapUsedT1", heapUsed());
        put(result, "heapCommittedT1", heapCommitted());
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += gc.getCollectionCount();
            gcMillis += gc.getCollectionTime();
        }
        put(result, "gcCount", gcCount);
        put(result, "gcMillis", gcMillis);
        // Kafka Streams' own view of its stream thread (windowed over the last minute or so): how
        // long commits, polls and processing take, to attribute the latency tail.
        streams.metrics().forEach((name, metric) -> {
            if (name.group().equals("stream-thread-metrics") && THREAD_METRICS.contains(name.name())
                    && metric.metricValue() instanceof Double value && !value.isNaN()) {
                result.put("thread." + name.name(), Double.toString(value));
            }
        });
        put(result, "stored", listener.stored());
        put(result, "trained", listener.trained());

        if (memory && status.equals("ok")) {
            fullGc();
            put(result, "heapEndAfterGc", heapUsed());
            put(result, "rssEndAfterGc", Proc.rssBytes(pid));
            // What the live heap is made of at that point, beside the result file: the figures
            // above say how much, this says which objects (a full GC of its own first).
            Files.writeString(resultFile.resolveSibling(resultFile.getFileName().toString().replace(".properties", ".histogram.txt")), classHistogram());
            synchronized (samples) {
                result.put("rssSlopeSecondHalf", Double.toString(slopeOfSecondHalf(samples)));
                put(result, "samples", samples.size());
                StringBuilder series = new StringBuilder(); // stored weights:RSS in MB, every 50 ms
                for (long[] sample : samples) {
                    series.append(series.length() == 0 ? "" : " ").append(sample[0]).append(':').append(sample[1] >> 20);
                }
                put(result, "rssSeries", series.toString());
            }
            if (!app.equals("pass")) {
                long request = trigger.request();
                long begin = System.nanoTime();
                boolean done = trigger.await(request, Duration.ofSeconds(300));
                put(result, "snapshotDone", done ? 1 : 0);
                put(result, "snapshotWallMs", (System.nanoTime() - begin) / 1_000_000);
                put(result, "nonzeros", listener.nonzeros());
                put(result, "storedAfterSnapshot", listener.stored());
                put(result, "snapshotBytes", listener.snapshotBytes.sum());
                // Then a final snapshot, as a clean shutdown takes it: the store is checkpointed after
                // it, so that the store files measured below hold the model in pages.
                long finalRequest = trigger.requestFinal();
                long finalBegin = System.nanoTime();
                done &= trigger.await(finalRequest, Duration.ofSeconds(300));
                put(result, "finalSnapshotWallMs", (System.nanoTime() - finalBegin) / 1_000_000);
                // A trainer that died (say, out of heap while building the snapshot) has left, and
                // await counts a trainer that left as done: the run must not pass for a snapshot.
                if (!done || failure.get() != null || listener.snapshotBytes.sum() == 0) {
                    status = "snapshot failed: " + (failure.get() != null ? failure.get()
                            : done ? "no snapshot written" : "not done within 300 s");
                    put(result, "status", status);
                }
            }
        }
        long closeStart = System.nanoTime();
        boolean closed = streams.close(Duration.ofSeconds(120));
        put(result, "closeMs", (System.nanoTime() - closeStart) / 1_000_000);
        put(result, "closedCleanly", closed ? 1 : 0);
        if (memory && store.equals("rocksdb") && !app.equals("pass") && closed) {
            Path dbRoot = Path.of(a.get("stateDir"), appId);
            StoreInspector.inspect(dbRoot, "streamsgd-models", "weights", result);
        }
        try (OutputStream out = Files.newOutputStream(resultFile)) {
            result.store(out, "e2e run " + appId);
        }
        System.out.println("DONE " + status);
        System.out.flush();
        System.exit(status.equals("ok") ? 0 : 2);
    }

    private static Recording startRecording(Path destination) {
        try {
            Recording r = new Recording();
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
            r.enable("jdk.ObjectAllocationSample").with("throttle", "500/s");
            r.enable("jdk.GarbageCollection");
            r.enable("jdk.ThreadCPULoad").withPeriod(Duration.ofSeconds(1));
            r.setToDisk(true);
            r.setDestination(destination);
            r.start();
            return r;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Least-squares slope of RSS over stored entries (bytes per entry) over the second half of the samples. */
    static double slopeOfSecondHalf(List<long[]> samples) {
        List<long[]> half = samples.subList(samples.size() / 2, samples.size());
        int n = half.size();
        if (n < 3) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (long[] s : half) {
            mx += s[0];
            my += s[1];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (long[] s : half) {
            sxy += (s[0] - mx) * (s[1] - my);
            sxx += (s[0] - mx) * (s[0] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    private static void fullGc() {
        System.gc();
        System.gc();
    }

    /** The JVM's class histogram of live objects ({@code jcmd GC.class_histogram}), from the running JVM itself. */
    private static String classHistogram() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }

    private static long heapCommitted() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void put(Properties p, String key, long value) {
        p.put(key, Long.toString(value));
    }

    private static void put(Properties p, String key, String value) {
        p.put(key, value);
    }

    /** Counts and the latest status per model, as the service's metrics listener would see them. */
    static final class CountingListener implements TrainerListener {
        private final Map<String, ModelStatus> latest = new ConcurrentHashMap<>();
        final LongAdder predictions = new LongAdder();
        final LongAdder snapshotBytes = new LongAdder();
        final AtomicLong snapshots = new AtomicLong();

        @Override
        public void predicted(String model, boolean trained, double loss, long latencyNanos) {
            predictions.increment();
        }

        @Override
        public void snapshotted(ModelStatus status, long bytes, long durationNanos) {
            latest.put(status.model(), status);
            snapshots.incrementAndGet();
            snapshotBytes.add(bytes);
        }

        @Override
        public void status(ModelStatus status) {
            latest.put(status.model(), status);
        }

        long stored() {
            return latest.values().stream().mapToLong(ModelStatus::stored).sum();
        }

        long nonzeros() {
            return latest.values().stream().mapToLong(ModelStatus::nonzeros).sum();
        }

        long trained() {
            return latest.values().stream().mapToLong(ModelStatus::trained).sum();
        }
    }

    /**
     * CPU milliseconds by kind of thread: the stream thread, the producer's I/O thread and other
     * Java threads (by full name, from the JVM), and GC, JIT and RocksDB threads (by the kernel's
     * 15-character thread name); "other" is the rest of the process total.
     */
    record CpuSnapshot(Map<String, Long> millis) {
        static CpuSnapshot take() {
            Map<String, Long> m = new TreeMap<>();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long java = 0;
            for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu < 0) {
                    continue;
                }
                long ms = cpu / 1_000_000;
                String name = info.getThreadName();
                // The producer's I/O thread is named after its client id, which contains "StreamThread": test it first.
                String kind = name.startsWith("kafka-producer-network-thread") ? "producerIo"
                        : name.contains("StreamThread") ? "stream"
                        : "otherJava";
                m.merge(kind, ms, Long::sum);
                java += ms;
            }
            long total = 0;
            long nativeKnown = 0;
            for (Object[] t : Proc.ownNativeThreads()) {
                String comm = (String) t[0];
                long ms = (long) t[1];
                total += ms;
                String kind = comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread") ? "gc"
                        : comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? "jit"
                        : comm.startsWith("rocksdb") ? "rocksdbBackground"
                        : null;
                if (kind != null) {
                    m.merge(kind, ms, Long::sum);
                    nativeKnown += ms;
                }
            }
            m.put("total", total);
            m.put("other", Math.max(0, total - java - nativeKnown));
            return new CpuSnapshot(m);
        }

        Map<String, Long> minus(CpuSnapshot before) {
            Map<String, Long> d = new TreeMap<>();
            millis.forEach((k, v) -> d.put(k, v - before.millis.getOrDefault(k, 0L)));
            for (String k : List.of("stream", "producerIo", "otherJava", "gc", "jit", "rocksdbBackground", "other", "total")) {
                d.putIfAbsent(k, 0L);
            }
            return d;
        }
    }
}
