package io.streamsgd.bench.e2e;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;

/**
 * Watches an application's own Kafka clients to time a run exactly, from inside the process:
 * the main consumer's first {@code poll()} that returns records is the start ({@code t0}); the
 * first {@code commitTransaction()} that returns after the expected number of output records
 * has been sent is the end ({@code t1}): under exactly_once_v2 that transaction holds the last
 * outputs, their input offsets and the state-store changelog writes, so at {@code t1} a
 * read_committed consumer can see every output. Every send is also classified by topic
 * (outputs, dead letters, changelog, repartition) with its key + value bytes.
 *
 * <p>The stream thread calls {@code poll}, {@code send} and {@code commitTransaction} in
 * sequence, so the order of these observations is the order of the events.
 */
final class RunProbe implements KafkaClientSupplier {
    private final String inputTopic;
    private final String outputTopic;
    private final String deadLetterTopic;
    private final long expectedOutputs;
    private final long capNanos;
    private final StringBuilder commitSeries = new StringBuilder();
    private final DefaultKafkaClientSupplier delegate = new DefaultKafkaClientSupplier();
    private final CountDownLatch finished = new CountDownLatch(1);
    private Runnable beforeFirstRecords = () -> { };

    final LongAdder inputs = new LongAdder();
    final LongAdder otherConsumed = new LongAdder();
    final LongAdder outputs = new LongAdder();
    /** Outputs per model (the prediction's {@code "model"} field), to count events every model has finished. */
    private final Map<String, LongAdder> outputsByModel = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Map<String, Long> outputsByModelAtT1 = Map.of();
    final LongAdder outputBytes = new LongAdder();
    final LongAdder deadLetters = new LongAdder();
    final LongAdder changelogRecords = new LongAdder();
    final LongAdder changelogBytes = new LongAdder();
    final LongAdder repartitionRecords = new LongAdder();
    final LongAdder repartitionBytes = new LongAdder();
    final LongAdder otherSent = new LongAdder();
    final AtomicLong commits = new AtomicLong();
    volatile long t0Nanos;
    volatile long t0EpochMillis;
    volatile long t1Nanos;
    volatile long t1EpochMillis;

    /**
     * @param expectedOutputs the run ends at the first commit after this many outputs were sent
     * @param capSeconds or at the first commit this long after t0 (0: no cap)
     */
    RunProbe(String inputTopic, String outputTopic, String deadLetterTopic, long expectedOutputs, double capSeconds) {
        this.inputTopic = inputTopic;
        this.outputTopic = outputTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.expectedOutputs = expectedOutputs;
        this.capNanos = capSeconds > 0 ? (long) (capSeconds * 1e9) : Long.MAX_VALUE;
    }

    /** Outputs sent before the transaction that ended the run: all committed at t1. */
    volatile long outputsAtT1;

    /** Every commit until t1 as {@code milliseconds since t0:outputs committed}, separated by spaces. */
    String commitSeries() {
        synchronized (commitSeries) {
            return commitSeries.toString();
        }
    }

    /** Runs once on the stream thread just before the first records are handed over (t0 is taken after it). */
    void beforeFirstRecords(Runnable action) {
        this.beforeFirstRecords = action;
    }

    CountDownLatch finished() {
        return finished;
    }

    double seconds() {
        return (t1Nanos - t0Nanos) / 1e9;
    }

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return delegate.getAdmin(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        Producer<byte[], byte[]> producer = delegate.getProducer(config);
        return proxy(Producer.class, producer, (p, method, args) -> {
            switch (method.getName()) {
                case "send" -> sent((ProducerRecord<?, ?>) args[0]);
                case "commitTransaction" -> {
                    Object result = invoke(method, producer, args);
                    committed();
                    return result;
                }
                default -> { }
            }
            return invoke(method, producer, args);
        });
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        Consumer<byte[], byte[]> consumer = delegate.getConsumer(config);
        return proxy(Consumer.class, consumer, (p, method, args) -> {
            Object result = invoke(method, consumer, args);
            if (method.getName().equals("poll") && result instanceof ConsumerRecords<?, ?> records && !records.isEmpty()) {
                polled(records);
            }
            return result;
        });
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return delegate.getRestoreConsumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return delegate.getGlobalConsumer(config);
    }

    private void polled(ConsumerRecords<?, ?> records) {
        if (t0Nanos == 0) {
            beforeFirstRecords.run();
            t0EpochMillis = System.currentTimeMillis();
            t0Nanos = System.nanoTime();
        }
        for (TopicPartition tp : records.partitions()) {
            int n = records.records(tp).size();
            if (tp.topic().equals(inputTopic)) {
                inputs.add(n);
            } else {
                otherConsumed.add(n);
            }
        }
    }

    private void sent(ProducerRecord<?, ?> r) {
        long bytes = length(r.key()) + length(r.value());
        String topic = r.topic();
        if (topic.equals(outputTopic)) {
            outputs.increment();
            outputBytes.add(bytes);
            outputsByModel.computeIfAbsent(modelOf(r.value()), k -> new LongAdder()).increment();
        } else if (topic.equals(deadLetterTopic)) {
            deadLetters.increment();
        } else if (topic.endsWith("-changelog")) {
            changelogRecords.increment();
            changelogBytes.add(bytes);
        } else if (topic.endsWith("-repartition")) {
            repartitionRecords.increment();
            repartitionBytes.add(bytes);
        } else {
            otherSent.increment();
        }
    }

    private void committed() {
        commits.incrementAndGet();
        if (t1Nanos != 0 || t0Nanos == 0) {
            return;
        }
        long now = System.nanoTime();
        long sent = outputs.sum();
        synchronized (commitSeries) {
            commitSeries.append(commitSeries.length() > 0 ? " " : "").append((now - t0Nanos) / 1_000_000).append(':').append(sent);
        }
        if (sent >= expectedOutputs || now - t0Nanos >= capNanos) {
            outputsAtT1 = sent;
            Map<String, Long> byModel = new java.util.TreeMap<>();
            outputsByModel.forEach((m, n) -> byModel.put(m, n.sum()));
            outputsByModelAtT1 = byModel;
            t1EpochMillis = System.currentTimeMillis();
            t1Nanos = now;
            finished.countDown();
        }
    }

    /**
     * Events every model has finished by t1: the smallest per-model output count when all
     * {@code models} models have outputs, else 0.
     */
    long eventsAtT1(int models) {
        Map<String, Long> byModel = outputsByModelAtT1;
        if (byModel.size() < models) {
            return 0;
        }
        return byModel.values().stream().mapToLong(Long::longValue).min().orElse(0);
    }

    Map<String, Long> outputsByModelAtT1() {
        return outputsByModelAtT1;
    }

    private static final byte[] MODEL_FIELD = ",\"model\":\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** The {@code "model"} field of a prediction as PredictionJson writes it (right after the id), or "?". */
    static String modelOf(Object value) {
        if (!(value instanceof byte[] v)) {
            return "?";
        }
        outer:
        for (int i = 0; i + MODEL_FIELD.length < v.length; i++) {
            for (int j = 0; j < MODEL_FIELD.length; j++) {
                if (v[i + j] != MODEL_FIELD[j]) {
                    continue outer;
                }
            }
            int start = i + MODEL_FIELD.length;
            int end = start;
            while (end < v.length && v[end] != '"') {
                end++;
            }
            return new String(v, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
        }
        return "?";
    }

    private static long length(Object o) {
        return o instanceof byte[] b ? b.length : 0;
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<?> type, Object target, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(RunProbe.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
