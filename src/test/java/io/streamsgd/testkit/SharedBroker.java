package io.streamsgd.testkit;

import io.streamsgd.app.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.Properties;

/**
 * One embedded broker per test JVM, shared by every integration test class so that each pays
 * the start-up (a few seconds) at most once. It starts on first use and stops, deleting its
 * temporary directory, in a JVM shutdown hook.
 *
 * <p>Tests share it, so they must use their own topic names and application ids. A test that
 * needs to stop or restart a broker builds its own {@link EmbeddedKafkaBroker}; this class hands
 * out only the address, never the broker.
 */
public final class SharedBroker {
    private static EmbeddedKafkaBroker broker;

    private SharedBroker() {
    }

    /** {@code 127.0.0.1:<port>} of the shared broker, starting it if needed. */
    public static synchronized String bootstrapServers() {
        if (broker == null) {
            EmbeddedKafkaBroker started = EmbeddedKafkaBroker.builder().build();
            try {
                started.start();
            } catch (RuntimeException e) {
                started.close(); // deletes the temporary directory; the next caller tries again
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-kafka-broker-stop"));
            broker = started;
        }
        return broker.bootstrapServers();
    }

    /** Creates topics with one partition on the shared broker; see {@link Topics#create}. */
    public static void createTopics(String... names) {
        createTopics(1, names);
    }

    /** Creates topics with {@code partitions} partitions on the shared broker; see {@link Topics#create}. */
    public static void createTopics(int partitions, String... names) {
        Topics.create(bootstrapServers(), partitions, names);
    }

    /**
     * The settings of a service on the shared broker whose application id and topics all start
     * with {@code prefix} ({@code <prefix>app}, {@code <prefix>events}, ...), state in
     * {@code stateDir}; a test adds its models and the rest.
     */
    public static Properties serviceSettings(String prefix, Path stateDir) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        p.put("application.id", prefix + "app");
        p.put("state.dir", stateDir.toString());
        p.put("topics.events", prefix + "events");
        p.put("topics.predictions", prefix + "predictions");
        p.put("topics.models", prefix + "models");
        p.put("topics.dead-letters", prefix + "dead-letters");
        return p;
    }
}
