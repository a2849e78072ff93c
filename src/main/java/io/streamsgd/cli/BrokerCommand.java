package io.streamsgd.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.streamsgd.app.EmbeddedKafkaBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code streamsgd broker}: runs a single-node Kafka broker in this process until the process is
 * terminated (SIGTERM, Ctrl-C).
 *
 * <p>Once the broker accepts requests, exactly one line goes to standard output,
 * {@code bootstrap.servers=127.0.0.1:<port>}, so scripts can wait for it; logs go to standard
 * error. On termination a shutdown hook stops the broker in a controlled way (and deletes the
 * temporary directory if no {@code --dir} was given).
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run a single-node Kafka broker (KRaft) on 127.0.0.1 until terminated.")
public final class BrokerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
            description = "Client port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Log directory, formatted on first use and kept "
                    + "(default: a temporary directory deleted on exit).")
    Path dir;

    @Override
    public Integer call() {
        if (port < 0 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be in [0, 65535], got " + port);
        }
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder().port(port);
        if (dir != null) {
            builder.logDir(dir);
        }
        EmbeddedKafkaBroker broker = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "streamsgd-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            broker.start();
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("streamsgd broker: " + e.getMessage());
            removeHookAndClose(hook, broker);
            return 1;
        }

        PrintWriter out = spec.commandLine().getOut();
        out.println("bootstrap.servers=" + broker.bootstrapServers());
        out.flush();
        try {
            // Only the shutdown hook counts down: the broker runs until the JVM is terminated.
            stopped.await();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            removeHookAndClose(hook, broker);
            return 1;
        }
    }

    private static void removeHookAndClose(Thread hook, EmbeddedKafkaBroker broker) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return; // the hook is already running and closes the broker itself
        }
        broker.close();
    }
}
