package io.streamsgd.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.testkit.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lifecycle without a broker: failing fast, and stopping a start that cannot finish. */
class StreamSgdServiceTest {
    private static ServiceConfig unreachable(int metricsPort) {
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:1"); // nothing listens on port 1
        p.put("metrics.port", String.valueOf(metricsPort));
        p.put("startup.timeout.ms", "120000");
        return ServiceConfig.of(p, "test", Map.of());
    }

    @Test
    void stopShouldInterruptAStartThatWaitsForAnUnreachableCluster() throws Exception {
        StreamSgdService service = new StreamSgdService(unreachable(0));
        CompletableFuture<Throwable> start = CompletableFuture.supplyAsync(() -> {
            try {
                service.start();
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        int port = awaitHttpPort(service);
        assertThat(Http.get(port, "/health").statusCode()).as("not running yet").isEqualTo(503);
        long begin = System.nanoTime();
        service.stop();
        Throwable failure = start.get(30, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin)).as("well before the 120 s timeout")
                .isLessThan(20);
        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessage("stopped while starting");
        assertThatThrownBy(() -> Http.get(port, "/health")).isInstanceOf(ConnectException.class);
        assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class);
        service.stop(); // idempotent
    }

    @Test
    void aTakenMetricsPortShouldFailTheStartBeforeAnyKafkaWork() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            StreamSgdService service = new StreamSgdService(unreachable(taken.getLocalPort()));
            long begin = System.nanoTime();
            assertThatThrownBy(service::start).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("metrics.port");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin)).isLessThan(10);
            assertThat(service.state()).isNull();
        }
    }

    @Test
    void stopBeforeStartShouldDoNothingAndForbidTheStart() {
        StreamSgdService service = new StreamSgdService(unreachable(0));
        service.stop();
        assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class);
    }

    private static int awaitHttpPort(StreamSgdService service) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try {
                return service.httpPort();
            } catch (IllegalStateException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the HTTP server did not start");
    }
}
