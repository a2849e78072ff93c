package io.streamsgd.cli;

import io.streamsgd.app.Demo;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code streamsgd demo}: the one-command main job ({@link Demo}). Status lines and logs go to
 * stderr; the last stdout line is the JSON summary. Ctrl-C (or SIGTERM) ends the stream early and
 * shuts everything down cleanly, the summary still printed: the shutdown hook asks the demo to
 * stop and waits (up to two minutes) for it to finish.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole thing in one process: an embedded Kafka broker, the service with an L1 and an L2"
                + " model side by side, and a producer replaying a synthetic sparse stream (100,000 features, 50"
                + " relevant). Prints a status line each second on stderr and serves /metrics; the last stdout line"
                + " is a JSON summary: {\"models\":{\"l1\":{\"events\",\"meanLoss\",\"nonzeros\",\"version\","
                + "\"relevantFound\"},...},\"produced\",\"seconds\",\"eventsPerSecond\",\"truth\"}.",
            "Needs nothing installed but Java: no Kafka, no network."})
public final class DemoCommand implements Callable<Integer> {
    private static final long SHUTDOWN_WAIT_MINUTES = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--events", paramLabel = "N", defaultValue = "" + Demo.DEFAULT_EVENTS,
            description = "Events to replay (default: ${DEFAULT-VALUE}, about a minute on two cores).")
    long events;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
            description = "Events per second to produce; 0 for as fast as the service keeps up (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the synthetic stream (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "9404",
            description = "Port of /metrics and /health on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--keep-running",
            description = "Keep the broker and service up after the stream ends (for Prometheus/Grafana), until Ctrl-C.")
    boolean keepRunning;

    @Override
    public Integer call() {
        if (events < 1) {
            throw new ParameterException(spec.commandLine(), "--events must be >= 1, got " + events);
        }
        if (metricsPort < 0 || metricsPort > 65_535) {
            throw new ParameterException(spec.commandLine(), "--metrics-port must be in [0, 65535], got " + metricsPort);
        }
        PrintWriter err = spec.commandLine().getErr();
        Demo demo = new Demo(new Demo.Options(events, rate, seed, metricsPort, keepRunning), err, System.console() != null);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            demo.requestStop();
            try {
                finished.await(SHUTDOWN_WAIT_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "streamsgd-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            String summary = demo.run();
            PrintWriter out = spec.commandLine().getOut();
            out.println(summary);
            out.flush();
            return 0;
        } catch (UncheckedIOException e) {
            boolean port = String.valueOf(e.getMessage()).contains("metrics.port");
            err.println("demo: " + e.getMessage() + (port ? " (--metrics-port 0 picks a free port)" : ""));
            return 1;
        } catch (IllegalStateException e) {
            err.println("demo: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("demo: interrupted");
            return 1;
        } finally {
            finished.countDown();
            removeHook(hook);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: it returns as soon as it sees `finished`.
        }
    }
}
