package io.streamsgd.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.learn.ModelSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot as records of the models topic: parts of at most {@code maxBytes} each, so that a
 * model of millions of non-zeros fits Kafka's record size. Every part is a complete JSON document
 * in the {@link SnapshotJson} form plus {@code "part"} (0-based) and {@code "parts"} (how many),
 * carrying the full header and a share of the weights; {@link Assembler} rebuilds the newest
 * version of which every part has arrived.
 */
public final class SnapshotParts {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);
    /** Room kept in every part for the header. */
    private static final int HEADER_ALLOWANCE = 4096;

    private SnapshotParts() {
    }

    /** Splits a snapshot into parts of at most {@code maxBytes} (a single weight never exceeds it). */
    public static List<byte[]> split(ModelSnapshot s, int maxBytes) {
        int budget = maxBytes - HEADER_ALLOWANCE;
        List<Integer> boundaries = new ArrayList<>();
        boundaries.add(0);
        ByteArrayOutputStream measure = new ByteArrayOutputStream(256);
        long used = 0;
        List<ModelSnapshot.Weight> weights = s.weights();
        try {
            for (int i = 0; i < weights.size(); i++) {
                measure.reset();
                try (JsonGenerator g = FACTORY.createGenerator(measure)) {
                    g.writeStartObject();
                    g.writeNumberField(SnapshotJson.nameOf(weights.get(i)), weights.get(i).value());
                    g.writeEndObject();
                }
                int size = measure.size();
                if (used + size > budget && used > 0) {
                    boundaries.add(i);
                    used = 0;
                }
                used += size;
            }
            boundaries.add(weights.size());
            int parts = boundaries.size() - 1;
            List<byte[]> out = new ArrayList<>(parts);
            for (int p = 0; p < parts; p++) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.min(maxBytes, 1 << 16));
                try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
                    g.writeStartObject();
                    SnapshotJson.writeHeader(g, s);
                    g.writeNumberField("part", p);
                    g.writeNumberField("parts", parts);
                    g.writeFieldName("weights");
                    g.writeStartObject();
                    for (ModelSnapshot.Weight w : weights.subList(boundaries.get(p), boundaries.get(p + 1))) {
                        g.writeNumberField(SnapshotJson.nameOf(w), w.value());
                    }
                    g.writeEndObject();
                    g.writeEndObject();
                }
                out.add(bytes.toByteArray());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Collects parts as they are read and keeps, per model, the newest version whose parts have
     * all arrived. Parts of an incomplete version (a writer that crashed mid-snapshot, read
     * without read_committed) are never returned.
     */
    public static final class Assembler {
        private final Map<String, Map<Long, Pending>> pending = new HashMap<>();
        private final Map<String, ModelSnapshot> complete = new HashMap<>();

        private static final class Pending {
            final Map<Integer, JsonNode> parts = new HashMap<>();
            int expected;
        }

        /**
         * Adds one record of the models topic.
         *
         * @throws IOException if it is not a snapshot part of the known format
         */
        public void add(byte[] value) throws IOException {
            JsonNode root = MAPPER.readTree(value);
            if (root == null || root.path("format").asInt(-1) != SnapshotJson.FORMAT) {
                throw new IOException("not a snapshot part of format " + SnapshotJson.FORMAT);
            }
            String model = root.path("model").asText();
            long version = root.path("version").asLong();
            ModelSnapshot done = complete.get(model);
            if (done != null && done.version() >= version) {
                return;
            }
            Pending p = pending.computeIfAbsent(model, m -> new HashMap<>()).computeIfAbsent(version, v -> new Pending());
            p.expected = root.path("parts").asInt(1);
            p.parts.put(root.path("part").asInt(0), root);
            if (p.parts.size() == p.expected) {
                complete.put(model, assemble(p));
                pending.get(model).keySet().removeIf(v -> v <= version);
            }
        }

        /** The newest complete snapshot of a model. */
        public Optional<ModelSnapshot> latest(String model) {
            return Optional.ofNullable(complete.get(model));
        }

        private static ModelSnapshot assemble(Pending p) {
            JsonNode first = p.parts.get(0);
            Map<String, String> hyper = new LinkedHashMap<>();
            first.path("hyperparameters").fields().forEachRemaining(e -> hyper.put(e.getKey(), e.getValue().asText()));
            List<ModelSnapshot.Weight> weights = new ArrayList<>();
            for (int i = 0; i < p.expected; i++) {
                for (Iterator<Map.Entry<String, JsonNode>> it = p.parts.get(i).path("weights").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    weights.add(new ModelSnapshot.Weight(e.getKey(), -1, e.getValue().asDouble()));
                }
            }
            return new ModelSnapshot(first.path("model").asText(), first.path("version").asLong(),
                    first.path("events").asLong(), first.path("timestamp").asLong(), hyper, first.path("bias").asDouble(),
                    first.path("nonzeros").asLong(), first.path("l1Norm").asDouble(), first.path("l2Norm").asDouble(),
                    weights);
        }
    }
}
