package io.streamsgd.deploy;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A stand-in for the service's {@code /metrics} until the real endpoint exists: the streamsgd
 * meters of the metric contract registered with Micrometer exactly as the contract describes them
 * (names, base units, tags, a percentile histogram on the update latency), the real JVM binders,
 * and a captured Kafka Streams scrape (kafka-streams-sample.prom). Every scrape advances the
 * meters as if a few hundred events had been processed, so rates and quantiles have data.
 *
 * <p>It checks dashboards and alert rules against the contract, not the service: the live test
 * against a running service is the final word.
 */
final class ContractMetricsEndpoint implements AutoCloseable {
    static final List<String> MODELS = List.of("l1", "l2");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final List<ModelMeters> models = new ArrayList<>();
    private final Counter unknownModelDeadLetters;
    private final String kafkaStreamsSample;
    private final SplittableRandom random = new SplittableRandom(7);
    private final HttpServer server;

    /** The meters of one model, and the state its gauges sample. */
    private final class ModelMeters {
        final Counter trained;
        final Counter predicted;
        final Counter deadLettered;
        final DistributionSummary loss;
        final Timer updateLatency;
        final Timer snapshotDuration;
        final DistributionSummary snapshotSize;
        double accuracy = 0.5;
        double auc = 0.5;
        double nonzero;
        double stored;
        double version;
        double l1Norm;
        double l2Norm;
        double lastSnapshotSeconds;
        double meanLoss = 0.69;

        ModelMeters(String model) {
            trained = counter(model, "trained");
            predicted = counter(model, "predicted");
            deadLettered = counter(model, "dead_lettered");
            loss = DistributionSummary.builder("streamsgd.progressive.loss").tag("model", model).register(registry);
            updateLatency = Timer.builder("streamsgd.update.latency").tag("model", model)
                    .publishPercentileHistogram().register(registry);
            snapshotDuration = Timer.builder("streamsgd.snapshot.duration").tag("model", model).register(registry);
            snapshotSize = DistributionSummary.builder("streamsgd.snapshot.size").baseUnit("bytes")
                    .tag("model", model).register(registry);
            gauge("streamsgd.progressive.accuracy", model, null, m -> m.accuracy);
            gauge("streamsgd.progressive.auc", model, null, m -> m.auc);
            gauge("streamsgd.model.nonzero.weights", model, null, m -> m.nonzero);
            gauge("streamsgd.model.stored.weights", model, null, m -> m.stored);
            gauge("streamsgd.model.version", model, null, m -> m.version);
            gauge("streamsgd.model.weight.l1.norm", model, null, m -> m.l1Norm);
            gauge("streamsgd.model.weight.l2.norm", model, null, m -> m.l2Norm);
            gauge("streamsgd.snapshot.last.timestamp", model, "seconds", m -> m.lastSnapshotSeconds);
        }

        private void gauge(String name, String model, String baseUnit,
                           java.util.function.ToDoubleFunction<ModelMeters> value) {
            Gauge.builder(name, this, value).tag("model", model).baseUnit(baseUnit).register(registry);
        }

        /** One scrape interval's worth of processing: events, losses, updates and a snapshot. */
        void advance(long nowMillis) {
            trained.increment(200);
            predicted.increment(50);
            for (int i = 0; i < 200; i++) {
                loss.record(meanLoss * 2 * random.nextDouble());
                updateLatency.record(Duration.ofNanos(2_000 + random.nextInt(50_000)));
            }
            meanLoss *= 0.99;
            accuracy = Math.min(0.95, accuracy + 0.01);
            auc = Math.min(0.97, auc + 0.01);
            nonzero += 100;
            stored = nonzero * 1.2;
            l1Norm = nonzero * 0.05;
            l2Norm = Math.sqrt(nonzero) * 0.1;
            version += 1;
            snapshotDuration.record(Duration.ofMillis(5 + random.nextInt(20)));
            snapshotSize.record(nonzero * 24);
            lastSnapshotSeconds = nowMillis / 1000.0;
        }
    }

    ContractMetricsEndpoint() throws IOException {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        // jvm_gc_pause_seconds appears with the first collection after binding.
        System.gc();
        for (String model : MODELS) {
            models.add(new ModelMeters(model));
        }
        // Input whose model is unknown or unparseable is dead-lettered under model "none".
        unknownModelDeadLetters = counter("none", "dead_lettered");
        try (InputStream in = ContractMetricsEndpoint.class.getResourceAsStream("kafka-streams-sample.prom")) {
            if (in == null) {
                throw new IllegalStateException("kafka-streams-sample.prom not on the test classpath");
            }
            kafkaStreamsSample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    private Counter counter(String model, String outcome) {
        return Counter.builder("streamsgd.events").tag("model", model).tag("outcome", outcome).register(registry);
    }

    /** {@code 127.0.0.1:port} of the {@code /metrics} endpoint. */
    String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Advances every meter one step, then renders Micrometer's scrape followed by the Kafka Streams sample. */
    synchronized String scrape() {
        long now = System.currentTimeMillis();
        models.forEach(m -> m.advance(now));
        models.get(0).deadLettered.increment();
        unknownModelDeadLetters.increment();
        return registry.scrape() + kafkaStreamsSample;
    }

    @Override
    public void close() {
        server.stop(0);
        gcMetrics.close();
        registry.close();
    }
}
