package io.streamsgd.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Collection;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Every meter of one service instance in one Prometheus registry: the {@link TrainingMeters},
 * the JVM binders (memory, GC, threads, class loading, processor) and, once Kafka Streams
 * exists, {@link KafkaStreamsMetrics} (client metrics: lag, commit rate, ...).
 *
 * <p>Lifecycle: construct (binds the JVM and training meters), {@link #bindKafkaStreams} after
 * the {@link KafkaStreams} object is created, {@link #close} at shutdown (idempotent) to release
 * the binders' listeners and threads. Thread-safe.
 */
public final class ServiceMetrics implements AutoCloseable {
    /** The Prometheus text exposition format that {@link #scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final TrainingMeters training;
    private KafkaStreamsMetrics kafkaStreamsMetrics;
    private boolean closed;

    /** A registry with the JVM binders and the meters of {@code models}. */
    public ServiceMetrics(Collection<String> models) {
        training = new TrainingMeters(models);
        training.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** The listener to give the topology. */
    public TrainingMeters training() {
        return training;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Binds the Kafka Streams client metrics of {@code streams}; call once, after creating it
     * (its metrics exist from construction; the binder picks up new ones as threads start).
     */
    public synchronized void bindKafkaStreams(KafkaStreams streams) {
        if (closed) {
            throw new IllegalStateException("metrics are closed");
        }
        if (kafkaStreamsMetrics != null) {
            throw new IllegalStateException("Kafka Streams metrics are already bound");
        }
        kafkaStreamsMetrics = new KafkaStreamsMetrics(streams);
        kafkaStreamsMetrics.bindTo(registry);
    }

    /** Every meter in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    /** Unbinds Kafka Streams and the GC listener and closes the registry. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (kafkaStreamsMetrics != null) {
            kafkaStreamsMetrics.close();
        }
        gcMetrics.close();
        registry.close();
    }
}
