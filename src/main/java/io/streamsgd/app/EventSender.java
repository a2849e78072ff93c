package io.streamsgd.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends event records to a topic and keeps count of what the broker acknowledged and refused:
 * the producer side of {@code produce} and {@code demo}. An idempotent producer with
 * {@code acks=all} (so a retry never duplicates an event) that batches for throughput.
 *
 * <p>{@link #send} is asynchronous; {@link #close()} flushes and waits for every acknowledgement.
 * Thread-safe like the producer it wraps.
 */
public final class EventSender implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();

    /**
     * @param clientConfig extra client settings (security, ...), applied over the defaults
     */
    public EventSender(String bootstrapServers, String topic, Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Events are small: bigger batches and a short linger cut the per-request overhead a lot.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "streamsgd-producer");
        config.putAll(clientConfig);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    /** Sends one record; {@code key} may be null (the producer spreads records over partitions). */
    public void send(String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, exception) -> {
            if (exception == null) {
                acknowledged.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstError.compareAndSet(null, exception);
            }
        });
    }

    /** Records the broker has acknowledged so far. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Records the producer gave up on. */
    public long failed() {
        return failed.get();
    }

    /** The first send error, or null. */
    public Exception firstError() {
        return firstError.get();
    }

    /** Sends what is buffered and waits for every acknowledgement. */
    public void flush() {
        producer.flush();
    }

    /** Flushes, waits for acknowledgements (at most a minute) and closes the producer. */
    @Override
    public void close() {
        producer.close(Duration.ofMinutes(1));
    }
}
