package io.streamsgd.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where an input record came from. The router passes it on in a header through the repartition
 * topic, so that a dead letter written by the trainer names the original topic, partition and
 * offset, and an event without an id gets the same derived id whatever the path.
 */
record Source(String topic, int partition, long offset) {
    static final String HEADER = "streamsgd.source";

    /** The record's original source: the header if the router set one, else its own metadata. */
    static Source of(Headers headers, RecordMetadata metadata) {
        Header h = headers.lastHeader(HEADER);
        if (h != null) {
            ByteBuffer b = ByteBuffer.wrap(h.value());
            int partition = b.getInt();
            long offset = b.getLong();
            byte[] topic = new byte[b.remaining()];
            b.get(topic);
            return new Source(new String(topic, StandardCharsets.UTF_8), partition, offset);
        }
        return metadata == null ? new Source("", -1, -1)
                : new Source(metadata.topic(), metadata.partition(), metadata.offset());
    }

    byte[] toHeader() {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(12 + t.length).putInt(partition).putLong(offset).put(t).array();
    }

    /** The id of an event that has none: {@code topic-partition-offset}. */
    String derivedId() {
        return topic + "-" + partition + "-" + offset;
    }
}
