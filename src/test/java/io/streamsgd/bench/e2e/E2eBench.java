package io.streamsgd.bench.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The end-to-end benchmark driver (issue 6). In one run it:
 * <ol>
 *   <li>starts a real KRaft broker in its own JVM ({@code streamsgd broker}), so its CPU is
 *       measured apart;</li>
 *   <li>loads each data set ({@code synthetic}: seeded, ~30 hashed features; {@code foods}: the
 *       shared fine_foods file replayed) into a one-partition topic (the keyed layout) and a
 *       two-partition topic (the unkeyed layout);</li>
 *   <li>for each data set and layout, runs rounds of (a) pass-through, (b) streamsgd with an L1
 *       model, (c) streamsgd with an L1 and an L2 model, each in a fresh JVM with a fresh
 *       {@code application.id} and state directory, exactly_once_v2, the same commit interval,
 *       and reports the median records/s and the ratios b/a and c/a;</li>
 *   <li>measures event-to-prediction latency of (b) at half its throughput;</li>
 *   <li>measures memory: RSS, heap after GC, and the store's bytes per weight;</li>
 *   <li>profiles (b) with JFR;</li>
 * </ol>
 * and writes {@code results.md} (and prints it). Options: {@code --key=value}, see {@link Options#parse}.
 */
public final class E2eBench {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Options options;
    private final Path out;
    private final Path logs;
    private final Path state;
    private final StringBuilder progress = new StringBuilder();
    private final List<RunOutcome> outcomes = new ArrayList<>();
    private final Map<String, Double> loadRates = new LinkedHashMap<>();
    private final Map<String, Double> eventBytes = new LinkedHashMap<>();
    private String bootstrap;
    private BrokerSampler sampler;
    private Admin admin;
    private int sequence;

    private E2eBench(Options options) throws IOException {
        this.options = options;
        this.out = options.out;
        this.logs = Files.createDirectories(out.resolve("logs"));
        this.state = Files.createDirectories(out.resolve("state"));
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].startsWith("--report-from=")) {
            rerender(Path.of(args[0].substring("--report-from=".length())).toAbsolutePath());
            return;
        }
        Options options = Options.parse(args);
        E2eBench bench = new E2eBench(options);
        Files.write(options.out.resolve("args.txt"), List.of(args));
        bench.run();
    }

    /**
     * Renders results.md again from a finished run's directory (its args.txt, logs/*.properties,
     * latency files, JFR recordings and progress.log), e.g. after the report itself has changed.
     */
    private static void rerender(Path dir) throws Exception {
        List<String> args = new ArrayList<>(Files.readAllLines(dir.resolve("args.txt")));
        args.removeIf(a -> a.startsWith("--out="));
        args.add("--out=" + dir);
        E2eBench bench = new E2eBench(Options.parse(args.toArray(String[]::new)));
        Properties loads = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("loads.properties"))) {
            loads.load(in);
        }
        for (String k : loads.stringPropertyNames()) {
            if (k.startsWith("rate.")) {
                bench.loadRates.put(k.substring(5), Double.parseDouble(loads.getProperty(k)));
                bench.eventBytes.put(k.substring(5), Double.parseDouble(loads.getProperty("bytes." + k.substring(5))));
            }
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir.resolve("logs"))) {
            files = list.filter(f -> f.toString().endsWith(".properties")).sorted().toList();
        }
        for (Path f : files) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(f)) {
                p.load(in);
            }
            if (p.getProperty("driver.app") == null) {
                continue;
            }
            String jfr = p.getProperty("driver.jfr", "");
            RunSpec spec = new RunSpec(p.getProperty("driver.app"), p.getProperty("driver.dataset"),
                    p.getProperty("driver.layout"), Integer.parseInt(p.getProperty("driver.round")),
                    p.getProperty("driver.store"), Boolean.parseBoolean(p.getProperty("driver.memory")),
                    jfr.isEmpty() ? null : Path.of(jfr), 0, 0);
            String id = f.getFileName().toString().replace(".properties", "");
            RunOutcome o = new RunOutcome(spec, id, Integer.parseInt(p.getProperty("driver.exitCode")), p,
                    Double.parseDouble(p.getProperty("driver.recordsPerSecond")),
                    Double.parseDouble(p.getProperty("driver.brokerCores")),
                    Double.parseDouble(p.getProperty("driver.machineCores")),
                    Double.parseDouble(p.getProperty("driver.loadAtStart")));
            if (id.endsWith("-latency")) {
                bench.latencyRun = o;
                bench.latencyResult = readLatency(dir);
            } else if (spec.memory()) {
                bench.memoryRuns.add(o);
            } else if (spec.jfr() != null) {
                bench.profiles.put(spec.dataset(), bench.profileSummary(o));
            } else {
                bench.outcomes.add(o);
            }
        }
        String log = Files.exists(dir.resolve("progress.log")) ? Files.readString(dir.resolve("progress.log")) : "";
        String report = Report.render(bench.options, bench.outcomes, bench.loadRates, bench.eventBytes,
                bench.latencyResult, bench.latencyRun, bench.memoryRuns, bench.profiles, log);
        Files.writeString(dir.resolve("results.md"), report);
        System.out.println(report);
    }

    private static LatencyProbe.Result readLatency(Path dir) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("latency.properties"))) {
            p.load(in);
        }
        return new LatencyProbe.Result(Double.parseDouble(p.getProperty("rate")), Double.parseDouble(p.getProperty("achieved")),
                Long.parseLong(p.getProperty("sent")), Long.parseLong(p.getProperty("measured")),
                Long.parseLong(p.getProperty("received")), longs(p.getProperty("visible")), longs(p.getProperty("appended")));
    }

    private static long[] longs(String s) {
        return s == null || s.isBlank() ? new long[0] : java.util.Arrays.stream(s.split(" ")).mapToLong(Long::parseLong).toArray();
    }

    private static String join(long[] values) {
        StringBuilder b = new StringBuilder();
        for (long v : values) {
            b.append(b.length() > 0 ? " " : "").append(v);
        }
        return b.toString();
    }

    /** Adds the driver's own figures to the run's properties file, so that the report can be rendered again. */
    private void persist(RunOutcome o) throws IOException {
        Properties p = o.p;
        p.put("driver.app", o.spec.app);
        p.put("driver.dataset", o.spec.dataset);
        p.put("driver.layout", o.spec.layout);
        p.put("driver.round", Integer.toString(o.spec.round));
        p.put("driver.store", o.spec.store);
        p.put("driver.memory", Boolean.toString(o.spec.memory));
        p.put("driver.jfr", o.spec.jfr == null ? "" : o.spec.jfr.toString());
        p.put("driver.exitCode", Integer.toString(o.exitCode));
        p.put("driver.recordsPerSecond", Double.toString(o.recordsPerSecond));
        p.put("driver.brokerCores", Double.toString(o.brokerCores));
        p.put("driver.machineCores", Double.toString(o.machineCores));
        p.put("driver.loadAtStart", Double.toString(o.loadAtStart));
        try (java.io.OutputStream out = Files.newOutputStream(logs.resolve(o.id + ".properties"))) {
            p.store(out, "e2e run " + o.id + " with the driver's figures");
        }
    }

    /** Settings; every one has a default. */
    record Options(Path out, long events, int runs, Map<String, List<String>> matrix, double capSeconds, boolean latency,
                   boolean memory, long memoryWeights, List<String> profile, int commitMs, String appHeap,
                   double latencyRate, int latencyWarmup, int latencySeconds, Path foods, String lambda, int runTimeout,
                   boolean keepData, List<String> memoryStores, String streamsConfig, String store, int floorBytes,
                   String floorStore, boolean trainingThread) {
        private static final List<String> KEYS = List.of("out", "events", "runs", "matrix", "cap-seconds", "latency",
                "memory", "memory-weights", "profile", "commit-ms", "app-heap", "latency-rate", "latency-warmup",
                "latency-seconds", "foods", "lambda", "run-timeout", "keep-data", "memory-stores", "streams-config", "store",
                "floor-bytes", "floor-store", "training-thread");

        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String a : args) {
                if (!a.startsWith("--") || !a.contains("=")) {
                    throw new IllegalArgumentException("arguments are --key=value, got " + a);
                }
                String key = a.substring(2, a.indexOf('='));
                if (!KEYS.contains(key)) {
                    throw new IllegalArgumentException("unknown option --" + key + "; known: " + KEYS);
                }
                m.put(key, a.substring(a.indexOf('=') + 1));
            }
            Map<String, List<String>> matrix = new LinkedHashMap<>();
            for (String cell : list(m.getOrDefault("matrix", "synthetic:keyed+unkeyed,foods:keyed"))) {
                String[] parts = cell.split(":");
                List<String> layouts = List.of(parts.length > 1 ? parts[1].split("\\+") : new String[] {"keyed", "unkeyed"});
                for (String l : layouts) {
                    if (!l.equals("keyed") && !l.equals("unkeyed")) {
                        throw new IllegalArgumentException("layout must be keyed or unkeyed, got " + l);
                    }
                }
                matrix.put(parts[0], layouts);
            }
            return new Options(
                    Path.of(m.getOrDefault("out", "bench/out/" + LocalDateTime.now().format(STAMP))).toAbsolutePath(),
                    Long.parseLong(m.getOrDefault("events", "1000000")),
                    Integer.parseInt(m.getOrDefault("runs", "3")),
                    matrix,
                    Double.parseDouble(m.getOrDefault("cap-seconds", "15")),
                    Boolean.parseBoolean(m.getOrDefault("latency", "true")),
                    Boolean.parseBoolean(m.getOrDefault("memory", "true")),
                    Long.parseLong(m.getOrDefault("memory-weights", "1000000")),
                    list(m.getOrDefault("profile", "synthetic")),
                    Integer.parseInt(m.getOrDefault("commit-ms", "100")),
                    m.getOrDefault("app-heap", "2g"),
                    Double.parseDouble(m.getOrDefault("latency-rate", "0")),
                    Integer.parseInt(m.getOrDefault("latency-warmup", "20")),
                    Integer.parseInt(m.getOrDefault("latency-seconds", "20")),
                    Path.of(m.getOrDefault("foods", "../shared/data/fine_foods.jsonl")).toAbsolutePath(),
                    m.getOrDefault("lambda", "1e-6"),
                    Integer.parseInt(m.getOrDefault("run-timeout", "600")),
                    Boolean.parseBoolean(m.getOrDefault("keep-data", "false")),
                    list(m.getOrDefault("memory-stores", "rocksdb")),
                    m.getOrDefault("streams-config", ""),
                    m.getOrDefault("store", "rocksdb"),
                    Integer.parseInt(m.getOrDefault("floor-bytes", "0")),
                    m.getOrDefault("floor-store", "rocksdb"),
                    Boolean.parseBoolean(m.getOrDefault("training-thread", "false")));
        }

        private static List<String> list(String s) {
            return s.isBlank() ? List.of() : List.of(s.split(","));
        }
    }

    /**
     * One application run: {@code events} is how many it must process (the run also ends at the
     * cap, {@code capSeconds} after its first records, if that comes first; 0 for no cap).
     */
    record RunSpec(String app, String dataset, String layout, int round, String store, boolean memory, Path jfr,
                   long events, double capSeconds) {
        String models() {
            return switch (app) {
                case "b" -> "l1";
                case "c" -> "l1,l2";
                default -> "";
            };
        }
    }

    /** A finished run: its own figures (from the app process) and the broker's and machine's over its window. */
    record RunOutcome(RunSpec spec, String id, int exitCode, Properties p, double recordsPerSecond, double brokerCores,
                      double machineCores, double loadAtStart) {
        long l(String key) {
            String v = p.getProperty(key);
            return v == null ? -1 : Long.parseLong(v);
        }

        double d(String key) {
            String v = p.getProperty(key);
            return v == null ? Double.NaN : Double.parseDouble(v);
        }

        boolean ok() {
            return exitCode == 0 && "ok".equals(p.getProperty("status"));
        }
    }

    private void run() throws Exception {
        long begin = System.nanoTime();
        note("streamsgd end-to-end benchmark, output in " + out);
        note(String.format(Locale.ROOT, "machine: %d CPUs, %s, Java %s; load average %.2f at start",
                Runtime.getRuntime().availableProcessors(), memTotal(), System.getProperty("java.version"),
                Proc.loadAverage()));
        JvmProcess broker = JvmProcess.start(List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC"), "io.streamsgd.cli.StreamSgd",
                List.of("broker", "--port", "0", "--dir", out.resolve("broker").toString()), logs.resolve("broker.log"));
        try {
            bootstrap = broker.awaitLine("bootstrap.servers=", 120).substring("bootstrap.servers=".length()).strip();
            note("broker (pid " + broker.pid() + ") at " + bootstrap);
            sampler = new BrokerSampler(broker.pid());
            sampler.start();
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
            Map<String, java.util.Set<String>> toLoad = new LinkedHashMap<>();
            options.matrix.forEach((ds, layouts) -> toLoad.computeIfAbsent(ds, k -> new java.util.TreeSet<>()).addAll(layouts));
            for (String ds : options.profile) {
                toLoad.computeIfAbsent(ds, k -> new java.util.TreeSet<>()).add("keyed");
            }
            if (options.latency && options.latencyRate <= 0) {
                toLoad.computeIfAbsent("synthetic", k -> new java.util.TreeSet<>()).add("keyed");
            }
            for (var e : toLoad.entrySet()) {
                load(source(e.getKey()), e.getValue(), options.events);
            }
            if (options.memory) {
                load(new EventSource.Fresh(FRESH_FEATURES), java.util.Set.of("keyed"), options.memoryWeights / FRESH_FEATURES);
            }
            throughput();
            if (options.latency) {
                latency();
            }
            if (options.memory) {
                memory();
            }
            for (String ds : options.profile) {
                profile(ds);
            }
        } finally {
            if (sampler != null) {
                sampler.interrupt();
            }
            if (admin != null) {
                admin.close();
            }
            broker.close();
            if (!options.keepData) {
                deleteTree(out.resolve("broker"));
                deleteTree(state);
            }
        }
        note(String.format(Locale.ROOT, "total time %.1f min; load average %.2f at the end",
                (System.nanoTime() - begin) / 60e9, Proc.loadAverage()));
        String report = Report.render(options, outcomes, loadRates, eventBytes, latencyResult, latencyRun, memoryRuns, profiles,
                progress.toString());
        Files.writeString(out.resolve("results.md"), report);
        System.out.println();
        System.out.println(report);
    }

    private EventSource source(String name) throws IOException {
        return switch (name) {
            case "synthetic" -> new EventSource.Synthetic("synthetic", 42, "s-");
            case "foods" -> new EventSource.Replay("foods", options.foods, "ff-");
            default -> throw new IllegalArgumentException("unknown data set " + name + " (synthetic, foods)");
        };
    }

    static String topic(String dataset, String layout) {
        return "e2e." + dataset + "." + layout;
    }

    /** Features per event of the memory runs' data set. */
    private static final int FRESH_FEATURES = 100;

    /**
     * Creates the data set's topics, keyed layout: 1 partition, unkeyed: 2 partitions, and loads the
     * same events into each (no record keys).
     */
    private void load(EventSource source, java.util.Set<String> layouts, long count) throws Exception {
        List<String> topics = layouts.stream().map(l -> topic(source.name(), l)).toList();
        createTopics(layouts.stream().map(l -> new NewTopic(topic(source.name(), l), l.equals("keyed") ? 1 : 2, (short) 1)).toList());
        long bytes = 0;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < count; i++) {
                byte[] event = source.event(i);
                bytes += event.length;
                for (String t : topics) {
                    producer.send(new ProducerRecord<>(t, null, event));
                }
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = topics.size() * count / seconds;
        loadRates.put(source.name(), rate);
        eventBytes.put(source.name(), (double) bytes / count);
        Properties loads = new Properties();
        loadRates.forEach((k, v) -> loads.put("rate." + k, Double.toString(v)));
        eventBytes.forEach((k, v) -> loads.put("bytes." + k, Double.toString(v)));
        try (java.io.OutputStream o = Files.newOutputStream(out.resolve("loads.properties"))) {
            loads.store(o, "load rates and mean event sizes");
        }
        note(String.format(Locale.ROOT, "loaded %,d %s events (%.0f bytes each on average) into %s in %.1f s "
                + "(%.0f records/s written)", count, source.name(), (double) bytes / count, topics, seconds, rate));
    }

    /**
     * Rounds of (b), (c), (a) back to back. (b) and (c) run over the whole topic or until the cap;
     * (a) then runs over as many events as (b) processed, and its commit log gives its rate over
     * (c)'s count too, so each ratio compares the same events.
     *
     * <p>Unkeyed runs are never capped. Their router tasks route the pre-loaded topic ahead of the
     * trainer, on the same stream thread, so at the cap they had routed about twice the events
     * trained (async-profiler: 2.3 times the trainer's parsing). A capped window charged (b) with
     * routing work for events it had not trained: one round gave b/a 0.282 capped, and 0.350
     * over the whole topic, where each event is routed and trained once.
     */
    private void throughput() throws Exception {
        for (var cell : options.matrix.entrySet()) {
            String ds = cell.getKey();
            for (String layout : cell.getValue()) {
                double cap = layout.equals("unkeyed") ? 0 : options.capSeconds;
                for (int round = 1; round <= options.runs; round++) {
                    RunOutcome b = runApp(new RunSpec("b", ds, layout, round, options.store, false, null, options.events, cap));
                    RunOutcome c = runApp(new RunSpec("c", ds, layout, round, options.store, false, null, options.events, cap));
                    long n = Math.max(Math.max(b.l("inputs"), c.l("inputs")), 1);
                    RunOutcome a = runApp(new RunSpec("a", ds, layout, round, options.store, false, null, b.ok() ? n : options.events, 0));
                    outcomes.add(a);
                    if (options.floorBytes > 0) {
                        outcomes.add(runApp(new RunSpec("f", ds, layout, round, options.store, false, null, b.ok() ? n : options.events, 0)));
                    }
                    outcomes.add(b);
                    outcomes.add(c);
                }
            }
        }
    }

    private LatencyProbe.Result latencyResult;
    private RunOutcome latencyRun;
    final List<RunOutcome> memoryRuns = new ArrayList<>();
    final Map<String, String> profiles = new LinkedHashMap<>();

    private void latency() throws Exception {
        double rate = options.latencyRate;
        if (rate <= 0) {
            double b = Stats.median(outcomes.stream()
                    .filter(o -> o.spec.app.equals("b") && o.spec.dataset.equals("synthetic") && o.spec.layout.equals("keyed")
                            && o.ok())
                    .map(RunOutcome::recordsPerSecond).toList());
            if (Double.isNaN(b)) {
                note("latency: no (b) synthetic keyed throughput measured and no --latency-rate: skipped");
                return;
            }
            rate = Math.floor(b / 2);
        }
        String id = String.format(Locale.ROOT, "%02d-latency", ++sequence);
        String input = "e2e." + id + ".events";
        String predictions = "e2e." + id + ".predictions";
        createTopics(List.of(new NewTopic(input, 1, (short) 1),
                new NewTopic(predictions, 1, (short) 1).configs(Map.of("message.timestamp.type", "LogAppendTime")),
                new NewTopic("e2e." + id + ".dead", 1, (short) 1), new NewTopic("e2e." + id + ".models", 1, (short) 1)));
        RunSpec spec = new RunSpec("b", "synthetic", "keyed", 1, options.store, false, null, 0, 0);
        List<String> args = appArgs(spec, id, input, predictions);
        args.add("until=stopped");
        double load = Proc.loadAverage();
        JvmProcess app = JvmProcess.start(jvmOptions(spec), E2eApp.class.getName(), args, logs.resolve(id + ".log"));
        app.awaitLine("READY", 180);
        long t0 = System.currentTimeMillis();
        note(String.format(Locale.ROOT, "latency: (b) keyed, synthetic events at %.0f/s for %d s (+%d s warm-up)", rate,
                options.latencySeconds, options.latencyWarmup));
        latencyResult = LatencyProbe.run(bootstrap, input, predictions,
                new EventSource.Synthetic("latency", 7, "lat-"), "lat-", rate, options.latencyWarmup,
                options.latencySeconds, 60);
        long t1 = System.currentTimeMillis();
        app.tell("stop");
        int code = app.await(180);
        Properties p = readResult(id);
        latencyRun = new RunOutcome(spec, id, code, p, latencyResult.achievedRate(), sampler.cores(t0, t1),
                sampler.machineCores(t0, t1), load);
        persist(latencyRun);
        Properties l = new Properties();
        l.put("rate", Double.toString(latencyResult.rate()));
        l.put("achieved", Double.toString(latencyResult.achievedRate()));
        l.put("sent", Long.toString(latencyResult.sent()));
        l.put("measured", Long.toString(latencyResult.measured()));
        l.put("received", Long.toString(latencyResult.received()));
        l.put("visible", join(latencyResult.visibleMicros()));
        l.put("appended", join(latencyResult.appendedMicros()));
        try (java.io.OutputStream o = Files.newOutputStream(out.resolve("latency.properties"))) {
            l.store(o, "latency samples in microseconds, sorted");
        }
        cleanUp(id);
        note(String.format(Locale.ROOT, "latency: received %d of %d predictions; visible p50 %.1f ms, p99 %.1f ms",
                latencyResult.received(), latencyResult.sent(),
                Stats.percentile(latencyResult.visibleMicros(), 50) / 1000.0,
                Stats.percentile(latencyResult.visibleMicros(), 99) / 1000.0));
    }

    private void memory() throws Exception {
        for (String store : options.memoryStores) {
            memoryRuns.add(runApp(new RunSpec("b", "fresh", "keyed", 1, store, true, null, options.memoryWeights / FRESH_FEATURES, 0)));
        }
        // The control: how much a JVM that parses the same events and writes a record each grows
        // without any model (its heap expands under the same burst of allocation).
        memoryRuns.add(runApp(new RunSpec("a", "fresh", "keyed", 1, options.store, true, null, options.memoryWeights / FRESH_FEATURES, 0)));
    }

    private void profile(String dataset) throws Exception {
        Path jfr = out.resolve("profile-b-" + dataset + ".jfr");
        RunOutcome o = runApp(new RunSpec("b", dataset, "keyed", 1, options.store, false, jfr, options.events, options.capSeconds));
        if (!o.ok() || !Files.exists(jfr)) {
            profiles.put(dataset, "profile run failed: " + o.p.getProperty("status"));
            return;
        }
        String summary = profileSummary(o);
        profiles.put(dataset, summary);
    }

    private String profileSummary(RunOutcome o) throws IOException {
        return String.format(Locale.ROOT, "Profiled run: %,d events at %.0f records/s (JFR on), load %.2f at start, recording `%s`.%n%n",
                o.l("inputs"), o.recordsPerSecond, o.loadAtStart, out.relativize(o.spec.jfr))
                + JfrSummary.summarize(o.spec.jfr, o.l("cpu.stream"), o.d("seconds"), o.l("inputs"));
    }

    private List<String> jvmOptions(RunSpec spec) {
        List<String> jvm = appJvmOptions(options.appHeap);
        if (spec.jfr != null) {
            jvm.add("-XX:FlightRecorderOptions=stackdepth=128");
        }
        return jvm;
    }

    /**
     * The options of every app JVM: the heap, G1, and {@code E2E_APP_JVM_OPTIONS}, for extra
     * options such as a profiling agent (see E2E.md, "Profile") or another collector than G1
     * (which then replaces G1: two would stop the JVM).
     */
    static List<String> appJvmOptions(String heap) {
        String extra = System.getenv().getOrDefault("E2E_APP_JVM_OPTIONS", "");
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + heap));
        if (!extra.matches(".*-XX:\\+Use\\w+GC.*")) {
            jvm.add("-XX:+UseG1GC");
        }
        if (!extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        return jvm;
    }

    private List<String> appArgs(RunSpec spec, String id, String input, String predictions) {
        List<String> args = new ArrayList<>(List.of(
                "app=" + (spec.app.equals("a") || spec.app.equals("f") ? "pass" : "sgd"),
                "appId=e2e-" + id,
                "bootstrap=" + bootstrap,
                "stateDir=" + state.resolve(id),
                "input=" + input,
                "output=" + predictions,
                "deadLetters=e2e." + id + ".dead",
                "modelsTopic=e2e." + id + ".models",
                "keyed=" + spec.layout.equals("keyed"),
                "store=" + spec.store,
                "trainingThread=" + options.trainingThread,
                "commitMs=" + options.commitMs,
                "lambda=" + options.lambda,
                "expectInputs=" + spec.events,
                "capSec=" + spec.capSeconds,
                "memory=" + spec.memory,
                "timeoutSec=" + options.runTimeout,
                "result=" + logs.resolve(id + ".properties"),
                "streamsConfig=" + options.streamsConfig));
        if (spec.app.equals("f")) {
            args.add("changelogBytes=" + options.floorBytes);
            args.add("floorStore=" + options.floorStore);
        } else if (!spec.app.equals("a")) {
            args.add("models=" + spec.models());
        }
        if (spec.jfr != null) {
            args.add("jfr=" + spec.jfr);
        }
        return args;
    }

    private RunOutcome runApp(RunSpec spec) throws Exception {
        String id = String.format(Locale.ROOT, "%02d-%s-%s-%s%s-r%d", ++sequence, spec.dataset, spec.layout, spec.app,
                spec.memory ? "-mem-" + spec.store : spec.jfr != null ? "-jfr" : "", spec.round);
        String input = topic(spec.dataset, spec.layout);
        String predictions = "e2e." + id + ".predictions";
        createTopics(List.of(new NewTopic(predictions, 1, (short) 1), new NewTopic("e2e." + id + ".dead", 1, (short) 1),
                new NewTopic("e2e." + id + ".models", 1, (short) 1)));
        double load = Proc.loadAverage();
        JvmProcess app = JvmProcess.start(jvmOptions(spec), E2eApp.class.getName(),
                appArgs(spec, id, input, predictions), logs.resolve(id + ".log"));
        int code = app.await(options.runTimeout + 300L);
        Properties p = readResult(id);
        long t0 = Long.parseLong(p.getProperty("t0EpochMs", "0"));
        long t1 = Long.parseLong(p.getProperty("t1EpochMs", "0"));
        double seconds = Double.parseDouble(p.getProperty("seconds", "NaN"));
        long inputs = Long.parseLong(p.getProperty("inputs", "0"));
        RunOutcome o = new RunOutcome(spec, id, code, p, inputs / seconds, sampler.cores(t0, t1),
                sampler.machineCores(t0, t1), load);
        persist(o);
        cleanUp(id);
        note(String.format(Locale.ROOT, "%-36s %s %,10.0f records/s  (%,d events in %.2f s, app CPU %.2f cores, broker %.2f, machine %.2f; load %.2f)%s",
                id, o.ok() ? "ok " : "BAD", o.recordsPerSecond, inputs, seconds, o.l("cpu.total") / (seconds * 1000),
                o.brokerCores, o.machineCores, load, o.ok() ? "" : " status=" + p.getProperty("status") + " exit=" + code));
        return o;
    }

    private Properties readResult(String id) throws IOException {
        Properties p = new Properties();
        Path f = logs.resolve(id + ".properties");
        if (Files.exists(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                p.load(in);
            }
        } else {
            p.put("status", "no result file (see logs/" + id + ".log)");
        }
        return p;
    }

    /** Deletes the run's topics (outputs and Kafka Streams' internal topics) and its state directory. */
    private void cleanUp(String id) throws Exception {
        List<String> doomed = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith("e2e-" + id + "-") || t.startsWith("e2e." + id + ".")).toList();
        if (!doomed.isEmpty()) {
            admin.deleteTopics(doomed).all().get(60, TimeUnit.SECONDS);
        }
        if (!options.keepData) {
            deleteTree(state.resolve(id));
        }
    }

    private void createTopics(List<NewTopic> topics) throws Exception {
        admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> names = topics.stream().map(NewTopic::name).toList();
        while (true) {
            try {
                boolean led = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream()).allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (led) {
                    return;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                // metadata not propagated yet: ask again
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + names + " have no leader after 30 s");
            }
            Thread.sleep(50);
        }
    }

    private void note(String line) {
        String stamped = LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + " " + line;
        System.out.println(stamped);
        System.out.flush();
        progress.append(stamped).append('\n');
        try {
            Files.writeString(out.resolve("progress.log"), stamped + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemTotal:")) {
                    return String.format(Locale.ROOT, "%.1f GB RAM",
                            Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0);
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "? RAM";
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Samples the broker's CPU time and the machine's busy time every 200 ms, to read them over any run's window. */
    static final class BrokerSampler extends Thread {
        private final long pid;
        private final List<long[]> samples = new ArrayList<>(); // epoch ms, broker CPU ms, machine busy, machine total

        BrokerSampler(long pid) {
            super("e2e-broker-sampler");
            this.pid = pid;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                long[] j = Proc.machineJiffies();
                long[] s = {System.currentTimeMillis(), Proc.cpuMillis(pid), j[0], j[1]};
                synchronized (samples) {
                    samples.add(s);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Broker CPU cores used between two instants. */
        double cores(long from, long to) {
            return to > from ? (at(to, 1) - at(from, 1)) / (to - from) : Double.NaN;
        }

        /** Busy CPUs of the whole machine between two instants. */
        double machineCores(long from, long to) {
            double busy = at(to, 2) - at(from, 2);
            double total = at(to, 3) - at(from, 3);
            return to > from && total > 0 ? busy / total * Runtime.getRuntime().availableProcessors() : Double.NaN;
        }

        private double at(long time, int field) {
            synchronized (samples) {
                long[] before = null;
                for (long[] s : samples) {
                    if (s[0] >= time) {
                        if (before == null) {
                            return s[field];
                        }
                        double f = (double) (time - before[0]) / Math.max(1, s[0] - before[0]);
                        return before[field] + f * (s[field] - before[field]);
                    }
                    before = s;
                }
                return before == null ? Double.NaN : before[field];
            }
        }
    }
}
