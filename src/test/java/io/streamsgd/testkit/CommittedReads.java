package io.streamsgd.testkit;

import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.PredictionJson;
import io.streamsgd.codec.SnapshotParts;
import io.streamsgd.learn.ModelSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what is <em>committed</em> on a topic, as exactly-once consumers see it
 * ({@code isolation.level=read_committed}): every partition from its beginning up to its last
 * stable offset at the time of the call. Records of aborted transactions are never returned,
 * and records of open ones not yet.
 */
public final class CommittedReads {
    private CommittedReads() {
    }

    /**
     * Every committed record of {@code topic}, partition after partition, in offset order.
     *
     * @throws AssertionError if the end is not reached within {@code timeout}
     */
    public static List<ConsumerRecord<String, byte[]>> all(String bootstrap, String topic, Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "committed-reader-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).sorted((a, b) -> a.partition() - b.partition())
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("reading " + topic + " did not reach its end " + end + " within " + timeout
                            + " (" + records.size() + " records read)");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.sort((a, b) -> a.partition() != b.partition() ? a.partition() - b.partition()
                : Long.compare(a.offset(), b.offset()));
        return records;
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The committed predictions of {@code topic}, parsed, in order. */
    public static List<Prediction> predictions(String bootstrap, String topic, Duration timeout) {
        List<Prediction> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : all(bootstrap, topic, timeout)) {
            try {
                Prediction p = PredictionJson.read(r.value());
                if (!p.id().equals(r.key())) {
                    throw new AssertionError("prediction at " + r.partition() + "@" + r.offset() + " has key " + r.key()
                            + " but id " + p.id());
                }
                out.add(p);
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable prediction at " + r.partition() + "@" + r.offset(), e);
            }
        }
        return out;
    }

    /**
     * Every complete snapshot version on the models topic, per model, in the order they
     * completed (so, for one writer at a time, by version).
     */
    public static Map<String, List<ModelSnapshot>> snapshots(String bootstrap, String topic, Duration timeout) {
        SnapshotParts.Assembler assembler = new SnapshotParts.Assembler();
        Map<String, List<ModelSnapshot>> history = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : all(bootstrap, topic, timeout)) {
            try {
                assembler.add(r.value());
            } catch (IOException e) {
                throw new UncheckedIOException("not a snapshot part at " + r.partition() + "@" + r.offset(), e);
            }
            Optional<ModelSnapshot> latest = assembler.latest(r.key());
            List<ModelSnapshot> versions = history.computeIfAbsent(r.key(), k -> new ArrayList<>());
            if (latest.isPresent() && (versions.isEmpty()
                    || versions.get(versions.size() - 1).version() != latest.get().version())) {
                versions.add(latest.get());
            }
        }
        return history;
    }

    /**
     * Waits until the newest complete snapshot of {@code model} satisfies {@code events} trained
     * events, and returns it.
     */
    public static ModelSnapshot awaitSnapshot(String bootstrap, String topic, String model, long events,
                                              Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<ModelSnapshot> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            List<ModelSnapshot> versions = snapshots(bootstrap, topic, timeout).getOrDefault(model, List.of());
            last = versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
            if (last.isPresent() && last.get().events() == events) {
                return last.get();
            }
            ServiceProcess.sleep(500);
        }
        throw new AssertionError("no committed snapshot of " + model + " at " + events + " events on " + topic + " within "
                + timeout + "; newest: " + last.map(s -> "version " + s.version() + " at " + s.events() + " events")
                .orElse("none"));
    }

    /** The offsets the consumer group has committed, per partition (absent: nothing committed). */
    public static Map<TopicPartition, Long> groupOffsets(String bootstrap, String groupId) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null) {
                    out.put(tp, om.offset());
                }
            });
            return out;
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot read the offsets of group " + groupId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Map of (event id, model) to how many committed predictions it has, for the exactly-once checks. */
    public static Map<String, Integer> countsByIdAndModel(List<Prediction> predictions) {
        Map<String, Integer> counts = new HashMap<>();
        for (Prediction p : predictions) {
            counts.merge(p.id() + "\u0000" + p.model(), 1, Integer::sum);
        }
        return counts;
    }
}
