package io.streamsgd.app;

import static io.streamsgd.testkit.TestClients.readCommitted;
import static io.streamsgd.testkit.TestClients.transactionalProducer;
import static io.streamsgd.testkit.TestClients.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.streamsgd.testkit.SharedBroker;
import io.streamsgd.testkit.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Written by the broker's log manager on a controlled shutdown, removed on the next start. */
    private static final String CLEAN_SHUTDOWN_MARKER = ".kafka_cleanshutdown";

    @Test
    void shouldDeliverOnlyCommittedTransactionsToReadCommittedConsumer() {
        String bootstrap = SharedBroker.bootstrapServers();
        SharedBroker.createTopics("broker-it-transactions");

        try (KafkaProducer<String, String> producer = transactionalProducer(bootstrap, "broker-it-tx")) {
            sendInTransaction(producer, "broker-it-transactions", "a", "b");
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("broker-it-transactions", "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
            sendInTransaction(producer, "broker-it-transactions", "c");
        }

        assertThat(values(readCommitted(bootstrap, "broker-it-transactions", 3, TIMEOUT)))
                .containsExactly("a", "b", "c");
    }

    @Test
    void shouldKeepDataAndAddressAcrossRestart(@TempDir Path dir) throws IOException {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(dir).build()) {
            String bootstrap = broker.bootstrapServers();
            timedStart(broker, "first start (formats)");
            Topics.create(bootstrap, 2, "restart-it");
            // One producer across the restart: it has to reconnect to the same address.
            try (KafkaProducer<String, String> producer = transactionalProducer(bootstrap, "restart-it-tx")) {
                sendInTransaction(producer, "restart-it", "before-1", "before-2");

                broker.stop();
                assertThat(broker.isRunning()).isFalse();
                assertThat(dir.resolve(CLEAN_SHUTDOWN_MARKER)).exists();
                broker.stop(); // idempotent

                timedStart(broker, "restart on the same directory");
                assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
                sendInTransaction(producer, "restart-it", "after-1");
            }
            assertThat(values(readCommitted(bootstrap, "restart-it", 3, TIMEOUT)))
                    .containsExactlyInAnyOrder("before-1", "before-2", "after-1");
        }
        assertThat(dir).as("a given directory is kept on close").isDirectoryContaining(p -> p.endsWith("meta.properties"));
    }

    @Test
    void shouldReopenDirectoryWrittenByAnotherInstanceOnOtherPorts(@TempDir Path dir) {
        int firstPort;
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().logDir(dir).build()) {
            firstPort = first.port();
            first.start();
            Topics.create(first.bootstrapServers(), 1, "reopen-it");
            try (KafkaProducer<String, String> producer = transactionalProducer(first.bootstrapServers(), "reopen-it-tx")) {
                sendInTransaction(producer, "reopen-it", "kept");
            }
        }
        // A new object picks new client and controller ports, as a second `broker --dir` run does.
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().logDir(dir).build()) {
            assertThat(second.port()).isNotEqualTo(firstPort);
            timedStart(second, "start of a new instance on an existing directory");
            assertThat(values(readCommitted(second.bootstrapServers(), "reopen-it", 1, TIMEOUT)))
                    .containsExactly("kept");
        }
    }

    @Test
    void shouldFailClearlyWhenThePortIsTakenAndStartOnceItIsFree(@TempDir Path dir) throws IOException {
        ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .port(squatter.getLocalPort()).logDir(dir).startupTimeout(Duration.ofSeconds(20)).build()) {
            assertThatThrownBy(broker::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(broker.bootstrapServers())
                    .hasMessageContaining("Address already in use");
            assertThat(broker.isRunning()).isFalse();

            squatter.close();
            broker.start(); // the failed start released the controller port and the directory lock
            assertThat(broker.isRunning()).isTrue();
        } finally {
            squatter.close();
        }
    }

    @Test
    void shouldRunExactlyOnceStreamsApp(@TempDir Path stateDir) throws InterruptedException {
        String bootstrap = SharedBroker.bootstrapServers();
        SharedBroker.createTopics(2, "eos-it-in", "eos-it-out");

        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("eos-it-in")
                .mapValues(v -> v.toUpperCase(Locale.ROOT))
                .to("eos-it-out");
        Topology topology = builder.build();

        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "eos-it");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);

        CountDownLatch running = new CountDownLatch(1);
        KafkaStreams streams = new KafkaStreams(topology, config);
        try {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            assertThat(running.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("Kafka Streams reached RUNNING, state now %s", streams.state()).isTrue();

            try (KafkaProducer<String, String> producer = transactionalProducer(bootstrap, "eos-it-input")) {
                sendInTransaction(producer, "eos-it-in", "x", "y", "z");
            }
            assertThat(values(readCommitted(bootstrap, "eos-it-out", 3, TIMEOUT)))
                    .containsExactlyInAnyOrder("X", "Y", "Z");
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, String topic, String... values) {
        producer.beginTransaction();
        for (String value : values) {
            producer.send(new ProducerRecord<>(topic, value, value));
        }
        producer.commitTransaction();
    }

    private static void timedStart(EmbeddedKafkaBroker broker, String what) {
        long begin = System.nanoTime();
        broker.start();
        System.out.printf(Locale.ROOT, "EmbeddedKafkaBrokerIT: %s took %d ms%n", what,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }
}
