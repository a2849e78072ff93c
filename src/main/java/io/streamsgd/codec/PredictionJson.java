package io.streamsgd.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * The JSON form of a {@link Prediction}:
 * {@code {"id","model","modelVersion","margin","prediction","label"?,"loss"?,"trained"}}.
 * Doubles are written in their shortest exact form.
 */
public final class PredictionJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private PredictionJson() {
    }

    public static void write(Prediction p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", p.id());
        g.writeStringField("model", p.model());
        g.writeNumberField("modelVersion", p.modelVersion());
        g.writeNumberField("margin", p.margin());
        g.writeNumberField("prediction", p.prediction());
        if (!Double.isNaN(p.label())) {
            g.writeNumberField("label", p.label());
        }
        if (!Double.isNaN(p.loss())) {
            g.writeNumberField("loss", p.loss());
        }
        g.writeBooleanField("trained", p.trained());
        g.writeEndObject();
    }

    /** A generator for writing many predictions, one per line, to {@code out}. */
    public static JsonGenerator lineWriter(Writer out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
        return g;
    }

    public static byte[] toBytes(Prediction p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(p, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads a prediction written by {@link #write}. */
    public static Prediction read(byte[] json) throws IOException {
        String id = null;
        String model = null;
        long version = 0;
        double margin = Double.NaN;
        double prediction = Double.NaN;
        double label = Double.NaN;
        double loss = Double.NaN;
        boolean trained = false;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a prediction must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "id" -> id = p.getValueAsString();
                    case "model" -> model = p.getValueAsString();
                    case "modelVersion" -> version = p.getLongValue();
                    case "margin" -> margin = p.getDoubleValue();
                    case "prediction" -> prediction = p.getDoubleValue();
                    case "label" -> label = p.getDoubleValue();
                    case "loss" -> loss = p.getDoubleValue();
                    case "trained" -> trained = p.getBooleanValue();
                    default -> p.skipChildren();
                }
            }
        }
        return new Prediction(id, model, version, margin, prediction, label, loss, trained);
    }
}
