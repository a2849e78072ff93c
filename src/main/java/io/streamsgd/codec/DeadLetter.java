package io.streamsgd.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A rejected record as written to the dead-letter topic, in JSON:
 * <pre>
 * {"reason":"not_json","message":"...","model":null,"topic":"streamsgd.events","partition":0,"offset":42,
 *  "timestamp":1700000000000,"valueBytes":17,"truncated":false,"value":"&lt;base64 of the original bytes&gt;"}
 * </pre>
 * The original bytes are base64 (they may not be text). A record larger than
 * {@link #MAX_KEPT_BYTES} keeps only its first bytes ({@code truncated: true}), so that the dead
 * letter itself always fits in a Kafka record; {@code valueBytes} is the original length.
 *
 * @param reason the {@link BadInputReason} code, or another stable code ({@code diverged})
 * @param message the human explanation
 * @param model the model concerned, or null
 * @param topic source topic
 * @param partition source partition
 * @param offset source offset
 * @param timestamp the source record's timestamp
 * @param value the original value bytes, null for a tombstone
 */
public record DeadLetter(String reason, String message, String model, String topic, int partition, long offset,
                         long timestamp, byte[] value) {
    /** Bytes of the original record kept in a dead letter. */
    public static final int MAX_KEPT_BYTES = 64 * 1024;
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("reason", reason);
            g.writeStringField("message", message);
            g.writeStringField("model", model);
            g.writeStringField("topic", topic);
            g.writeNumberField("partition", partition);
            g.writeNumberField("offset", offset);
            g.writeNumberField("timestamp", timestamp);
            if (value == null) {
                g.writeNullField("valueBytes");
                g.writeNullField("value");
            } else {
                boolean truncated = value.length > MAX_KEPT_BYTES;
                byte[] kept = truncated ? Arrays.copyOf(value, MAX_KEPT_BYTES) : value;
                g.writeNumberField("valueBytes", value.length);
                g.writeBooleanField("truncated", truncated);
                g.writeStringField("value", Base64.getEncoder().encodeToString(kept));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads the JSON form; {@code value} is the kept (possibly truncated) bytes. */
    public static DeadLetter fromJson(byte[] json) throws IOException {
        JsonNode n = MAPPER.readTree(json);
        JsonNode v = n.path("value");
        return new DeadLetter(n.path("reason").asText(), n.path("message").asText(),
                n.path("model").isNull() ? null : n.path("model").asText(null), n.path("topic").asText(),
                n.path("partition").asInt(), n.path("offset").asLong(), n.path("timestamp").asLong(),
                v.isNull() || v.isMissingNode() ? null : Base64.getDecoder().decode(v.asText()));
    }
}
