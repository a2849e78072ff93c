package io.streamsgd.bench.e2e;

import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.JsonEventReader;
import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.PredictionJson;
import io.streamsgd.learn.Features;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Application (a), the yardstick: reads each event with the service's own {@link JsonEventReader},
 * computes a stand-in margin from its features (their sum, scaled), and writes one prediction
 * with the service's own {@link PredictionJson}, keyed by event id: the same bytes in, the same
 * kind of bytes out, with no model and no state store. Rejected events are counted and dropped.
 *
 * <p>With {@code changelogBytes > 0} it is application (f), a floor for any model store that
 * changelogs its changes: the same work, plus {@code changelogBytes} per event of incompressible
 * bytes written to a changelogged RocksDB store (caching off, as the service's) once per commit
 * interval, in records of {@value #RECORD_BYTES} bytes under {@value #RING} rotating keys, the
 * shape of the service's deltas. No model, no table, no drain: what (f) loses against (a) is what
 * the broker, the producer and RocksDB charge for the bytes alone. With {@code repartition}, (f)
 * of the unkeyed layout, each event first goes through a repartition topic keyed by a model name,
 * as raw bytes (no parsing before the hop: the cheapest router there can be). With
 * {@code keepNothing} the store is a {@link DiscardingStore}: the changelog and no RocksDB.
 */
final class PassThrough {
    static final String MODEL = "pass";
    static final LongAdder REJECTED = new LongAdder();

    static final String STORE = "floor";
    static final int RECORD_BYTES = 240 * 1024;
    static final int RING = 16_384;

    private PassThrough() {
    }

    static Topology topology(String input, String output, int changelogBytes, long commitMs, boolean repartition,
                             boolean keepNothing) {
        StreamsBuilder builder = new StreamsBuilder();
        String[] stores = {};
        if (changelogBytes > 0) {
            builder.addStateStore(Stores.keyValueStoreBuilder(keepNothing ? DiscardingStore.supplier(STORE)
                    : Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), Serdes.ByteArray())
                    .withCachingDisabled().withLoggingEnabled(Map.of()));
            stores = new String[] {STORE};
        }
        KStream<String, byte[]> events = builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("events"));
        if (repartition) {
            events = events.selectKey((k, v) -> MODEL, Named.as("key-by-model"))
                    .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("by-model").withNumberOfPartitions(2));
        }
        events.process(() -> new Parse(changelogBytes, commitMs), Named.as("parse-and-predict"), stores)
                .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("predictions"));
        return builder.build();
    }

    private static final class Parse extends ContextualProcessor<String, byte[], String, byte[]> {
        private final JsonEventReader reader = new JsonEventReader();
        private final Event event = new Event();
        private final int changelogBytes;
        private final long commitMs;
        /** What (f) writes (its first byte varied per record); null in (a), which writes nothing. */
        private final byte[] noise;
        private KeyValueStore<Bytes, byte[]> store;
        private long pendingBytes;
        private long seq;

        Parse(int changelogBytes, long commitMs) {
            this.changelogBytes = changelogBytes;
            this.commitMs = commitMs;
            this.noise = changelogBytes > 0 ? new byte[RECORD_BYTES] : null;
            if (noise != null) {
                new Random(1).nextBytes(noise);
            }
        }

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            super.init(context);
            if (changelogBytes > 0) {
                store = context.getStateStore(STORE);
                context.schedule(Duration.ofMillis(commitMs), PunctuationType.WALL_CLOCK_TIME, now -> writePending());
            }
        }

        /** The bytes of the events since the last call, as records of at most RECORD_BYTES. */
        private void writePending() {
            while (pendingBytes > 0) {
                int n = (int) Math.min(pendingBytes, RECORD_BYTES);
                byte[] value = Arrays.copyOf(noise, n);
                value[0] = (byte) seq; // not two equal records in a row
                store.put(Bytes.wrap(ByteBuffer.allocate(8).putLong(seq++ % RING).array()), value);
                pendingBytes -= n;
            }
        }

        @Override
        public void process(Record<String, byte[]> record) {
            try {
                reader.read(record.value(), event);
            } catch (BadInputException e) {
                REJECTED.increment();
                return;
            }
            Features f = event.features();
            double z = 0;
            for (int i = 0; i < f.size(); i++) {
                z += f.value(i) * 1e-3;
            }
            double p = 1.0 / (1.0 + Math.exp(-z));
            double label = event.hasLabel() ? event.label() : Double.NaN;
            double loss = event.hasLabel() ? -Math.log(label > 0.5 ? p : 1 - p) : Double.NaN;
            String id = event.id() != null ? event.id() : "none";
            Prediction prediction = new Prediction(id, MODEL, 0, z, p, label, loss, event.hasLabel());
            context().forward(record.withKey(id).withValue(PredictionJson.toBytes(prediction)));
            pendingBytes += changelogBytes;
        }
    }
}
