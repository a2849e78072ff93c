package io.streamsgd.stream;

import io.streamsgd.codec.SnapshotParts;
import io.streamsgd.learn.ModelSnapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the models topic from the beginning up to its current end (read_committed) and returns
 * the newest <em>complete</em> snapshot of a model, its parts reassembled; versions missing a
 * part are ignored.
 */
public final class SnapshotReader {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotReader.class);

    private SnapshotReader() {
    }

    public static Optional<ModelSnapshot> latest(String bootstrapServers, String topic, String model, Duration timeout) {
        return latest(bootstrapServers, Map.of(), topic, model, timeout);
    }

    /**
     * As {@link #latest(String, String, String, Duration)}, with extra consumer settings (for a
     * secured cluster: {@code security.protocol}, {@code sasl.*}, {@code ssl.*}).
     */
    public static Optional<ModelSnapshot> latest(String bootstrapServers, Map<String, Object> clientProperties,
                                                 String topic, String model, Duration timeout) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "streamsgd-snapshot-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            SnapshotParts.Assembler assembler = new SnapshotParts.Assembler();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    LOG.warn("reading {} did not reach its end within {}", topic, timeout);
                    break;
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (model.equals(r.key())) {
                        try {
                            assembler.add(r.value());
                        } catch (IOException e) {
                            LOG.warn("skipping a record of {} at {}-{}: {}", topic, r.partition(), r.offset(), e.getMessage());
                        }
                    }
                }
            }
            return assembler.latest(model);
        }
    }

    /**
     * The newest complete snapshot of {@code model} once its version is at least {@code version}:
     * a snapshot a trainer has just forwarded becomes visible to read_committed readers only when
     * its task's transaction commits, up to a commit interval later, so reading once right after
     * {@code snapshotNow} may still return the previous version.
     *
     * @return the snapshot, or the newest one seen if none reached {@code version} within the timeout
     */
    public static Optional<ModelSnapshot> awaitVersion(String bootstrapServers, String topic, String model,
                                                       long version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1)));
            Optional<ModelSnapshot> s = latest(bootstrapServers, Map.of(), topic, model, left);
            if ((s.isPresent() && s.get().version() >= version) || System.nanoTime() > deadline) {
                return s;
            }
            Thread.sleep(100);
        }
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
