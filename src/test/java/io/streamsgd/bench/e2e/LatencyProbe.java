package io.streamsgd.bench.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Event-to-prediction latency at a fixed rate, with one clock: this JVM sends event {@code i}
 * (id {@code <prefix>i}) at its scheduled time and notes the send time; a read_committed
 * consumer in this JVM notes when the prediction keyed by that id arrives. Two latencies per event:
 * <ul>
 *   <li><b>visible</b>: consumer receive time minus send time: what a user of the predictions
 *       topic sees, including the wait for the exactly-once commit;
 *   <li><b>appended</b>: the prediction's LogAppendTime (the broker's clock, milliseconds; the
 *       topic is created with {@code message.timestamp.type=LogAppendTime}) minus send time:
 *       processing without the wait for the commit (resolution 1 ms).
 * </ul>
 * Events sent during the warm-up are left out of the figures.
 */
final class LatencyProbe {
    /** The event producer's linger.ms: Kafka's default, stated so that the report can name it. */
    static final int LINGER_MS = 5;

    record Result(double rate, double achievedRate, long sent, long measured, long received,
                  long[] visibleMicros, long[] appendedMicros) {
    }

    private LatencyProbe() {
    }

    static Result run(String bootstrap, String input, String predictions, EventSource source, String idPrefix,
                      double rate, int warmupSeconds, int measureSeconds, int drainSeconds) throws InterruptedException {
        int total = (int) Math.round(rate * (warmupSeconds + measureSeconds));
        int firstMeasured = (int) Math.round(rate * warmupSeconds);
        AtomicLongArray sentAt = new AtomicLongArray(total);
        long[] visible = new long[total];
        long[] appended = new long[total];
        boolean[] seen = new boolean[total];
        AtomicLong received = new AtomicLong();
        long baseMicros = System.currentTimeMillis() * 1000;
        long baseNanos = System.nanoTime();
        Clock clock = () -> baseMicros + (System.nanoTime() - baseNanos) / 1000;
        byte[][] events = new byte[total][];
        for (int i = 0; i < total; i++) {
            events[i] = source.event(i);
        }

        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(predictions).stream()
                .map(p -> new TopicPartition(predictions, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        partitions.forEach(consumer::position);
        Thread reader = new Thread(() -> {
            try (consumer) {
                while (!Thread.currentThread().isInterrupted() && received.get() < total) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(20))) {
                        long now = clock.micros();
                        String key = r.key();
                        if (key == null || !key.startsWith(idPrefix)) {
                            continue;
                        }
                        int i = Integer.parseInt(key, idPrefix.length(), key.length(), 10);
                        if (i < 0 || i >= total || seen[i]) {
                            continue;
                        }
                        seen[i] = true;
                        long sent = sentAt.get(i);
                        visible[i] = now - sent;
                        appended[i] = r.timestampType() == TimestampType.LOG_APPEND_TIME ? r.timestamp() * 1000 - sent : -1;
                        received.incrementAndGet();
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // stopping
            }
        }, "e2e-latency-reader");
        reader.start();

        long startNanos;
        // The producer of a user's events, at Kafka's defaults (linger.ms=5 since Kafka 4.0; the
        // time it waits is part of the latency measured, which counts from send()). With linger.ms=0
        // it sent a request every few events, which cost the broker, on the same two cores as the
        // app, a fifth of its CPU (0.59 against 0.47 cores at 28,500 events/s).
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, LINGER_MS),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            startNanos = System.nanoTime();
            int next = 0;
            while (next < total) {
                long due = (long) ((System.nanoTime() - startNanos) / 1e9 * rate) + 1;
                while (next < total && next < due) {
                    sentAt.set(next, clock.micros());
                    producer.send(new ProducerRecord<>(input, null, events[next]));
                    next++;
                }
                // Sends are paced per millisecond, below the producer's own 5 ms of batching; each
                // event's send time is taken when it is sent. Waking every 100 µs cost this JVM, on
                // the app's two cores, 0.05-0.08 cores more at 21,900 events/s.
                LockSupport.parkNanos(1_000_000);
            }
            producer.flush();
        }
        double achieved = total / ((System.nanoTime() - startNanos) / 1e9);
        long deadline = System.nanoTime() + drainSeconds * 1_000_000_000L;
        while (received.get() < total && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        reader.interrupt();
        reader.join(10_000);
        int[] measuredIdx = IntStream.range(firstMeasured, total).filter(i -> seen[i]).toArray();
        long[] vis = new long[measuredIdx.length];
        long[] app = new long[measuredIdx.length];
        for (int k = 0; k < measuredIdx.length; k++) {
            vis[k] = visible[measuredIdx[k]];
            app[k] = appended[measuredIdx[k]];
        }
        java.util.Arrays.sort(vis);
        java.util.Arrays.sort(app);
        return new Result(rate, achieved, total, total - firstMeasured, received.get(), vis, app);
    }

    @FunctionalInterface
    private interface Clock {
        long micros();
    }
}
