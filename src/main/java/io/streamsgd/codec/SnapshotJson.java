package io.streamsgd.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.learn.ModelSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stable JSON form of a {@link ModelSnapshot}, as {@code learn --snapshot-out}, the
 * {@code model --output} command and the models topic (per part) write it:
 * <pre>
 * {"format":1,"model":"m","version":3,"events":1000,"timestamp":1700000000000,
 *  "hyperparameters":{"loss":"logistic",...},"bias":-0.12,"nonzeros":2,"l1Norm":..,"l2Norm":..,
 *  "weights":{"feature":0.5,"other=x":-0.25}}
 * </pre>
 * {@code format} comes first; a reader rejects any other format naming the one it expects.
 * Doubles are written in their shortest form that reads back to the same bits. A weight without a
 * known name is written under {@code "#<slot>"}.
 */
public final class SnapshotJson {
    public static final int FORMAT = 1;
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private SnapshotJson() {
    }

    public static void write(ModelSnapshot s, OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            writeHeader(g, s);
            g.writeFieldName("weights");
            g.writeStartObject();
            for (ModelSnapshot.Weight w : s.weights()) {
                g.writeNumberField(nameOf(w), w.value());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    /** The header fields (everything but the weights), written into an open object. */
    static void writeHeader(JsonGenerator g, ModelSnapshot s) throws IOException {
        g.writeNumberField("format", FORMAT);
        g.writeStringField("model", s.model());
        g.writeNumberField("version", s.version());
        g.writeNumberField("events", s.events());
        g.writeNumberField("timestamp", s.timestampMillis());
        g.writeFieldName("hyperparameters");
        g.writeStartObject();
        for (Map.Entry<String, String> h : s.hyperparameters().entrySet()) {
            g.writeStringField(h.getKey(), h.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("bias", s.bias());
        g.writeNumberField("nonzeros", s.nonzeros());
        g.writeNumberField("l1Norm", s.l1Norm());
        g.writeNumberField("l2Norm", s.l2Norm());
    }

    static String nameOf(ModelSnapshot.Weight w) {
        return w.name() != null ? w.name() : "#" + w.slot();
    }

    public static byte[] toBytes(ModelSnapshot s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(s, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a snapshot written by {@link #write}. Weights come back with slot -1 (the JSON form
     * keys them by name).
     *
     * @throws IOException if it is not JSON or not of {@link #FORMAT}
     */
    public static ModelSnapshot read(byte[] json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException("a snapshot must be a JSON object");
        }
        int format = root.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new IOException("unsupported snapshot format " + root.path("format") + ", expected " + FORMAT);
        }
        Map<String, String> hyper = new LinkedHashMap<>();
        root.path("hyperparameters").fields().forEachRemaining(e -> hyper.put(e.getKey(), e.getValue().asText()));
        List<ModelSnapshot.Weight> weights = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("weights").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            weights.add(new ModelSnapshot.Weight(e.getKey(), -1, e.getValue().asDouble()));
        }
        return new ModelSnapshot(root.path("model").asText(), root.path("version").asLong(),
                root.path("events").asLong(), root.path("timestamp").asLong(), hyper,
                root.path("bias").asDouble(), root.path("nonzeros").asLong(), root.path("l1Norm").asDouble(),
                root.path("l2Norm").asDouble(), weights);
    }
}
