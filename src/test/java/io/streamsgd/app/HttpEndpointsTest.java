package io.streamsgd.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.testkit.Http;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>();

    private HttpEndpoints endpoints() {
        return new HttpEndpoints("127.0.0.1", 0, () -> "# HELP x\nx 1.0\n", "text/plain; version=0.0.4; charset=utf-8",
                state::get);
    }

    @Test
    void healthShouldBeOkOnlyWhileRunningOrRebalancing() throws Exception {
        try (HttpEndpoints http = endpoints()) {
            assertThat(Http.get(http.port(), "/health").statusCode()).isEqualTo(503);
            assertThat(Http.get(http.port(), "/health").body()).isEqualTo("STARTING\n");
            for (KafkaStreams.State s : KafkaStreams.State.values()) {
                state.set(s);
                HttpResponse<String> response = Http.get(http.port(), "/health");
                boolean healthy = s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
                assertThat(response.statusCode()).as("state %s", s).isEqualTo(healthy ? 200 : 503);
                assertThat(response.body()).isEqualTo(s.name() + "\n");
            }
        }
    }

    @Test
    void metricsShouldServeTheScrapeWithItsContentType() throws Exception {
        try (HttpEndpoints http = endpoints()) {
            HttpResponse<String> response = Http.get(http.port(), "/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(response.body()).isEqualTo("# HELP x\nx 1.0\n");
            assertThat(Http.get(http.port(), "/nope").statusCode()).isEqualTo(404);
            HttpResponse<String> post = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/metrics"))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aFailingScrapeShouldAnswer500AndKeepServing() throws Exception {
        try (HttpEndpoints http = new HttpEndpoints("127.0.0.1", 0, () -> {
            throw new IllegalStateException("registry closed");
        }, "text/plain", state::get)) {
            assertThat(Http.get(http.port(), "/metrics").statusCode()).isEqualTo(500);
            state.set(KafkaStreams.State.RUNNING);
            assertThat(Http.get(http.port(), "/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aTakenPortShouldFailNamingTheSettings() {
        try (HttpEndpoints first = endpoints()) {
            assertThatThrownBy(() -> new HttpEndpoints("127.0.0.1", first.port(), () -> "", "text/plain", state::get))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("127.0.0.1:" + first.port()).hasMessageContaining("metrics.port");
        }
    }
}
