package io.streamsgd.codec;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.streamsgd.learn.Features;
import java.io.IOException;
import java.util.Objects;

/**
 * Reads one JSON event (product brief section 2) from a record's bytes into a reusable
 * {@link Event}, with Jackson's streaming parser: no tree, no data binding.
 *
 * <p>Field names are not canonicalized. Jackson's symbol table pays off for a fixed set of field
 * names, but feature names are a vocabulary that keeps growing (ids, words): every new name made
 * each parser copy the shared table, about 210 KB per event on a 1,000,000-name vocabulary, five
 * times slower than decoding each name into a fresh string (EventParseBenchmark, {@code
 * vocabulary}: 57,000 against 314,000 events/s, 213 KB against 2.9 KB allocated per event; on a
 * fixed set of 30 names the table was about 10% faster, 1.1 KB against 3.5 KB).
 *
 * <p>The contract, in the order the checks apply:
 * <ul>
 *   <li>a null value is {@code null_value}; more than {@link ReadLimits#maxRecordBytes()} bytes is
 *       {@code record_too_large}; bytes that are not UTF-8 are {@code invalid_utf8}; empty or
 *       whitespace-only bytes are {@code empty_record}; anything but one JSON object (malformed
 *       text, or content after the object) is {@code not_json}, or {@code not_an_object} if the
 *       root is another JSON value;
 *   <li>nesting deeper than {@link ReadLimits#maxDepth()}, unknown fields included, is
 *       {@code too_deep} (counted here without recursion, so any depth is safe);
 *   <li>{@code id}: string, or a finite number kept as its JSON text, else {@code bad_id};
 *       {@code model}: string, else {@code bad_model}; {@code label}: finite number, or
 *       true/false as 1/0, else {@code bad_label}; {@code weight}: finite number greater than 0
 *       (0 is refused: an event that should not train is sent without a label), else
 *       {@code bad_weight}. For these four, null means absent. A known field given twice is
 *       refused with that field's reason: readers that keep the first and readers that keep the
 *       last would disagree.
 *   <li>{@code features}: absent or null is {@code missing_features}; not an object is
 *       {@code bad_feature_value}; no entries is {@code empty_features}; more entries than
 *       {@link ReadLimits#maxFeatures()} is {@code too_many_features}; a name given twice is
 *       {@code duplicate_feature}. A value is a finite number, true (1), false (nothing) or a
 *       string {@code v} (the feature {@code name=v} with value 1); anything else, NaN and
 *       numbers that overflow a double included, is {@code bad_feature_value}. Zero values are
 *       valid and contribute nothing.
 *   <li>other top-level fields are skipped (forward compatibility), but count toward the depth limit.
 * </ul>
 *
 * <p>{@code NaN} and {@code Infinity} literals, which Python's {@code json.dumps} writes, are read
 * as numbers so that they are reported as the non-finite values they are rather than as broken JSON.
 *
 * <p>Not thread-safe: it keeps scratch state between records; use one reader per thread.
 */
public final class JsonEventReader {
    private static final int SEEN_ID = 1;
    private static final int SEEN_MODEL = 2;
    private static final int SEEN_LABEL = 4;
    private static final int SEEN_WEIGHT = 8;
    private static final int SEEN_FEATURES = 16;

    private final ReadLimits limits;
    private final JsonFactory factory;
    private final NameSet featureNames = new NameSet();
    private final StringBuilder categorical = new StringBuilder();
    // A record stream names few models: reuse their strings instead of allocating one per record.
    private final String[] recentModels = new String[8];
    private int nextModelSlot;
    private int depth;
    // The field whose value is being read, so a Jackson limit hit inside it gets that field's reason.
    private BadInputReason valueReason;
    private String valueField;

    /** A reader with the {@link ReadLimits#DEFAULTS default limits}. */
    public JsonEventReader() {
        this(ReadLimits.DEFAULTS);
    }

    public JsonEventReader(ReadLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                // One above ours: our own count trips first, with the precise reason.
                .maxNestingDepth(limits.maxDepth() + 1)
                .build();
        this.factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                // Parses doubles straight from Jackson's char buffer instead of via a String.
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                // Feature names are user data from an unbounded vocabulary: no symbol table (see the class comment).
                .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .build();
    }

