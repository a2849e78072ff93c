package io.streamsgd.stream;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A record on its way out of a processor to one of the output topics, chosen per record by the
 * sink's topic extractor. Only {@link #value} is written.
 *
 * @param topic the destination topic
 * @param value the serialized value (JSON)
 */
record Out(String topic, byte[] value) {
    /** Writes the value bytes only; never read back (the topics hold plain JSON). */
    static final Serde<Out> SERDE = Serdes.serdeFrom(
            (topic, out) -> out == null ? null : out.value(),
            (topic, bytes) -> {
                throw new UnsupportedOperationException("Out records are only written");
            });
}
