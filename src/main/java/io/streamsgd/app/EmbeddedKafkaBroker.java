package io.streamsgd.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft mode, broker and controller in one node) running inside
 * this JVM, for the demo, the {@code broker} command and the integration tests.
 *
 * <p>Contract:
 * <ul>
 *   <li>Both listeners bind to {@code 127.0.0.1} only. The client port and the controller port are
 *       fixed when the object is built (a port of 0 picks a free one) and stay the same for the
 *       life of the object, so {@link #bootstrapServers()} is valid from construction and across
 *       restarts.</li>
 *   <li>{@link #start()} formats the log directory if it holds no {@code meta.properties} yet,
 *       starts the node and returns only once the broker answers a {@code describeCluster}
 *       request; it throws {@link IllegalStateException} if that does not happen within the
 *       start-up timeout. Calling it on a running broker does nothing.</li>
 *   <li>{@link #stop()} shuts the node down in a controlled way (the log directory is marked clean)
 *       and releases both ports. It is idempotent. {@link #start()} may be called again afterwards:
 *       the node reopens the same directory with the same ports, so clients reconnect to the same
 *       address and find their data.</li>
 *   <li>{@link #close()} stops the node and deletes the log directory if this object created it
 *       (no directory was given). A closed broker cannot be started again.</li>
 * </ul>
 * Internal topics have one replica and {@code min.insync.replicas=1}, so transactions and
 * Kafka Streams {@code exactly_once_v2} work on this single node.
 *
 * <p>Thread-safe: start, stop and close are serialized.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    /** Written by {@code StorageTool format}; its presence means the directory is formatted. */
    private static final String META_PROPERTIES = "meta.properties";
    /** Properties this class owns: overriding them would break the single-node wiring. */
    private static final Set<String> RESERVED = Set.of(
            "process.roles", "node.id", "listeners", "advertised.listeners",
            "listener.security.protocol.map", "inter.broker.listener.name",
            "controller.listener.names", "controller.quorum.voters",
            "controller.quorum.bootstrap.servers", "log.dir", "log.dirs", "metadata.log.dir");

    private final int port;
    private final int controllerPort;
    private final Path logDir;
    private final boolean ownsLogDir;
    private final Map<String, String> extraProperties;
    private final Duration startupTimeout;

    private KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafkaBroker(Builder builder) {
        int[] ports = resolvePorts(builder.port);
        this.port = ports[0];
        this.controllerPort = ports[1];
        this.ownsLogDir = builder.logDir == null;
        this.logDir = ownsLogDir ? createTempDir() : builder.logDir.toAbsolutePath();
        this.extraProperties = Map.copyOf(builder.extraProperties);
        this.startupTimeout = builder.startupTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:<port>}, the value for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The client port (never 0). */
    public int port() {
        return port;
    }

    /** The directory holding the metadata log and the topic data. */
    public Path logDir() {
        return logDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Formats the log directory if needed, starts the node and waits until the broker answers.
     *
     * @throws IllegalStateException if the broker is closed, formatting fails, the node fails to
     *     start or it does not answer within the start-up timeout; the node is stopped again
     * @throws UncheckedIOException if the log directory cannot be created
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("broker at " + bootstrapServers() + " is closed");
        }
        if (server != null) {
            return;
        }
        long begin = System.nanoTime();
        Properties props = serverProperties();
        formatIfNeeded(props);
        try {
            server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            server.startup();
        } catch (RuntimeException e) {
            stopQuietly();
            throw new IllegalStateException("cannot start the Kafka broker at " + bootstrapServers()
                    + " (log dir " + logDir + "): " + rootCause(e).getMessage(), e);
        }
        try {
            awaitReady();
        } catch (RuntimeException e) {
            stopQuietly();
            throw e;
        }
        log.info("Kafka broker ready at {} in {} ms (log dir {})", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), logDir);
    }

    /** Controlled shutdown; returns once both ports are released. Does nothing if not running. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer running = server;
        server = null;
        running.shutdown();
        running.awaitShutdown();
        log.info("Kafka broker at {} stopped", bootstrapServers());
    }

    /** Stops the broker and deletes the log directory if this object created it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            if (ownsLogDir) {
                deleteQuietly(logDir);
            }
        }
    }

    private Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + bootstrapServers());
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        // A static voter set rather than `format --standalone`: a dynamic quorum records the
        // controller's host:port in the formatted metadata log, so a later run on the same
        // directory with another (freshly picked) controller port could no longer find its own
        // quorum. With static voters the endpoint is read from this configuration at every start.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("log.dirs", logDir.toString());

        // One node: every internal topic must be satisfiable with a single replica. The
        // transaction-state settings are what transactional producers and exactly_once_v2 need;
        // with the defaults (3 replicas, min ISR 2) InitProducerId never succeeds.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // The default 50 partitions per internal topic are created on first use and cost seconds
        // on a small machine; one node gains nothing from more than a few.
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        // Tests and the demo start one consumer group member at a time: do not wait 3 s for more.
        p.put("group.initial.rebalance.delay.ms", "0");
        // The log cleaner reserves this much heap up front; the 128 MiB default is wasted here.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        // Fewer threads than the defaults (3 network, 8 I/O): one local node on a 2-core machine.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");

        p.putAll(extraProperties);
        return p;
    }

    private void formatIfNeeded(Properties props) {
        if (Files.exists(logDir.resolve(META_PROPERTIES))) {
            return;
        }
        Path configFile = null;
        try {
            Files.createDirectories(logDir);
            // StorageTool reads its configuration only from a file. That file lives outside the
            // log directory, whose contents the broker considers its own.
            configFile = Files.createTempFile("streamsgd-kafka-format-", ".properties");
            try (OutputStream out = Files.newOutputStream(configFile)) {
                props.store(out, "streamsgd embedded broker: storage format");
            }
            format(configFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka log directory " + logDir, e);
        } finally {
            if (configFile != null) {
                deleteQuietly(configFile);
            }
        }
    }

    /**
     * {@code kafka-storage format} with a new cluster id. No {@code --standalone}: the quorum is
     * the static {@code controller.quorum.voters} (see {@link #serverProperties()}).
     */
    private void format(Path configFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {"format", "--cluster-id", Uuid.randomUuid().toString(), "--config", configFile.toString()};
        int exitCode;
        // execute(), never main(): main() exits the JVM.
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(args, printStream);
        } catch (RuntimeException e) { // FormatterException, TerseFailure, configuration errors
            throw new IllegalStateException("formatting " + logDir + " failed: " + e.getMessage()
                    + " " + output.toString(StandardCharsets.UTF_8).strip(), e);
        }
        if (exitCode != 0) {
            throw new IllegalStateException("formatting " + logDir + " failed with exit code " + exitCode
                    + ": " + output.toString(StandardCharsets.UTF_8).strip());
        }
    }

    /** Polls {@code describeCluster} until the broker lists itself or the timeout expires. */
    private void awaitReady() {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "streamsgd-embedded-broker-probe");
        Exception last = null;
        try (Admin admin = Admin.create(adminConfig)) {
            while (true) {
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMs <= 0) {
                    break;
                }
                try {
                    int timeoutMs = (int) Math.min(remainingMs, 5_000);
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                            .nodes().get(timeoutMs, TimeUnit.MILLISECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker at "
                    + bootstrapServers(), e);
        }
        throw new IllegalStateException("Kafka broker at " + bootstrapServers()
                + " did not answer within " + startupTimeout.toMillis() + " ms (log dir " + logDir + ")", last);
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            log.warn("Stopping the Kafka broker at {} after a failed start failed too", bootstrapServers(), e);
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * The client port and the controller port. Free ports are found by binding port 0 on the
     * loopback address; both probes stay open together so the two ports differ.
     */
    private static int[] resolvePorts(int requested) {
        try (ServerSocket first = probe(); ServerSocket second = probe()) {
            if (requested != 0) {
                int controller = first.getLocalPort() != requested ? first.getLocalPort() : second.getLocalPort();
                return new int[] {requested, controller};
            }
            return new int[] {first.getLocalPort(), second.getLocalPort()};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        }
    }

    private static ServerSocket probe() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getByName(HOST));
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("streamsgd-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary Kafka log directory", e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Utils.delete(path.toFile());
        } catch (IOException e) {
            log.warn("Could not delete {}", path, e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", logDir=" + logDir + "]";
    }

    /** Settings of an {@link EmbeddedKafkaBroker}; every one has a default. */
    public static final class Builder {
        private int port;
        private Path logDir;
        private final Map<String, String> extraProperties = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The client port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The log directory, created if missing and kept on close. By default a temporary
         * directory is created and deleted on {@link EmbeddedKafkaBroker#close()}.
         */
        public Builder logDir(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir, "logDir");
            return this;
        }

        /**
         * An extra broker setting, applied over the defaults. The listener, quorum, node and
         * directory settings belong to this class and are rejected.
         */
        public Builder brokerProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException("broker property " + key
                        + " is set by EmbeddedKafkaBroker and cannot be overridden");
            }
            extraProperties.put(key, value);
            return this;
        }

        /** Extra broker settings; see {@link #brokerProperty(String, String)}. */
        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /** How long {@link EmbeddedKafkaBroker#start()} waits for the broker to answer; 60 s by default. */
        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startup timeout must be positive, got " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /** Fixes the ports (picking free ones where needed); does not start anything. */
        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}
