package io.streamsgd.app;

import io.streamsgd.metrics.ServiceMetrics;
import io.streamsgd.stream.SnapshotTrigger;
import io.streamsgd.stream.StreamSgdTopology;
import io.streamsgd.stream.TopologyConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of the streamsgd service: the Kafka Streams topology with its metrics and HTTP
 * endpoints, started and stopped as a unit.
 *
 * <p>{@link #start()}:
 * <ol>
 *   <li>opens the metrics registry and the HTTP server first, so {@code /health} answers 503
 *       while starting and a taken port fails fast, before any Kafka work;</li>
 *   <li>creates the four topics if missing ({@code topics.partitions}, {@code topics.replication},
 *       {@code max.message.bytes} from {@link ServiceConfig#largestOutputRecordBytes()});</li>
 *   <li>builds the topology, creates Kafka Streams with the {@link StreamThreadFailureHandler},
 *       binds its client metrics and starts it;</li>
 *   <li>waits until it is {@code RUNNING}; if it is not within {@code startup.timeout.ms}, or it
 *       fails, stops everything and throws {@link IllegalStateException} saying what was seen.</li>
 * </ol>
 * {@link #stop()} (idempotent, safe on a service that never started or failed to): if Kafka
 * Streams is running, asks every trainer for a final snapshot and waits for them (up to
 * {@code shutdown.timeout.ms}) — a processor cannot write from {@code close()}, so this must
 * happen before — then closes Kafka Streams (same timeout), the HTTP server and the metrics. An
 * interrupt during stop does not cut the shutdown short; the flag is restored afterwards. A stop
 * while another thread is starting the service interrupts that start.
 *
 * <p>Thread-safe: start and stop are serialized; {@link #state()} may be called at any time.
 */
public final class StreamSgdService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamSgdService.class);

    private final ServiceConfig config;
    private final SnapshotTrigger trigger = new SnapshotTrigger();
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile ServiceMetrics metrics;
    private volatile HttpEndpoints http;
    private volatile KafkaStreams streams;
    /** Guards {@link #starting}, {@link #started} and {@link #stopRequested}; never held while waiting. */
    private final Object startGuard = new Object();
    private Thread starting;
    private boolean started;
    private volatile boolean stopRequested;
    private boolean stopped;

    public StreamSgdService(ServiceConfig config) {
        this.config = config;
    }

    public ServiceConfig config() {
        return config;
    }

    /**
     * Starts the service and returns once Kafka Streams is {@code RUNNING}.
     *
     * @throws IllegalStateException if it was started before, or it cannot start (the message
     *     says why: port taken, cluster unreachable, topics refused, not RUNNING in time)
     * @throws java.io.UncheckedIOException if the HTTP address cannot be bound
     */
    public synchronized void start() {
        synchronized (startGuard) {
            if (started || stopRequested) {
                throw new IllegalStateException("the service can be started once, and not after stop()");
            }
            started = true;
            starting = Thread.currentThread();
        }
        try {
            doStart();
        } finally {
            synchronized (startGuard) {
                starting = null;
                if (stopRequested) {
                    Thread.interrupted(); // stop()'s interrupt, if it came late, is not the caller's
                }
            }
        }
    }

    private void doStart() {
        long begin = System.nanoTime();
        config.warnings().forEach(log::warn);
        log.info("Starting streamsgd: {}", config.effectiveSettings());
        try {
            TopologyConfig topology = config.topology();
            metrics = new ServiceMetrics(topology.models().keySet());
            http = new HttpEndpoints(config.metricsHost(), config.metricsPort(), metrics::scrape,
                    ServiceMetrics.CONTENT_TYPE, this::state);
            TopicSetup.ensure(config.adminConfig(), List.of(topology.eventsTopic(), topology.predictionsTopic(),
                    topology.modelsTopic(), topology.deadLettersTopic()), config.partitions(), config.replication(),
                    config.createdTopicConfigs(), config.startupTimeout());
            Topology built = StreamSgdTopology.buildTopology(topology, metrics.training(), trigger);
            log.debug("Topology:\n{}", built.describe());
            KafkaStreams created = new KafkaStreams(built, config.streamsProperties());
            created.setUncaughtExceptionHandler(new StreamThreadFailureHandler());
            created.setStateListener(this::onStateChange);
            streams = created;
            metrics.bindKafkaStreams(created);
            created.start();
            awaitRunning();
            log.info("streamsgd running in {} ms: models {} on {}; /metrics and /health on port {}",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), topology.models().keySet(),
                    topology.eventsTopic(), http.port());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException(stopRequested ? "stopped while starting" : "interrupted while starting", e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void awaitRunning() throws InterruptedException {
        Duration timeout = config.startupTimeout();
        // Counted down on RUNNING, and on ERROR or NOT_RUNNING too (terminated): no point waiting then.
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running.getCount() > 0 && terminated.getCount() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("Kafka Streams did not reach RUNNING within " + timeout.toSeconds()
                        + " s (startup.timeout.ms); its state is " + state() + ". Check that the brokers at "
                        + config.bootstrapServers() + " are reachable and the log for errors.");
            }
            running.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
        }
        if (running.getCount() > 0) {
            throw new IllegalStateException("Kafka Streams stopped while starting, in state " + state()
                    + "; see the log for the cause");
        }
    }

    private void onStateChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        log.info("Kafka Streams state {} -> {}", oldState, newState);
        if (newState == KafkaStreams.State.RUNNING) {
            running.countDown();
        } else if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING) {
            terminated.countDown();
        }
    }

    /** The Kafka Streams state, or null before Kafka Streams exists. */
    public KafkaStreams.State state() {
        KafkaStreams s = streams;
        return s == null ? null : s.state();
    }

    /** The metrics of this instance (and the latest model statuses); null before {@link #start()}. */
    public ServiceMetrics metrics() {
        return metrics;
    }

    /** The port of {@code /metrics} and {@code /health}. */
    public int httpPort() {
        HttpEndpoints endpoints = http;
        if (endpoints == null) {
            throw new IllegalStateException("the HTTP server was not started");
        }
        return endpoints.port();
    }

    /**
     * Waits until Kafka Streams has stopped by itself ({@code ERROR}, e.g. after the failure
     * handler shut it down) or been closed.
     *
     * @return the final state, or null if it did not stop within the timeout
     */
    public KafkaStreams.State awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? state() : null;
    }

    /**
     * Asks every model of this instance for a snapshot now and waits until each has written one.
     *
     * @return true if all did within the timeout; false if they did not or Kafka Streams is not running
     */
    public boolean snapshotNow(Duration timeout) throws InterruptedException {
        KafkaStreams.State current = state();
        if (current != KafkaStreams.State.RUNNING && current != KafkaStreams.State.REBALANCING) {
            return false;
        }
        return trigger.await(trigger.request(), timeout);
    }

    /**
     * Final snapshots, then Kafka Streams, the HTTP server and the metrics; see the class comment.
     * Called from another thread while {@link #start()} is in progress (a SIGTERM during start-up),
     * it interrupts the start, which then fails with "stopped while starting" and releases
     * everything, rather than waiting up to {@code startup.timeout.ms} for it.
     */
    public void stop() {
        synchronized (startGuard) {
            stopRequested = true;
            if (starting != null && starting != Thread.currentThread()) {
                starting.interrupt();
            }
        }
        stopOnce();
    }

    private synchronized void stopOnce() {
        if (stopped) {
            return;
        }
        stopped = true;
        boolean interrupted = Thread.interrupted(); // finish the shutdown first, restore the flag after
        try {
            KafkaStreams s = streams;
            if (s != null) {
                interrupted |= !requestFinalSnapshots(s);
                long begin = System.nanoTime();
                if (!s.close(config.shutdownTimeout())) {
                    log.warn("Kafka Streams did not close within {} s", config.shutdownTimeout().toSeconds());
                } else {
                    log.info("Kafka Streams closed in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
                }
            }
            if (http != null) {
                http.close();
            }
            if (metrics != null) {
                metrics.close();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks for and awaits the final snapshots; false if interrupted while waiting (flag cleared). */
    private boolean requestFinalSnapshots(KafkaStreams s) {
        KafkaStreams.State state = s.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            return true; // no thread would serve the request
        }
        long begin = System.nanoTime();
        long request = trigger.requestFinal();
        try {
            if (trigger.await(request, config.shutdownTimeout())) {
                log.info("Final snapshots written in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
            } else {
                log.warn("Not every model wrote its final snapshot within {} s; the last periodic snapshot stands",
                        config.shutdownTimeout().toSeconds());
            }
            return true;
        } catch (InterruptedException e) {
            // Give up waiting for snapshots but still close everything; stop() restores the flag.
            log.warn("Interrupted while waiting for the final snapshots");
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
