package io.streamsgd.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP endpoints, on the JDK's HTTP server:
 * <ul>
 *   <li>{@code GET /metrics}: the Prometheus scrape, with its content type;</li>
 *   <li>{@code GET /health}: 200 while Kafka Streams is {@code RUNNING} or {@code REBALANCING},
 *       else 503; the body is the state's name either way (a rebalance is normal operation, so
 *       liveness and readiness probes both use this endpoint).</li>
 * </ul>
 * Other paths answer 404, other methods 405. Requests are served by one daemon thread: scrapes
 * and probes are rare and cheap.
 */
public final class HttpEndpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);

    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Supplier<String> scrape;
    private final String contentType;
    private final Supplier<KafkaStreams.State> state;

    /**
     * Binds {@code host:port} (port 0: a free one) and starts serving.
     *
     * @param scrape the metrics text, produced at each request
     * @param contentType the content type of the metrics text
     * @param state the current Kafka Streams state, or null before it exists
     * @throws UncheckedIOException if the address cannot be bound, naming it
     */
    public HttpEndpoints(String host, int port, Supplier<String> scrape, String contentType,
                         Supplier<KafkaStreams.State> state) {
        this.scrape = scrape;
        this.contentType = contentType;
        this.state = state;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (BindException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " (metrics.host, metrics.port): "
                    + e.getMessage() + "; is another instance running there?", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " (metrics.host, metrics.port): "
                    + e.getMessage(), e);
        }
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "streamsgd-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        log.info("Serving /metrics and /health at http://{}:{}", host, port());
    }

    /** The port listened on (the chosen one if 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The address listened on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, TEXT, "method not allowed\n");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String body;
            try {
                body = switch (path) {
                    case "/metrics" -> scrape.get();
                    case "/health" -> {
                        KafkaStreams.State current = state.get();
                        yield current == null ? "STARTING" : current.name();
                    }
                    default -> null;
                };
            } catch (RuntimeException e) {
                // The JDK server would drop the connection without a word: log and answer 500.
                log.warn("HTTP {} {} failed", method, path, e);
                respond(exchange, 500, TEXT, "internal error: " + e + "\n");
                return;
            }
            if (body == null) {
                respond(exchange, 404, TEXT, "not found; try /metrics or /health\n");
            } else if (path.equals("/metrics")) {
                respond(exchange, 200, contentType, body);
            } else {
                respond(exchange, isHealthy(body) ? 200 : 503, TEXT, body + "\n");
            }
        }
    }

    private static boolean isHealthy(String state) {
        return state.equals(KafkaStreams.State.RUNNING.name()) || state.equals(KafkaStreams.State.REBALANCING.name());
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops serving and releases the port; waits at most a second for a request in progress. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
