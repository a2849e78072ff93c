package io.streamsgd.cli;

import static io.streamsgd.testkit.TestClients.readCommitted;
import static io.streamsgd.testkit.TestClients.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.streamsgd.testkit.TestClients;
import io.streamsgd.testkit.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code streamsgd broker} in a child JVM, as a user would, and terminates it with SIGTERM. */
class BrokerCommandIT {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    /** 128 + SIGTERM: the JVM ran its shutdown hooks and exited because of the signal. */
    private static final int EXIT_ON_SIGTERM = 143;

    @Test
    void shouldServeClientsUntilSigtermThenShutDownCleanly(@TempDir Path tmp) throws Exception {
        int port = freePort();
        Path dir = tmp.resolve("kafka"); // does not exist yet: the command creates and formats it
        Path stdout = tmp.resolve("stdout.txt");
        Path stderr = tmp.resolve("stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                StreamSgd.class.getName(), "broker", "--port", String.valueOf(port), "--dir", dir.toString())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            long begin = System.nanoTime();
            String bootstrap = awaitBootstrapLine(process, stdout, stderr);
            log("ready line after %d ms", begin);
            assertThat(bootstrap).isEqualTo("127.0.0.1:" + port);

            Topics.create(bootstrap, 1, "cli-it");
            try (KafkaProducer<String, String> producer = TestClients.producer(bootstrap)) {
                producer.send(new ProducerRecord<>("cli-it", "k", "hello")).get(30, TimeUnit.SECONDS);
            }
            assertThat(values(readCommitted(bootstrap, "cli-it", 1, Duration.ofSeconds(30))))
                    .containsExactly("hello");

            long stopBegin = System.nanoTime();
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("broker exits within %s of SIGTERM; stderr:%n%s", EXIT_TIMEOUT, read(stderr)).isTrue();
            log("exit after SIGTERM took %d ms", stopBegin);
            assertThat(process.exitValue()).isEqualTo(EXIT_ON_SIGTERM);
            assertThat(dir.resolve(".kafka_cleanshutdown"))
                    .as("the shutdown hook stopped the broker in a controlled way").exists();
            assertThat(read(stdout)).as("nothing but the bootstrap line on stdout")
                    .isEqualTo("bootstrap.servers=127.0.0.1:" + port + System.lineSeparator());
            assertThat(read(stderr).lines().filter(l -> l.contains("ERROR") || l.contains("StatusLogger")))
                    .as("no errors logged by a normal run").isEmpty();
        } finally {
            process.destroyForcibly();
        }
    }

    private static String awaitBootstrapLine(Process process, Path stdout, Path stderr)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith("bootstrap.servers=")) {
                    return line.substring("bootstrap.servers=".length());
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("broker exited with " + process.exitValue()
                        + " before printing bootstrap.servers; stderr:\n" + read(stderr));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no bootstrap.servers line within " + READY_TIMEOUT + "; stderr:\n" + read(stderr));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static void log(String format, long sinceNanos) {
        System.out.printf(Locale.ROOT, "BrokerCommandIT: " + format + "%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos));
    }
}
