package io.streamsgd.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service as a user runs it: {@code java -jar target/streamsgd.jar run --config FILE} in a
 * child JVM, with its stdout and stderr in files. Starts with a configuration, waits for
 * {@code /health}, reads {@code /metrics}, and ends with SIGKILL ({@link #kill()}, a crash) or
 * SIGTERM ({@link #terminate}, a clean shutdown with final snapshots).
 *
 * <p>{@code metrics.port} is forced to 0 (a free port) and the port is read from the service's
 * log line {@code Serving /metrics and /health at http://host:port}, so instances never collide.
 * The jar comes from the system property {@code streamsgd.jar}, which failsafe sets; a test run
 * without it fails with a message saying so, never skips.
 *
 * <p>{@link #close()} kills the process if it is still alive, so a failing test leaves no JVM
 * behind. Not thread-safe, except {@link #health()} and {@link #metrics()}, which any thread may call.
 */
public final class ServiceProcess implements AutoCloseable {
    /** 128 + SIGTERM: the JVM ran its shutdown hooks and exited because of the signal. */
    public static final int EXIT_ON_SIGTERM = 143;
    private static final Pattern SERVING = Pattern.compile("Serving /metrics and /health at http://[^:]+:(\\d+)");
    private static final Duration PORT_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long startedNanos = System.nanoTime();
    private volatile int port = -1;

    private ServiceProcess(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The executable jar under test, from the system property {@code streamsgd.jar}. */
    public static Path jar() {
        String jar = System.getProperty("streamsgd.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property streamsgd.jar must name the built jar (failsafe sets it;"
                    + " run through mvn verify), got " + jar);
        }
        return Path.of(jar);
    }

    /**
     * Writes {@code config} to {@code dir/<name>.properties} and starts {@code run --config} on it
     * in a child JVM with {@code -Xmx<heapMb>m}. Returns at once; see {@link #awaitHealthy}.
     */
    public static ServiceProcess start(String name, Properties config, Path dir) {
        return start(name, config, dir, 768);
    }

    public static ServiceProcess start(String name, Properties config, Path dir, int heapMb) {
        try {
            Files.createDirectories(dir);
            Properties p = new Properties();
            p.putAll(config);
            p.put("metrics.port", "0");
            Path file = dir.resolve(name + ".properties");
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, "ServiceProcess " + name);
            }
            Path out = dir.resolve(name + ".stdout.txt");
            Path err = dir.resolve(name + ".stderr.txt");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heapMb + "m", "-XX:+UseSerialGC",
                    "-XX:+ExitOnOutOfMemoryError", "-jar", jar().toString(), "run", "--config", file.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            // The configuration file is the whole configuration: no STREAMSGD_* from the test's environment.
            builder.environment().keySet().removeIf(k -> k.startsWith("STREAMSGD_"));
            log("%s: starting (%s)", name, file);
            return new ServiceProcess(name, builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start service " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The HTTP port, once the service has logged it; waits up to a minute. */
    public int port() {
        long deadline = System.nanoTime() + PORT_TIMEOUT.toNanos();
        while (port < 0) {
            Matcher m = SERVING.matcher(readQuietly(stderr));
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                break;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue()
                        + " before serving HTTP; log:\n" + logTail(60));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not log its HTTP port within " + PORT_TIMEOUT + "; log:\n"
                        + logTail(60));
            }
            sleep(50);
        }
        return port;
    }

    /** True once the port is known (the HTTP server is up; Kafka Streams may still be starting). */
    public boolean portKnown() {
        if (port < 0 && process.isAlive()) {
            Matcher m = SERVING.matcher(readQuietly(stderr));
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            }
        }
        return port >= 0;
    }

    /** Waits until {@code /health} answers 200 (Kafka Streams RUNNING). */
    public ServiceProcess awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        port();
        while (health() != 200) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it was healthy; log:\n"
                        + logTail(80));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " not healthy within " + timeout + " (last /health " + health()
                        + "); log:\n" + logTail(80));
            }
            sleep(100);
        }
        log("%s: healthy %d ms after start", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
        return this;
    }

    /** Waits until {@code /health} reports Kafka Streams {@code RUNNING}: not starting, not rebalancing. */
    public ServiceProcess awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        port();
        String state = "";
        while (!state.equals("RUNNING")) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before RUNNING; log:\n"
                        + logTail(80));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " not RUNNING within " + timeout + " (last state " + state + "); log:\n"
                        + logTail(80));
            }
            sleep(100);
            state = state();
        }
        return this;
    }

    /** The Kafka Streams state that {@code /health} reports, or "" if it does not answer. */
    public String state() {
        try {
            return Http.get(port(), "/health").body().strip();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The status code of {@code /health}, or -1 if it does not answer (not up yet, or gone). */
    public int health() {
        if (port < 0) {
            return -1;
        }
        try {
            return Http.get(port, "/health").statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body of {@code /metrics}. */
    public String metrics() {
        try {
            HttpResponse<String> r = Http.get(port(), "/metrics");
            if (r.statusCode() != 200) {
                throw new AssertionError(name + " /metrics answered " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            try {
                process.waitFor(2, TimeUnit.SECONDS); // a process on its way out: let it finish its log
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            throw new AssertionError(name + " /metrics did not answer: " + e + (process.isAlive() ? ""
                    : "; the process exited with " + process.exitValue()) + "; log:\n" + logTail(80), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** One sample of {@code /metrics}, e.g. {@code ("streamsgd_events_total", "model=\"l1\",outcome=\"trained\"")}. */
    public double sample(String metric, String labels) {
        return Http.sample(metrics(), metric, labels);
    }

    /** {@code streamsgd_events_total{model,outcome="trained"}}: the model's exact stored count. */
    public long trained(String model) {
        return (long) sample("streamsgd_events_total", "model=\"" + model + "\",outcome=\"trained\"");
    }

    /**
     * Polls a sample until {@code condition} holds.
     *
     * @throws AssertionError with the last value and the log if it does not within the timeout or the process dies
     */
    public double awaitSample(String metric, String labels, DoublePredicate condition, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        double last = Double.NaN;
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " while waiting for " + what
                        + " (last " + metric + "{" + labels + "} = " + last + "); log:\n" + logTail(80));
            }
            last = sample(metric, labels);
            if (condition.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": no " + what + " within " + timeout + "; " + metric + "{" + labels
                        + "} = " + last + "; log:\n" + logTail(80));
            }
            sleep(100);
        }
    }

    /** Waits until the model's trained count is {@code expected}. */
    public void awaitTrained(String model, long expected, Duration timeout) {
        awaitSample("streamsgd_events_total", "model=\"" + model + "\",outcome=\"trained\"", v -> v >= expected,
                model + " trained " + expected, timeout);
        long now = trained(model);
        if (now != expected) {
            throw new AssertionError(name + ": " + model + " trained " + now + " events, expected exactly " + expected);
        }
    }

    /** SIGKILL: the JVM dies at once, no shutdown hook, nothing flushed or committed. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " did not die within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        log("%s: killed (SIGKILL) after %d ms", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
    }

    /**
     * SIGTERM and wait: the service writes its final snapshots, commits and exits.
     *
     * @return the exit code ({@link #EXIT_ON_SIGTERM} for a clean shutdown)
     */
    public int terminate(Duration timeout) {
        long begin = System.nanoTime();
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + " of SIGTERM; log:\n" + logTail(60));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        log("%s: exited with %d %d ms after SIGTERM", name, process.exitValue(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        return process.exitValue();
    }

    /** The whole log (stderr). */
    public String log() {
        return readQuietly(stderr);
    }

    /** The last {@code lines} lines of the log (stderr), for failure messages. */
    public String logTail(int lines) {
        List<String> all = readQuietly(stderr).lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** What the process wrote to stdout. */
    public String stdout() {
        return readQuietly(stdout);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Sleeps, turning an interrupt into a test failure (the flag restored). */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A line on the test's stdout, so the failsafe report shows the run's timeline. */
    public static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%tT] " + format + "%n", prepend(System.currentTimeMillis(), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