    public ReadLimits limits() {
        return limits;
    }

    /**
     * Reads a whole record value; null (a Kafka tombstone) is {@code null_value}.
     *
     * @throws BadInputException if the record is rejected; {@code into} is then reset
     */
    public void read(byte[] record, Event into) throws BadInputException {
        if (record == null) {
            into.reset();
            throw new BadInputException(BadInputReason.NULL_VALUE, "the record value is null (a tombstone)");
        }
        read(record, 0, record.length, into);
    }

    /**
     * Reads the record in {@code bytes[offset, offset + length)} into {@code into}, which is
     * reset first.
     *
     * @throws BadInputException if the record is rejected; {@code into} is then reset
     * @throws IndexOutOfBoundsException if the range is not inside {@code bytes}
     */
    public void read(byte[] bytes, int offset, int length, Event into) throws BadInputException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        into.reset();
        try {
            parse(bytes, offset, length, into);
        } catch (BadInputException e) {
            into.reset();
            throw e;
        } finally {
            reading(null, null);
        }
    }

    /**
     * Reads one line of a JSON Lines file. A line of only whitespace holds no event and returns
     * false (files often end with one); anything else is read as a record.
     *
     * @return true if the line held an event, now in {@code into}
     * @throws BadInputException if the line is rejected; {@code into} is then reset
     */
    public boolean readLine(String line, Event into) throws BadInputException {
        if (Text.isBlank(line)) {
            into.reset();
            return false;
        }
        byte[] bytes = line.getBytes(UTF_8);
        read(bytes, 0, bytes.length, into);
        return true;
    }

    private void parse(byte[] bytes, int offset, int length, Event into) throws BadInputException {
        if (length > limits.maxRecordBytes()) {
            throw new BadInputException(BadInputReason.RECORD_TOO_LARGE,
                    "the record is " + length + " bytes, more than the limit of " + limits.maxRecordBytes());
        }
        int end = offset + length;
        int invalid = Utf8.firstInvalid(bytes, offset, end);
        if (invalid >= 0) {
            throw new BadInputException(BadInputReason.INVALID_UTF8,
                    "invalid UTF-8 at byte " + (invalid - offset) + ": " + Text.hex(bytes, invalid, end));
        }
        // UTF-8 JSON never holds a raw NUL; Jackson would take NULs among the first bytes as a
        // sign of UTF-16 or UTF-32 and decode the record as such, which the format does not allow.
        for (int i = offset; i < Math.min(end, offset + 4); i++) {
            if (bytes[i] == 0) {
                throw new BadInputException(BadInputReason.NOT_JSON,
                        "NUL byte at byte " + (i - offset) + ": events must be UTF-8 JSON (not UTF-16 or UTF-32)");
            }
        }
        try (JsonParser parser = factory.createParser(bytes, offset, length)) {
            readRoot(parser, into);
        } catch (StreamConstraintsException e) {
            // Jackson's own limits (number length, name length): blame the field being read.
            BadInputReason reason = valueReason != null ? valueReason : BadInputReason.NOT_JSON;
            String where = valueField != null ? "'" + valueField + "': " : "";
            throw new BadInputException(reason, where + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            long at = byteOffset(e.getLocation(), bytes, offset, offset + length);
            String where = at >= 0 ? " at byte " + at : "";
            throw new BadInputException(BadInputReason.NOT_JSON, "malformed JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            // Reading a byte array does no I/O; Jackson's signatures declare it anyway.
            throw new BadInputException(BadInputReason.NOT_JSON, "unreadable record: " + e.getMessage(), e);
        }
    }

    /**
     * Where in the record an error is, in bytes, or -1. Without a symbol table Jackson reads bytes
     * through a UTF-8 decoder and reports UTF-16 units; the record is valid UTF-8 by then, so the
     * count converts exactly.
     */
    static long byteOffset(JsonLocation location, byte[] bytes, int from, int to) {
        if (location == null) {
            return -1;
        }
        if (location.getByteOffset() >= 0) {
            return location.getByteOffset();
        }
        long chars = location.getCharOffset();
        if (chars < 0) {
            return -1;
        }
        int i = from;
        for (long c = 0; i < to && c < chars; ) {
            int b = bytes[i] & 0xFF;
            int length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
            c += length == 4 ? 2 : 1; // four-byte sequences are surrogate pairs
            i += length;
        }
        return i - from;
    }

    private void readRoot(JsonParser p, Event into) throws IOException, BadInputException {
        JsonToken token = p.nextToken();
        if (token == null) {
            throw new BadInputException(BadInputReason.EMPTY_RECORD, "the record is empty");
        }
        if (token != JsonToken.START_OBJECT) {
            throw new BadInputException(BadInputReason.NOT_AN_OBJECT,
                    "the record must be a JSON object, got " + describe(p, token));
        }
        depth = 1;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            switch (field) {
                case "features" -> {
                    seen = once(seen, SEEN_FEATURES, field, BadInputReason.DUPLICATE_FEATURE);
                    readFeatures(p, into.features());
                }
                case "label" -> {
                    seen = once(seen, SEEN_LABEL, field, BadInputReason.BAD_LABEL);
                    readLabel(p, into);
                }
                case "weight" -> {
                    seen = once(seen, SEEN_WEIGHT, field, BadInputReason.BAD_WEIGHT);
                    readWeight(p, into);
                }
                case "id" -> {
                    seen = once(seen, SEEN_ID, field, BadInputReason.BAD_ID);
                    readId(p, into);
                }
                case "model" -> {
                    seen = once(seen, SEEN_MODEL, field, BadInputReason.BAD_MODEL);
                    readModel(p, into);
                }
                default -> skipValue(p);
            }
        }
        // The loop ends on the root's END_OBJECT: Jackson reports anything else as malformed.
        JsonToken after = p.nextToken();
        if (after != null) {
            throw new BadInputException(BadInputReason.NOT_JSON,
                    "content after the root object: " + describe(p, after));
        }
        if ((seen & SEEN_FEATURES) == 0) {
            throw new BadInputException(BadInputReason.MISSING_FEATURES, "the record has no 'features' field");
        }
    }

    private static int once(int seen, int bit, String field, BadInputReason reason) throws BadInputException {
        if ((seen & bit) != 0) {
            throw new BadInputException(reason, "field '" + field + "' appears twice");
        }
        return seen | bit;
    }

    private void readFeatures(JsonParser p, Features features) throws IOException, BadInputException {
        reading(BadInputReason.BAD_FEATURE_VALUE, "features");
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            throw new BadInputException(BadInputReason.MISSING_FEATURES, "'features' is null");
        }
        if (token != JsonToken.START_OBJECT) {
            throw new BadInputException(BadInputReason.BAD_FEATURE_VALUE,
                    "'features' must be an object of name: value, got " + describe(p, token));
        }
        enter();
        featureNames.clear();
        int count = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (++count > limits.maxFeatures()) {
                throw new BadInputException(BadInputReason.TOO_MANY_FEATURES,
                        "more than " + limits.maxFeatures() + " features");
            }
            if (!featureNames.add(name)) {
                throw new BadInputException(BadInputReason.DUPLICATE_FEATURE,
                        "feature " + Text.quote(name) + " appears twice");
            }
            token = p.nextToken();
            switch (token) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    double value = p.getDoubleValue();
                    if (!Double.isFinite(value)) {
                        throw new BadInputException(BadInputReason.BAD_FEATURE_VALUE,
                                "feature " + Text.quote(name) + " is not a finite number: " + Text.quote(p.getText()));
                    }
                    features.add(name, value); // drops zeros
                }
                case VALUE_TRUE -> features.add(name, 1.0);
                case VALUE_FALSE -> {
                    // false is 0: a valid value that contributes nothing
                }
                case VALUE_STRING -> {
                    categorical.setLength(0);
                    categorical.append(name).append('=').append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    features.add(categorical.toString(), 1.0);
                }
                default -> throw new BadInputException(BadInputReason.BAD_FEATURE_VALUE,
                        "feature " + Text.quote(name) + " must be a number, a boolean or a string, got " + describe(p, token));
            }
        }
        depth--;
        if (count == 0) {
            throw new BadInputException(BadInputReason.EMPTY_FEATURES, "'features' is empty");
        }
        reading(null, null);
    }

    private void readLabel(JsonParser p, Event into) throws IOException, BadInputException {
        reading(BadInputReason.BAD_LABEL, "label");
        JsonToken token = p.nextToken();
        switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                double label = p.getDoubleValue();
                if (!Double.isFinite(label)) {
                    throw new BadInputException(BadInputReason.BAD_LABEL,
                            "'label' is not a finite number: " + Text.quote(p.getText()));
                }
                into.setLabel(label);
            }
            case VALUE_TRUE -> into.setLabel(1.0);
            case VALUE_FALSE -> into.setLabel(0.0);
            case VALUE_NULL -> {
                // null: unlabeled, predict only
            }
            default -> throw new BadInputException(BadInputReason.BAD_LABEL,
                    "'label' must be a number, a boolean or null, got " + describe(p, token));
        }
        reading(null, null);
    }

    private void readWeight(JsonParser p, Event into) throws IOException, BadInputException {
        reading(BadInputReason.BAD_WEIGHT, "weight");
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            double weight = p.getDoubleValue();
            if (!(weight > 0.0) || weight == Double.POSITIVE_INFINITY) {
                throw new BadInputException(BadInputReason.BAD_WEIGHT,
                        "'weight' must be a finite number > 0, got " + Text.quote(p.getText()));
            }
            into.setWeight(weight);
        } else if (token != JsonToken.VALUE_NULL) {
            throw new BadInputException(BadInputReason.BAD_WEIGHT,
                    "'weight' must be a finite number > 0, got " + describe(p, token));
        }
        reading(null, null);
    }

    private void readId(JsonParser p, Event into) throws IOException, BadInputException {
        reading(BadInputReason.BAD_ID, "id");
        JsonToken token = p.nextToken();
        switch (token) {
            case VALUE_STRING -> into.setId(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                if (!Double.isFinite(p.getDoubleValue())) {
                    throw new BadInputException(BadInputReason.BAD_ID,
                            "'id' is not a finite number: " + Text.quote(p.getText()));
                }
                into.setId(p.getText()); // the number as written: 42 stays "42", 1.50 stays "1.50"
            }
            case VALUE_NULL -> {
                // null: absent, the stream layer derives an id
            }
            default -> throw new BadInputException(BadInputReason.BAD_ID,
                    "'id' must be a string or a number, got " + describe(p, token));
        }
        reading(null, null);
    }

    private void readModel(JsonParser p, Event into) throws IOException, BadInputException {
        reading(BadInputReason.BAD_MODEL, "model");
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_STRING) {
            into.setModel(modelName(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
        } else if (token != JsonToken.VALUE_NULL) {
            throw new BadInputException(BadInputReason.BAD_MODEL,
                    "'model' must be a string, got " + describe(p, token));
        }
        reading(null, null);
    }

    private String modelName(char[] chars, int offset, int length) {
        for (String known : recentModels) {
            if (known != null && contentEquals(known, chars, offset, length)) {
                return known;
            }
        }
        String name = new String(chars, offset, length);
        recentModels[nextModelSlot] = name;
        nextModelSlot = (nextModelSlot + 1) % recentModels.length;
        return name;
    }

    private static boolean contentEquals(String s, char[] chars, int offset, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /** Skips the value of an unknown field, counting depth itself (Jackson's skipChildren would not). */
    private void skipValue(JsonParser p) throws IOException, BadInputException {
        JsonToken token = p.nextToken();
        if (!token.isStructStart()) {
            return;
        }
        int base = depth;
        enter();
        while (depth > base) {
            token = p.nextToken();
            if (token.isStructStart()) {
                enter();
            } else if (token.isStructEnd()) {
                depth--;
            }
        }
    }

    private void reading(BadInputReason reason, String field) {
        valueReason = reason;
        valueField = field;
    }

    private void enter() throws BadInputException {
        if (++depth > limits.maxDepth()) {
            throw new BadInputException(BadInputReason.TOO_DEEP,
                    "objects and arrays nested deeper than " + limits.maxDepth() + " levels");
        }
    }

    private static String describe(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string " + Text.quote(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + Text.quote(p.getText());
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> token.asString() != null ? token.asString() : token.name();
        };
    }

    @Override
    public String toString() {
        return "JsonEventReader{" + limits + "}";
    }
}
