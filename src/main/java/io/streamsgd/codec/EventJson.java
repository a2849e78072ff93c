package io.streamsgd.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.streamsgd.learn.Features;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes an {@link Event} in the service's JSON event format (product brief section 2):
 * {@code {"id"?,"model"?,"label"?,"features":{name:value,...},"weight"?}}, so that events read
 * from LibSVM, Vowpal Wabbit or CSV lines can be produced to the input topic. Reading the bytes
 * back with {@link JsonEventReader} gives the same event: the same id, model, label, weight and
 * the same (name, value) pairs, hence the same hashed slots (a categorical feature {@code site=x}
 * is written as the numeric feature {@code "site=x":1}, which hashes identically).
 *
 * <p>Absent fields are omitted; the weight is written only when it is not 1; numbers are written
 * in their shortest exact form, whole numbers without a fraction ({@code 1}, not {@code 1.0}).
 * Not thread-safe (it reuses a buffer): one writer per thread.
 */
public final class EventJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);

    /**
     * The event's JSON bytes.
     *
     * @throws IllegalArgumentException if a feature has no name (it could not be hashed the same way)
     */
    public byte[] toBytes(Event event) {
        return toBytes(event, null);
    }

    /**
     * The event's JSON bytes, with {@code model} as its model when not null (instead of the
     * event's own).
     *
     * @throws IllegalArgumentException if a feature has no name (it could not be hashed the same way)
     */
    public byte[] toBytes(Event event, String model) {
        buffer.reset();
        try (JsonGenerator g = FACTORY.createGenerator(buffer)) {
            write(event, model, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return buffer.toByteArray();
    }

    /** Writes the event as one JSON object to {@code g}, with {@code model} as its model when not null. */
    public static void write(Event event, String model, JsonGenerator g) throws IOException {
        g.writeStartObject();
        if (event.id() != null) {
            g.writeStringField("id", event.id());
        }
        String modelName = model != null ? model : event.model();
        if (modelName != null) {
            g.writeStringField("model", modelName);
        }
        if (event.hasLabel()) {
            g.writeFieldName("label");
            number(g, event.label());
        }
        g.writeFieldName("features");
        g.writeStartObject();
        Features features = event.features();
        for (int i = 0; i < features.size(); i++) {
            String name = features.name(i);
            if (name == null) {
                throw new IllegalArgumentException("feature in slot " + features.slot(i) + " has no name");
            }
            g.writeFieldName(name);
            number(g, features.value(i));
        }
        g.writeEndObject();
        if (event.weight() != 1.0) {
            g.writeFieldName("weight");
            number(g, event.weight());
        }
        g.writeEndObject();
    }

    /** Whole numbers of a safe size as integers, others in the shortest form that reads back exactly. */
    static void number(JsonGenerator g, double v) throws IOException {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            g.writeNumber((long) v);
        } else {
            g.writeNumber(v);
        }
    }
}
