package io.streamsgd.cli;

import io.streamsgd.app.ConfigException;
import io.streamsgd.app.ConfigReference;
import io.streamsgd.app.ServiceConfig;
import io.streamsgd.app.StreamSgdService;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamsgd run}: the service against a Kafka cluster until SIGTERM / Ctrl-C, which shuts
 * it down cleanly (final snapshots first). Exit codes: 2 for a bad configuration (the message
 * names the key), 1 if the service cannot start or Kafka Streams stops by itself (state
 * {@code ERROR}, see {@code StreamThreadFailureHandler}), so an orchestrator restarts it; a
 * terminated JVM exits with the signal's code.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the service against a Kafka cluster until terminated.",
            "Configuration: a properties file (--config), each key overridable by an environment variable"
                    + " STREAMSGD_<KEY> (upper case, '.' and '-' as '_'); without --config, defaults and the environment."})
public final class RunCommand implements Callable<Integer> {
    private static final long SHUTDOWN_WAIT_MINUTES = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "The service's properties file.")
    Path config;

    @Option(names = "--print-config-reference", description = "Print every configuration key (Markdown) and exit.")
    boolean printReference;

    /** The environment the configuration reads; a field so tests can give their own. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (printReference) {
            spec.commandLine().getOut().print(ConfigReference.markdown());
            spec.commandLine().getOut().flush();
            return 0;
        }
        ServiceConfig serviceConfig;
        try {
            serviceConfig = config != null ? ServiceConfig.load(config, environment)
                    : ServiceConfig.fromEnvironment(environment);
        } catch (ConfigException e) {
            err.println("run: " + e.getMessage());
            return 2;
        }
        StreamSgdService service = new StreamSgdService(serviceConfig);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean signalled = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            signalled.set(true); // before stop(): the main thread wakes when Kafka Streams closes
            service.stop();
            stopped.countDown();
        }, "streamsgd-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            service.start();
        } catch (IllegalStateException | UncheckedIOException e) {
            err.println("run: " + e.getMessage());
            removeHook(hook);
            return 1;
        }
        KafkaStreams.State end = null;
        while (end == null) {
            end = service.awaitTermination(Duration.ofDays(1));
        }
        if (signalled.get()) {
            stopped.await(SHUTDOWN_WAIT_MINUTES, TimeUnit.MINUTES);
            return 0; // terminated by a signal; the JVM exits with the signal's code anyway
        }
        err.println("run: Kafka Streams stopped in state " + end + "; see the log above for the cause");
        removeHook(hook);
        service.stop();
        return 1;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and stops the service itself
        }
    }
}
