package io.streamsgd.app;

import io.streamsgd.codec.SyntheticEvents;
import io.streamsgd.learn.ModelSnapshot;
import io.streamsgd.stream.ModelStatus;
import io.streamsgd.stream.SnapshotReader;
import io.streamsgd.stream.TopologyConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-command demo: a real single-node Kafka broker in this JVM, the service with an L1 and
 * an L2 model side by side, and a producer replaying a seeded synthetic stream with a known
 * sparse truth ({@link SyntheticEvents}: 100,000 features of which 50 matter).
 *
 * <p>{@link #run()} prints a status line each second to the status stream, and once every
 * event is processed (or a stop is requested) takes a snapshot of both models, reads them back
 * from the models topic, and returns the JSON summary ({@link DemoReport#summary}). With
 * {@code keepRunning} the broker and service then stay up, serving {@code /metrics}, until
 * {@link #requestStop()}. Everything is shut down and the temporary directories deleted before
 * {@code run} returns.
 *
 * <p>The two models use the constant schedule (plain SGD, eta0 0.1), with which truncated
 * gradient shows its point plainly on this stream: measured offline with {@code learn} over
 * 200,000 events, L1 (g = 1e-3) keeps about 2,700 weights (49 of the 50 relevant) at a mean loss
 * of 0.310, L2 (lambda = 1e-3) keeps all 99,755 features seen at 0.320.
 */
public final class Demo {
    /**
     * Events replayed by default: about a minute on two cores, broker and producer included (all
     * three take 1.3 ms of CPU per event together, measured; start-up takes 5 to 10 s).
     */
    public static final long DEFAULT_EVENTS = 60_000;
    /** The models and their settings, as {@code run} would read them from a file. */
    static final Map<String, String> MODEL_SETTINGS = Map.of(
            "models", "l1,l2",
            "model.l1.schedule", "constant",
            "model.l1.l1", "1e-3",
            "model.l2.schedule", "constant",
            "model.l2.l2", "1e-3",
            "model.l1.snapshot.events", "0",
            "model.l1.snapshot.interval.ms", "5000",
            "model.l2.snapshot.events", "0",
            "model.l2.snapshot.interval.ms", "5000");
    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    /** If no event is processed for this long, the demo gives up instead of hanging. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param events events to replay
     * @param rate events a second, 0 for as fast as the service takes them
     * @param seed seed of the synthetic stream
     * @param metricsPort port of {@code /metrics} and {@code /health} (0: a free one)
     * @param keepRunning keep serving after the stream ends, until a stop is requested
     */
    public record Options(long events, double rate, long seed, int metricsPort, boolean keepRunning) {
        public Options {
            if (events < 1) {
                throw new IllegalArgumentException("events must be >= 1, got " + events);
            }
        }
    }

    private final Options options;
    private final PrintWriter status;
    private final boolean overwriteStatus;
    private volatile boolean stopRequested;

    /**
     * @param status where the status lines go (stderr)
     * @param overwriteStatus rewrite one line with {@code \r} (a terminal) rather than print a line each second
     */
    public Demo(Options options, PrintWriter status, boolean overwriteStatus) {
        this.options = options;
        this.status = status;
        this.overwriteStatus = overwriteStatus;
    }

    /** Ends the stream early (or the wait of {@code keepRunning}); {@link #run()} then shuts down. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Runs the demo to the end; see the class comment.
     *
     * @return the JSON summary
     * @throws IllegalStateException if the broker or service cannot start, or processing stalls
     */
    public String run() throws InterruptedException {
        long begin = System.nanoTime();
        Path stateDir = createTempDir();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build()) {
            broker.start();
            StreamSgdService service = new StreamSgdService(
                    ServiceConfig.of(settings(broker.bootstrapServers(), stateDir, options.metricsPort()), "demo settings",
                            Map.of()));
            try {
                service.start();
                status.printf("Kafka broker at %s; metrics at http://127.0.0.1:%d/metrics%n", broker.bootstrapServers(),
                        service.httpPort());
                return replay(broker.bootstrapServers(), service, begin);
            } finally {
                service.stop();
            }
        } finally {
            deleteQuietly(stateDir);
        }
    }

    private String replay(String bootstrapServers, StreamSgdService service, long begin) throws InterruptedException {
        TopologyConfig topology = service.config().topology();
        SyntheticEvents events = new SyntheticEvents(options.seed(), SyntheticEvents.Shape.DEFAULT);
        DemoReport report = new DemoReport();
        long produced;
        try (EventSender sender = new EventSender(bootstrapServers, topology.eventsTopic(), Map.of())) {
            Thread producer = new Thread(() -> produce(events, sender), "streamsgd-demo-producer");
            producer.setDaemon(true);
            producer.start();
            try {
                produced = follow(service, sender, producer, report);
            } finally {
                stopRequested |= producer.isAlive(); // an error in follow(): stop the producer too
                producer.join(TimeUnit.MINUTES.toMillis(1));
            }
            if (sender.failed() > 0) {
                throw new IllegalStateException(sender.failed() + " events could not be produced: " + sender.firstError());
            }
        }
        Map<String, ModelSnapshot> snapshots = new LinkedHashMap<>();
        if (service.snapshotNow(Duration.ofSeconds(30))) {
            Map<String, ModelStatus> statuses = statuses(service);
            for (String model : topology.models().keySet()) {
                SnapshotReader.awaitVersion(bootstrapServers, topology.modelsTopic(), model,
                        statuses.get(model).version(), Duration.ofSeconds(30)).ifPresent(s -> snapshots.put(model, s));
            }
        }
        String summary = DemoReport.summary(statuses(service), snapshots, events.truth().keySet(),
                events.shape().features(), produced, (System.nanoTime() - begin) / 1e9);
        if (options.keepRunning() && !stopRequested) {
            status.println(summary);
            status.printf("Stream done; broker and service keep running (metrics at http://127.0.0.1:%d/metrics)."
                    + " Ctrl-C to stop.%n", service.httpPort());
            while (!stopRequested) {
                Thread.sleep(200);
            }
        }
        return summary;
    }

    /** The producer thread: replays the stream at the configured rate until done or stopped. */
    private void produce(SyntheticEvents events, EventSender sender) {
        RateLimiter limiter = new RateLimiter(options.rate());
        try {
            for (long i = 0; i < options.events() && !stopRequested; i++) {
                limiter.acquire();
                sender.send(null, events.next());
            }
            sender.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the thread ends here
        } catch (RuntimeException e) {
            log.error("The demo producer failed", e);
            stopRequested = true;
        }
    }

    /**
     * Prints a status line each second until every produced event is processed by every model
     * (or a stop is requested). Returns the events produced.
     */
    private long follow(StreamSgdService service, EventSender sender, Thread producer, DemoReport report)
            throws InterruptedException {
        long lastProgressNanos = System.nanoTime();
        long lastProcessed = -1;
        while (true) {
            Thread.sleep(1000);
            Map<String, ModelStatus> statuses = statuses(service);
            long produced = sender.acknowledged();
            long processed = statuses.values().stream().mapToLong(s -> s.trained() + s.predicted()).min().orElse(0);
            printStatus(report.statusLine(produced, options.events(), statuses, System.nanoTime()));
            boolean producerDone = !producer.isAlive();
            if (stopRequested || (producerDone && processed >= produced)) {
                if (overwriteStatus) {
                    status.println();
                }
                return produced;
            }
            if (processed != lastProcessed) {
                lastProcessed = processed;
                lastProgressNanos = System.nanoTime();
            } else if (System.nanoTime() - lastProgressNanos > STALL_TIMEOUT.toNanos()) {
                throw new IllegalStateException("no event processed for " + STALL_TIMEOUT.toSeconds() + " s ("
                        + processed + " of " + produced + " produced); Kafka Streams is " + service.state());
            }
        }
    }

    private void printStatus(String line) {
        if (overwriteStatus) {
            status.print("\r" + line + "\u001b[K"); // erase what a longer previous line left
        } else {
            status.println(line);
        }
        status.flush();
    }

    private static Map<String, ModelStatus> statuses(StreamSgdService service) {
        Map<String, ModelStatus> statuses = new LinkedHashMap<>();
        for (String model : service.metrics().training().models()) {
            Optional<ModelStatus> s = service.metrics().training().latest(model);
            statuses.put(model, s.orElse(new ModelStatus(model, 0, 0, 0, 0.0, 0, Double.NaN, Double.NaN, 0, 0, 0.0,
                    0.0, 0)));
        }
        return statuses;
    }

    /** The service settings of the demo. */
    static Properties settings(String bootstrapServers, Path stateDir, int metricsPort) {
        Properties p = new Properties();
        p.putAll(MODEL_SETTINGS);
        p.put("bootstrap.servers", bootstrapServers);
        p.put("application.id", "streamsgd-demo");
        p.put("state.dir", stateDir.toString());
        p.put("metrics.port", String.valueOf(metricsPort));
        // One partition keeps events in produce order for both models, as `learn` would see them,
        // which also makes the repartition hop unnecessary.
        p.put("topics.partitions", "1");
        p.put("input.keyed-by-model", "true");
        // A 1 s commit interval instead of 100 ms: each model writes one delta per commit, so a
        // frequent feature's weight is written once a second instead of ten times, and there are
        // a tenth of the transactions. Predictions become visible to read_committed consumers up
        // to a second later, which the demo does not mind.
        p.put("kafka.commit.interval.ms", "1000");
        // One produce request in flight: when a commit is slow, pipelined batches of the next
        // transaction otherwise reach the broker before its first one and are rejected (then
        // retried) with an ERROR in the broker's log (transactions v2, KAFKA-18202).
        p.put("kafka.producer.max.in.flight.requests.per.connection", "1");
        return p;
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("streamsgd-demo-state-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary state directory", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}
