package io.streamsgd.bench.e2e;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results as Markdown: throughput and ratios, latency, memory, profile, targets, and the run log. */
final class Report {
    private final E2eBench.Options options;
    private final List<E2eBench.RunOutcome> runs;
    private final StringBuilder b = new StringBuilder();
    private final List<String[]> targets = new ArrayList<>();

    private Report(E2eBench.Options options, List<E2eBench.RunOutcome> runs) {
        this.options = options;
        this.runs = runs;
    }

    static String render(E2eBench.Options options, List<E2eBench.RunOutcome> runs, Map<String, Double> loadRates,
                         Map<String, Double> eventBytes, LatencyProbe.Result latency, E2eBench.RunOutcome latencyRun, List<E2eBench.RunOutcome> memory,
                         Map<String, String> profiles, String log) {
        Report r = new Report(options, runs);
        r.header(loadRates, eventBytes);
        r.throughput();
        r.latency(latency, latencyRun);
        r.memory(memory);
        profiles.forEach(r::profile);
        r.targets();
        r.b.append("\n## Run log\n\n```\n").append(log).append("```\n");
        return r.b.toString();
    }

    private void header(Map<String, Double> loadRates, Map<String, Double> eventBytes) {
        b.append("# streamsgd end-to-end benchmark results\n\n");
        b.append(String.format(Locale.ROOT, "%s; %d CPUs; Java %s. %,d events loaded per data set; %d round(s); "
                        + "exactly_once_v2, commit.interval.ms=%d, one stream thread, record cache at its default (10 MB); "
                        + "app JVMs `%s`, broker JVM -Xmx1g in its own process; L1 model: l1=%s, L2 model: l2=%s "
                        + "(logistic, adaptive schedule, 2^24 slots, RocksDB store unless said otherwise, no snapshots "
                        + "during throughput runs). Matrix: %s.%s%n%n",
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), options.events(), options.runs(), options.commitMs(),
                String.join(" ", E2eBench.appJvmOptions(options.appHeap())),
                options.lambda(), options.lambda(), options.matrix(),
                options.streamsConfig().isBlank() ? "" : " Extra Kafka Streams settings for every app: `" + options.streamsConfig() + "`."));
        loadRates.forEach((ds, rate) -> b.append(String.format(Locale.ROOT,
                "- %s: %.0f bytes per event on average; loaded at %,.0f records/s%n", ds, eventBytes.get(ds), rate)));
        b.append("\nLayouts: **keyed** = a one-partition topic read with `inputKeyedByModel=true` (every event reaches "
                + "the one trainer task, which trains every model the event targets: both in (c)); **unkeyed** = a "
                + "two-partition topic with no record keys, through the router and the by-model repartition topic "
                + "(2 partitions). (a) reads the same topic as (b) and (c).\n");
        b.append("\n**records/s** = events processed / (t1 - t0): t0 is when the application's main consumer first "
                + "returns records; t1 is when the transaction that holds the last counted output (with its input "
                + "offsets and changelog writes) has committed, i.e. when a read_committed consumer can see every "
                + "counted output; the events counted are those whose every output was sent before that commit. "
                + "Observed inside the application process through its own Kafka clients (a KafkaClientSupplier), "
                + "so the JVM start, the rebalance and the close are not counted. Cores = CPU seconds / wall seconds "
                + "over [t0, t1].\n");
    }

    private List<E2eBench.RunOutcome> select(String ds, String layout, String app) {
        return runs.stream().filter(o -> o.spec().dataset().equals(ds) && o.spec().layout().equals(layout)
                && o.spec().app().equals(app) && !o.spec().memory() && o.spec().jfr() == null).toList();
    }

    /**
     * (a)'s rate over its first {@code events} events: from its commit log, the first commit that
     * holds at least that many events' outputs.
     */
    static double rateAt(E2eBench.RunOutcome a, long events) {
        String series = a.p().getProperty("commitSeries", "");
        long perEvent = Math.max(1, a.l("outputsPerEvent"));
        for (String point : series.split(" ")) {
            int colon = point.indexOf(':');
            if (colon < 0) {
                continue;
            }
            long ms = Long.parseLong(point.substring(0, colon));
            long done = Long.parseLong(point.substring(colon + 1)) / perEvent;
            if (done >= events && ms > 0) {
                return done * 1000.0 / ms;
            }
        }
        return a.recordsPerSecond();
    }

    private double median(List<E2eBench.RunOutcome> rs) {
        return Stats.median(rs.stream().filter(E2eBench.RunOutcome::ok).map(E2eBench.RunOutcome::recordsPerSecond).toList());
    }

    private static double streamMicrosPerEvent(E2eBench.RunOutcome o) {
        return o.l("cpu.stream") * 1000.0 / Math.max(1, o.l("inputs"));
    }

    /** The (a) run of the same round, or null. */
    private E2eBench.RunOutcome partner(E2eBench.RunOutcome o) {
        return select(o.spec().dataset(), o.spec().layout(), "a").stream()
                .filter(x -> x.spec().round() == o.spec().round() && x.ok()).findFirst().orElse(null);
    }

    private void throughput() {
        b.append("\n## Throughput\n\n");
        b.append(String.format(Locale.ROOT, "Each round runs (b), (c), then (a). (b) and (c) stop at the end of the topic or at "
                + "the first commit %.0f s after their first records (the cap), whichever comes first; unkeyed runs are "
                + "never capped, since their router tasks run ahead of the trainer on the same thread and a capped window "
                + "would charge them with routing events not yet trained. (a) then processes "
                + "as many events as (b) did, and its commit log gives its rate over (c)'s count as well, so each ratio "
                + "compares the same events from the same cold start. Ratio = median over rounds of (x over the (a) "
                + "of its round, at x's event count).%n%n", options.capSeconds()));
        b.append("| data | layout | app | events per round | records/s per round | median records/s | ratio to (a) | per-round ratios | "
                + "app CPU µs/event | stream thread µs/event | CPU ratio | app cores | stream thread | GC | broker cores | "
                + "machine busy | load avg |\n");
        b.append("|---|---|---|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var cell : options.matrix().entrySet()) {
            String ds = cell.getKey();
            for (String layout : cell.getValue()) {
                for (String app : List.of("a", "b", "c", "f")) {
                    List<E2eBench.RunOutcome> rs = select(ds, layout, app);
                    if (rs.isEmpty()) {
                        continue;
                    }
                    double m = median(rs);
                    StringBuilder perRound = new StringBuilder();
                    StringBuilder events = new StringBuilder();
                    List<Double> ratios = new ArrayList<>();
                    List<Double> cpuRatios = new ArrayList<>();
                    List<Double> appCpu = new ArrayList<>();
                    List<Double> streamCpu = new ArrayList<>();
                    double[] sums = new double[6];
                    int n = 0;
                    for (E2eBench.RunOutcome o : rs) {
                        perRound.append(perRound.length() > 0 ? ", " : "").append(o.ok() ? k(o.recordsPerSecond()) : "FAILED");
                        events.append(events.length() > 0 ? ", " : "").append(k(o.l("inputs")));
                        E2eBench.RunOutcome a = partner(o);
                        if (!app.equals("a") && a != null && o.ok()) {
                            ratios.add(o.recordsPerSecond() / rateAt(a, o.l("inputs")));
                            cpuRatios.add(streamMicrosPerEvent(a) / streamMicrosPerEvent(o));
                        }
                        if (o.ok()) {
                            appCpu.add(o.l("cpu.total") * 1000.0 / Math.max(1, o.l("inputs")));
                            streamCpu.add(streamMicrosPerEvent(o));
                        }
                        if (o.ok()) {
                            double ms = o.d("seconds") * 1000;
                            sums[0] += o.l("cpu.total") / ms;
                            sums[1] += o.l("cpu.stream") / ms;
                            sums[2] += o.l("cpu.gc") / ms;
                            sums[3] += o.brokerCores();
                            sums[4] += o.machineCores();
                            sums[5] += o.loadAtStart();
                            n++;
                        }
                    }
                    int d = Math.max(1, n);
                    double ratio = Stats.median(ratios);
                    String ratioList = String.join(", ", ratios.stream().map(r -> String.format(Locale.ROOT, "%.3f", r)).toList());
                    b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | **%s** | %s | %s | %.0f | %.0f | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                            ds, layout, label(app), events, perRound, k(m),
                            app.equals("a") ? "1" : String.format(Locale.ROOT, "**%.3f**", ratio), ratioList,
                            Stats.median(appCpu), Stats.median(streamCpu),
                            app.equals("a") ? "1" : String.format(Locale.ROOT, "%.3f", Stats.median(cpuRatios)),
                            sums[0] / d, sums[1] / d, sums[2] / d, sums[3] / d, sums[4] / d, sums[5] / d));
                    if (app.equals("b")) {
                        double want = layout.equals("keyed") ? 0.9 : 0.6;
                        target(String.format(Locale.ROOT, "%s, %s: b/a >= %.2f", ds, layout, want),
                                String.format(Locale.ROOT, "%.3f", ratio), ratio >= want);
                    } else if (app.equals("c") && layout.equals("keyed")) {
                        target(ds + ", keyed: c/a >= 0.75", String.format(Locale.ROOT, "%.3f", ratio), ratio >= 0.75);
                    }
                }
            }
        }
        b.append("\nCPU µs/event: medians over the rounds of CPU time over [t0, t1] per event processed, for the whole "
                + "app process and for its stream thread alone. CPU ratio: median over rounds of (a)'s stream-thread "
                + "µs/event over x's: what the throughput ratio would be if the stream thread were the bottleneck "
                + "and had a core to itself; it depends much less on the machine's load than records/s do.\n");
        b.append("\nCores are means over the rounds, over each run's own [t0, t1]; \"machine busy\" counts every process "
                + "(other engineers' work included), load avg is the 1-minute load average when the run started.\n");
        b.append("\nPer run:\n\n| run | events | records/s | s | app cores | stream | producer I/O | GC | JIT | RocksDB bg | "
                + "changelog records/event | changelog bytes/event | output bytes/event | repartition records/event | "
                + "commits | RSS at t1 MB | status |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (E2eBench.RunOutcome o : runs) {
            double ms = o.d("seconds") * 1000;
            double ev = Math.max(1, o.l("inputs"));
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %.0f | %.0f | %.2f | %d | %.0f | %s |%n",
                    o.id(), k(o.l("inputs")), k(o.recordsPerSecond()), ms / 1000, o.l("cpu.total") / ms, o.l("cpu.stream") / ms,
                    o.l("cpu.producerIo") / ms, o.l("cpu.gc") / ms, o.l("cpu.jit") / ms, o.l("cpu.rocksdbBackground") / ms,
                    o.l("changelogRecords") / ev, o.l("changelogBytes") / ev, o.l("outputBytes") / ev,
                    o.l("repartitionRecords") / ev, o.l("commits"), o.l("rssT1") / 1e6,
                    o.ok() ? "ok" : o.p().getProperty("status") + " (exit " + o.exitCode() + ")"));
        }
    }

    private String label(String app) {
        return switch (app) {
            case "a" -> "(a) pass-through";
            case "b" -> "(b) streamsgd L1";
            case "f" -> "(f) pass-through + " + options.floorBytes() + " B/event changelogged"
                    + (options.floorStore().equals("none") ? ", no local store" : "");
            default -> "(c) streamsgd L1+L2";
        };
    }

    private void latency(LatencyProbe.Result r, E2eBench.RunOutcome run) {
        b.append("\n## Latency\n\n");
        if (r == null) {
            b.append("Not measured.\n");
            return;
        }
        long[] v = r.visibleMicros();
        long[] ap = r.appendedMicros();
        b.append(String.format(Locale.ROOT, "(b) keyed (one partition), synthetic events produced at %.0f/s (achieved %.0f/s; "
                        + (options.latencyRate() > 0 ? "the rate of --latency-rate" : "half the median (b) keyed synthetic throughput")
                        + "; producer at Kafka's defaults, linger.ms=%d) "
                        + "for %d s after a %d s warm-up; %,d predictions "
                        + "measured, %,d of %,d received in all; app CPU %.2f cores, broker %.2f, machine %.2f; load %.2f at start.%n%n",
                r.rate(), r.achievedRate(), LatencyProbe.LINGER_MS, options.latencySeconds(), options.latencyWarmup(), v.length, r.received(), r.sent(),
                run.l("cpu.total") / (double) Math.max(1, run.l("endEpochMs") - run.l("t0EpochMs")),
                run.brokerCores(), run.machineCores(), run.loadAtStart()));
        if (runs.isEmpty()) {
            // The broker's JIT warms on the throughput rounds; after none, it compiles during the
            // measurement (0.5 cores, p99 of 0.3 to 5.4 s in the twelfth session's runs at 35,000/s).
            b.append("**No throughput run came before it: the broker was cold.** Compare only with latency runs made "
                    + "the same way (bench/E2E.md, twelfth session).\n\n");
        }
        b.append("| latency | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|\n");
        b.append(String.format(Locale.ROOT, "| visible: send -> read_committed consumer receives the prediction | %.1f | %.1f | %.1f |%n",
                Stats.percentile(v, 50) / 1000.0, Stats.percentile(v, 99) / 1000.0, Stats.percentile(v, 100) / 1000.0));
        b.append(String.format(Locale.ROOT, "| appended: send -> prediction's LogAppendTime (before the commit; 1 ms resolution) | %.1f | %.1f | %.1f |%n",
                Stats.percentile(ap, 50) / 1000.0, Stats.percentile(ap, 99) / 1000.0, Stats.percentile(ap, 100) / 1000.0));
        if (!Double.isNaN(run.d("thread.commit-latency-avg"))) {
            b.append(String.format(Locale.ROOT, "%nThe app's stream thread, by Kafka Streams' own metrics (its last minute or so): "
                            + "commit %.1f ms on average, at most %.1f; poll %.1f / %.1f ms; processing of a polled batch "
                            + "%.2f / %.1f ms; share of time committing %.2f, polling %.2f, processing %.2f.%n%n",
                    run.d("thread.commit-latency-avg"), run.d("thread.commit-latency-max"),
                    run.d("thread.poll-latency-avg"), run.d("thread.poll-latency-max"),
                    run.d("thread.process-latency-avg"), run.d("thread.process-latency-max"),
                    run.d("thread.commit-ratio"), run.d("thread.poll-ratio"), run.d("thread.process-ratio")));
        }
        double p99 = Stats.percentile(v, 99) / 1000.0;
        target("p99 visible latency at half load <= 2 x commit interval (" + 2 * options.commitMs() + " ms)",
                String.format(Locale.ROOT, "%.1f ms", p99), v.length > 0 && p99 <= 2 * options.commitMs() && r.received() == r.sent());
        b.append("\nOne clock for send and receive (the driver JVM); the appended figure compares with the broker's "
                + "wall clock on the same machine. The wait for the transaction commit (up to the commit interval) "
                + "is the gap between the two.\n");
    }

    private void memory(List<E2eBench.RunOutcome> runs) {
        b.append("\n## Memory\n\n");
        List<E2eBench.RunOutcome> mem = runs.stream().filter(o -> !o.spec().app().equals("a")).toList();
        E2eBench.RunOutcome control = runs.stream().filter(o -> o.spec().app().equals("a") && o.ok()).findFirst().orElse(null);
        if (mem.isEmpty()) {
            b.append("Not measured.\n");
            return;
        }
        b.append("(b) over the `fresh` data set (one-partition topic; every event brings 100 features never seen "
                + "before, so the model grows by 100 weights per event to the target size), one run per store backend. Baseline after a full GC just before the "
                + "first records (empty model); end after the last commit; per weight = divided by the stored weight "
                + "entries at the end. The model is then snapshotted (sealed: exact nonzero count), as periodic snapshots "
                + "are, then again as a clean shutdown does (a final snapshot, then a full checkpoint of the store), and "
                + "Kafka Streams closed; the RocksDB files are measured after that close and again after a full manual compaction "
                + "with the service's options (its blob files; each blob file's live values relocated). The control is (a) over the same events: how much the JVM grows "
                + "without a model.\n\n");
        b.append("| | ").append(String.join(" | ", mem.stream().map(o -> o.spec().store()).toList())).append(" |\n|---|");
        b.append("---:|".repeat(mem.size())).append('\n');
        row(mem, "records/s (GC at start, sampler on)", o -> k(o.recordsPerSecond()));
        row(mem, "stored weight entries at the end", o -> String.format(Locale.ROOT, "%,d", o.l("stored")));
        row(mem, "nonzero weights after the snapshot", o -> String.format(Locale.ROOT, "%,d", o.l("nonzeros")));
        row(mem, "RSS at start -> end (MB)", o -> String.format(Locale.ROOT, "%.0f -> %.0f", o.l("rssBase") / 1e6, o.l("rssT1") / 1e6));
        row(mem, "**RSS growth per stored weight**", o -> String.format(Locale.ROOT, "**%.0f B**", perWeight(o, o.l("rssT1") - o.l("rssBase"))));
        if (control != null) {
            row(mem, "RSS growth beyond the pass-through's over the same events, per stored weight", o -> String.format(Locale.ROOT, "%.0f B",
                    perWeight(o, (o.l("rssT1") - o.l("rssBase")) - (control.l("rssT1") - control.l("rssBase")))));
        }
        row(mem, "RSS per weight, marginal (slope over the second half)", o -> String.format(Locale.ROOT, "%.0f B", o.d("rssSlopeSecondHalf")));
        row(mem, "peak RSS (MB)", o -> String.format(Locale.ROOT, "%.0f", o.l("peakRss") / 1e6));
        row(mem, "heap committed, start -> end (MB)", o -> String.format(Locale.ROOT, "%.0f -> %.0f", o.l("heapCommittedT0") / 1e6, o.l("heapCommittedT1") / 1e6));
        row(mem, "off-heap RSS (RSS - committed heap) growth per stored weight", o -> String.format(Locale.ROOT, "%.0f B",
                perWeight(o, (o.l("rssT1") - o.l("heapCommittedT1")) - (o.l("rssT0") - o.l("heapCommittedT0")))));
        row(mem, "heap after GC, start -> end (MB)", o -> String.format(Locale.ROOT, "%.0f -> %.0f", o.l("heapBaseAfterGc") / 1e6, o.l("heapEndAfterGc") / 1e6));
        row(mem, "heap growth per stored weight", o -> String.format(Locale.ROOT, "%.0f B", perWeight(o, o.l("heapEndAfterGc") - o.l("heapBaseAfterGc"))));
        row(mem, "changelog records / bytes sent per event", o -> String.format(Locale.ROOT, "%.1f / %.0f B",
                (double) o.l("changelogRecords") / o.l("inputs"), (double) o.l("changelogBytes") / o.l("inputs")));
        row(mem, "snapshot of the whole model: wall time, bytes", o -> String.format(Locale.ROOT, "%d ms, %.1f MB",
                o.l("snapshotWallMs"), o.l("snapshotBytes") / 1e6));
        row(mem, "final snapshot, then a full checkpoint (a clean shutdown's): wall time", o -> o.p().getProperty("finalSnapshotWallMs") == null
                ? "not taken" : String.format(Locale.ROOT, "%d ms", o.l("finalSnapshotWallMs")));
        E2eBench.RunOutcome rocks = mem.stream().filter(o -> o.spec().store().equals("rocksdb")).findFirst().orElse(null);
        if (rocks != null && rocks.p().getProperty("weights.weightEntries") != null) {
            long w = rocks.l("weights.weightEntries");
            double entry = (double) (rocks.l("weights.weightKeyBytes") + rocks.l("weights.weightValueBytes")) / w;
            long n = Math.max(1, rocks.l("weights.nameEntries"));
            double names = (double) (rocks.l("weights.nameKeyBytes") + rocks.l("weights.nameValueBytes")) / n;
            b.append(String.format(Locale.ROOT, "%nRocksDB store files (%s; %s):%n%n", rocks.p().getProperty("weights.options"),
                    rocks.l("weights.stores") + " task store(s)"));
            b.append("| | weight pages | name chunks |\n|---|---:|---:|\n");
            b.append(String.format(Locale.ROOT, "| store entries (pages, name chunks, deltas, checkpoint) | %,d (%,d weights) | %,d names |%n",
                    rocks.l("weights.entries"), w, rocks.l("weights.nameEntries")));
            b.append(String.format(Locale.ROOT, "| serialized key + value per weight / name | **%.1f B** (key %.1f + value %.1f) | %.1f B (key %.1f + value %.1f) |%n",
                    entry, (double) rocks.l("weights.weightKeyBytes") / w, (double) rocks.l("weights.weightValueBytes") / w, names,
                    (double) rocks.l("weights.nameKeyBytes") / n, (double) rocks.l("weights.nameValueBytes") / n));
            b.append(String.format(Locale.ROOT, "| SST and blob file bytes of the whole store (pages, names, deltas), per weight: after close | %.1f MB (%.1f B) | |%n",
                    rocks.l("weights.sstAfterClose") / 1e6, (double) rocks.l("weights.sstAfterClose") / w));
            b.append(String.format(Locale.ROOT, "| the same after a full compaction | %.1f MB (%.1f B) | |%n",
                    rocks.l("weights.sstAfterCompaction") / 1e6, (double) rocks.l("weights.sstAfterCompaction") / w));
            target("serialized store entry <= 40 B per weight (names apart)", String.format(Locale.ROOT, "%.1f B (+%.1f B per name in its chunk)", entry, names), w > 0 && entry > 0 && entry <= 40);
        }
        if (control != null) {
            b.append(String.format(Locale.ROOT, "%nThe control, (a) pass-through over the same events (%s records/s): RSS %.0f -> %.0f MB, "
                    + "heap committed %.0f -> %.0f MB, heap after GC %.0f -> %.0f MB.%n", k(control.recordsPerSecond()),
                    control.l("rssBase") / 1e6, control.l("rssT1") / 1e6, control.l("heapCommittedT0") / 1e6,
                    control.l("heapCommittedT1") / 1e6, control.l("heapBaseAfterGc") / 1e6, control.l("heapEndAfterGc") / 1e6));
        }
        for (E2eBench.RunOutcome o : mem) {
            if (!o.ok()) {
                target("RSS growth <= 100 B per weight, " + o.spec().store() + " store", "FAILED: " + o.p().getProperty("status"), false);
                continue;
            }
            double g = perWeight(o, o.l("rssT1") - o.l("rssBase"));
            target("RSS growth <= 100 B per weight, " + o.spec().store() + " store", String.format(Locale.ROOT, "%.0f B", g), g <= 100);
        }
    }

    private static double perWeight(E2eBench.RunOutcome o, long bytes) {
        return (double) bytes / Math.max(1, o.l("stored"));
    }

    private void row(List<E2eBench.RunOutcome> mem, String name, java.util.function.Function<E2eBench.RunOutcome, String> f) {
        b.append("| ").append(name).append(" |");
        for (E2eBench.RunOutcome o : mem) {
            b.append(' ').append(o.ok() ? f.apply(o) : "FAILED: " + o.p().getProperty("status")).append(" |");
        }
        b.append('\n');
    }

    private void profile(String dataset, String text) {
        b.append("\n## Profile: (b) streamsgd L1, keyed, ").append(dataset).append("\n\n")
                .append("JFR's Java samples are measured; its native shares (RocksDB, sends) are estimates from a few "
                        + "native samples and have overstated RocksDB several times over (async-profiler, which samples "
                        + "native frames too, puts it at about 3%). For native code, profile with async-profiler: "
                        + "E2E_APP_JVM_OPTIONS and bench/collapsed-summary.py, see bench/E2E.md.\n\n")
                .append(text);
    }

    private void target(String what, String measured, boolean met) {
        targets.add(new String[] {what, measured, met ? "met" : "**not met**"});
    }

    private void targets() {
        b.append("\n## Targets\n\n| target | measured | |\n|---|---|---|\n");
        for (String[] t : targets) {
            b.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" |\n");
        }
    }

    private static String k(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }
}
