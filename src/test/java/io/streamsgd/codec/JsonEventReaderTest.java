package io.streamsgd.codec;

import static io.streamsgd.codec.BadInputReason.BAD_FEATURE_VALUE;
import static io.streamsgd.codec.BadInputReason.BAD_ID;
import static io.streamsgd.codec.BadInputReason.BAD_LABEL;
import static io.streamsgd.codec.BadInputReason.BAD_MODEL;
import static io.streamsgd.codec.BadInputReason.BAD_WEIGHT;
import static io.streamsgd.codec.BadInputReason.DUPLICATE_FEATURE;
import static io.streamsgd.codec.BadInputReason.EMPTY_FEATURES;
import static io.streamsgd.codec.BadInputReason.EMPTY_RECORD;
import static io.streamsgd.codec.BadInputReason.INVALID_UTF8;
import static io.streamsgd.codec.BadInputReason.MISSING_FEATURES;
import static io.streamsgd.codec.BadInputReason.NOT_AN_OBJECT;
import static io.streamsgd.codec.BadInputReason.NOT_JSON;
import static io.streamsgd.codec.BadInputReason.NULL_VALUE;
import static io.streamsgd.codec.BadInputReason.RECORD_TOO_LARGE;
import static io.streamsgd.codec.BadInputReason.TOO_DEEP;
import static io.streamsgd.codec.BadInputReason.TOO_MANY_FEATURES;
import static io.streamsgd.codec.Events.features;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import io.streamsgd.learn.FeatureHasher;
import java.io.ByteArrayOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonEventReaderTest {
    private final JsonEventReader reader = new JsonEventReader();
    private final Event event = new Event();

    // ---- good events ----

    @Test
    void shouldReadTheProductBriefExample() throws BadInputException {
        read("""
                {"id": "e-42", "model": "ctr", "label": 1,
                 "features": {"site": "news.example", "hour=13": 1, "price": 12.5, "mobile": true},
                 "weight": 1.0}""");

        assertThat(event.id()).isEqualTo("e-42");
        assertThat(event.model()).isEqualTo("ctr");
        assertThat(event.hasLabel()).isTrue();
        assertThat(event.label()).isEqualTo(1.0);
        assertThat(event.weight()).isEqualTo(1.0);
        assertThat(features(event)).containsExactly(
                entry("site=news.example", 1.0), entry("hour=13", 1.0), entry("price", 12.5), entry("mobile", 1.0));
    }

    @Test
    void shouldHashEveryNameWithTheFull32BitMurmur3() throws BadInputException {
        read("{\"features\":{\"hello\":2,\"café\":1,\"emoji\":\"\uD83D\uDE00\"}}");

        for (int i = 0; i < event.features().size(); i++) {
            String name = event.features().name(i);
            assertThat(event.features().slot(i)).as(name).isEqualTo(FeatureHasher.murmur3(name, 0));
        }
        assertThat(event.features().slot(0)).isEqualTo(0x248bfa47);
        assertThat(features(event)).containsOnlyKeys("hello", "café", "emoji=\uD83D\uDE00");
    }

    @Test
    void shouldMakeStringValuesCategoricalWithValueOne() throws BadInputException {
        read("{\"features\":{\"site\":\"a.example\",\"lang\":\"\",\"quote\":\"say \\\"hi\\\"\"}}");

        assertThat(features(event)).containsExactly(
                entry("site=a.example", 1.0), entry("lang=", 1.0), entry("quote=say \"hi\"", 1.0));
    }

    @Test
    void shouldReadTrueAsOneAndDropFalse() throws BadInputException {
        read("{\"features\":{\"mobile\":true,\"desktop\":false}}");

        assertThat(features(event)).containsExactly(entry("mobile", 1.0));
    }

    @Test
    void shouldAcceptZeroAndNegativeZeroAsFeaturesThatContributeNothing() throws BadInputException {
        read("{\"features\":{\"a\":0,\"b\":-0,\"c\":0.0,\"d\":-0.0e5,\"e\":false}}");

        assertThat(event.features().size()).isZero();
    }

    @Test
    void shouldReadNumbersOfEveryJsonForm() throws BadInputException {
        read("{\"features\":{\"a\":-3,\"b\":2.5e-3,\"c\":1E2,\"d\":12345678901234567890123,\"e\":0.1}}");

        assertThat(features(event)).containsExactly(
                entry("a", -3.0), entry("b", 0.0025), entry("c", 100.0), entry("d", 1.2345678901234568e22), entry("e", 0.1));
    }

    @Test
    void shouldLeaveTheEventUnlabeledWhenTheLabelIsMissingOrNull() throws BadInputException {
        read("{\"features\":{\"a\":1}}");
        assertThat(event.hasLabel()).isFalse();
        assertThatThrownBy(event::label).isInstanceOf(IllegalStateException.class);

        read("{\"label\":null,\"features\":{\"a\":1}}");
        assertThat(event.hasLabel()).isFalse();
    }

    @Test
    void shouldReadBooleanLabelsAsOneAndZeroAndNumbersAsGiven() throws BadInputException {
        read("{\"label\":true,\"features\":{\"a\":1}}");
        assertThat(event.label()).isEqualTo(1.0);
        read("{\"label\":false,\"features\":{\"a\":1}}");
        assertThat(event.label()).isEqualTo(0.0);
        read("{\"label\":-1,\"features\":{\"a\":1}}");
        assertThat(event.label()).isEqualTo(-1.0);
        read("{\"label\":3.25,\"features\":{\"a\":1}}");
        assertThat(event.label()).isEqualTo(3.25);
    }

    @Test
    void shouldReadTheImportanceWeightAndDefaultItToOne() throws BadInputException {
        read("{\"weight\":2.5,\"features\":{\"a\":1}}");
        assertThat(event.weight()).isEqualTo(2.5);
        read("{\"weight\":null,\"features\":{\"a\":1}}");
        assertThat(event.weight()).isEqualTo(1.0);
        read("{\"features\":{\"a\":1}}");
        assertThat(event.weight()).isEqualTo(1.0);
    }

    @Test
    void shouldKeepNumericIdsAsTheirJsonText() throws BadInputException {
        read("{\"id\":42,\"features\":{\"a\":1}}");
        assertThat(event.id()).isEqualTo("42");
        read("{\"id\":1.50,\"features\":{\"a\":1}}");
        assertThat(event.id()).isEqualTo("1.50");
        read("{\"id\":-7,\"features\":{\"a\":1}}");
        assertThat(event.id()).isEqualTo("-7");
    }

    @Test
    void shouldLeaveIdAndModelNullWhenAbsentOrNull() throws BadInputException {
        read("{\"features\":{\"a\":1}}");
        assertThat(event.id()).isNull();
        assertThat(event.model()).isNull();

        read("{\"id\":null,\"model\":null,\"features\":{\"a\":1}}");
        assertThat(event.id()).isNull();
        assertThat(event.model()).isNull();
    }

    @Test
    void shouldSkipUnknownFieldsOfAnyShape() throws BadInputException {
        read("{\"v\":2,\"meta\":{\"a\":[1,{\"b\":null}],\"c\":\"x\"},\"features\":{\"a\":1},\"tags\":[\"t\"],"
                + "\"ts\":NaN,\"note\":\"caf\u00e9\"}");

        assertThat(features(event)).containsExactly(entry("a", 1.0));
    }

    @Test
    void shouldAcceptNestingUpToTheDepthLimit() throws BadInputException {
        // Root object is depth 1, so an unknown field can hold 15 more levels under the default 16.
        read("{\"x\":" + "[".repeat(15) + "]".repeat(15) + ",\"features\":{\"a\":1}}");

        assertThat(features(event)).containsExactly(entry("a", 1.0));
    }

    @Test
    void shouldReadARecordInsideALargerBuffer() throws BadInputException {
        byte[] record = "{\"features\":{\"a\":2}}".getBytes(UTF_8);
        byte[] buffer = new byte[record.length + 10];
        java.util.Arrays.fill(buffer, (byte) '}');
        System.arraycopy(record, 0, buffer, 5, record.length);

        reader.read(buffer, 5, record.length, event);

        assertThat(features(event)).containsExactly(entry("a", 2.0));
    }

    @Test
    void shouldAcceptAUtf8ByteOrderMark() throws BadInputException {
        read("\uFEFF{\"features\":{\"a\":1}}");

        assertThat(features(event)).containsExactly(entry("a", 1.0));
    }

    @Test
    void shouldAcceptARecordOfExactlyTheSizeLimit() throws BadInputException {
        String record = "{\"features\":{\"a\":1}}";
        JsonEventReader small = new JsonEventReader(new ReadLimits(record.length(), 10, 4));

        small.read(record.getBytes(UTF_8), event);
        assertThat(event.features().size()).isEqualTo(1);

        BadInputException e = rejection(small, (record + " ").getBytes(UTF_8));
        assertThat(e.reason()).isEqualTo(RECORD_TOO_LARGE);
    }

    @Test
    void shouldAcceptExactlyTheFeatureLimit() throws BadInputException {
        JsonEventReader small = new JsonEventReader(new ReadLimits(1000, 3, 4));

        small.read("{\"features\":{\"a\":1,\"b\":0,\"c\":false}}".getBytes(UTF_8), event);
        assertThat(features(event)).containsExactly(entry("a", 1.0));

        assertThat(rejection(small, "{\"features\":{\"a\":1,\"b\":0,\"c\":false,\"d\":2}}".getBytes(UTF_8)).reason())
                .isEqualTo(TOO_MANY_FEATURES);
    }

    // ---- reuse ----

    @Test
    void shouldGiveACleanEventAfterARejectedOne() throws BadInputException {
        read("{\"id\":\"first\",\"model\":\"m\",\"label\":1,\"weight\":3,\"features\":{\"x\":1,\"y\":2}}");

        // Rejected after id, model, weight and some features were already read.
        BadInputException e = rejection(
                "{\"id\":\"bad\",\"model\":\"m2\",\"weight\":2,\"features\":{\"p\":1,\"q\":2},\"label\":\"yes\"}");
        assertThat(e.reason()).isEqualTo(BAD_LABEL);
        assertThat(event.features().size()).isZero();
        assertThat(event.id()).isNull();
        assertThat(event.model()).isNull();
        assertThat(event.weight()).isEqualTo(1.0);

        read("{\"features\":{\"z\":5}}");
        assertThat(features(event)).containsExactly(entry("z", 5.0));
        assertThat(event.id()).isNull();
        assertThat(event.model()).isNull();
        assertThat(event.hasLabel()).isFalse();
        assertThat(event.weight()).isEqualTo(1.0);
    }

    @Test
    void shouldForgetFeatureNamesBetweenRecords() throws BadInputException {
        read("{\"features\":{\"a\":1,\"b\":2}}");
        read("{\"features\":{\"a\":3,\"b\":4}}"); // not duplicates of the previous record's names

        assertThat(features(event)).containsExactly(entry("a", 3.0), entry("b", 4.0));
    }

    @Test
    void shouldReuseModelStringsAcrossRecords() throws BadInputException {
        read("{\"model\":\"ctr\",\"features\":{\"price\":1}}");
        String model = event.model();

        read("{\"model\":\"ctr\",\"features\":{\"price\":2}}");

        assertThat(event.model()).isSameAs(model);
        assertThat(event.features().name(0)).isEqualTo("price");
    }

    @Test
    void shouldReportByteOffsetsPastMultiByteCharacters() {
        // "é" is 2 bytes, "😀" 4 bytes (2 UTF-16 units): the '?' is at byte 29, char 26.
        BadInputException e = rejection("{\"features\":{\"é😀\":1,\"b\":?}}");

        assertThat(e.reason()).isEqualTo(NOT_JSON);
        assertThat(e.getMessage()).contains("at byte " + "{\"features\":{\"é😀\":1,\"b\":".getBytes(UTF_8).length);
    }

    @Test
    void shouldDetectDuplicatesAmongManyFeatures() {
        StringBuilder json = new StringBuilder("{\"features\":{");
        for (int i = 0; i < 5_000; i++) {
            json.append("\"f").append(i).append("\":1,");
        }
        json.append("\"f4321\":2}}");

        BadInputException e = rejection(json.toString());

        assertThat(e.reason()).isEqualTo(DUPLICATE_FEATURE);
        assertThat(e.getMessage()).contains("'f4321'");
    }

    @Test
    void shouldReadJsonLinesSkippingBlankLines() throws BadInputException {
        assertThat(reader.readLine("  \t", event)).isFalse();
        assertThat(reader.readLine("", event)).isFalse();
        assertThat(reader.readLine("{\"label\":0,\"features\":{\"é\":1}}", event)).isTrue();
        assertThat(features(event)).containsExactly(entry("é", 1.0));
        assertThat(event.label()).isZero();
    }

    // ---- rejections ----

    static Stream<Arguments> badRecords() {
        return Stream.of(
                bad(NOT_JSON, "{\"features\":{\"a\":1}", "truncated"),
                bad(NOT_JSON, "{features:{\"a\":1}}", "unquoted name"),
                bad(NOT_JSON, "{\"features\":{\"a\":1}} x", "trailing garbage"),
                bad(NOT_JSON, "{\"features\":{\"a\":1}}{\"features\":{\"a\":1}}", "two objects"),
                bad(NOT_JSON, "{\"features\":{\"a\":}}", "missing value"),
                bad(NOT_JSON, "{\"features\":{\"a\":1,}}", "trailing comma"),
                bad(NOT_JSON, "{\"features\":{\"a\":yes}}", "bare word"),
                bad(NOT_AN_OBJECT, "[{\"features\":{\"a\":1}}]", "array root"),
                bad(NOT_AN_OBJECT, "42", "number root"),
                bad(NOT_AN_OBJECT, "\"features\"", "string root"),
                bad(NOT_AN_OBJECT, "null", "null root"),
                bad(EMPTY_RECORD, "", "empty"),
                bad(EMPTY_RECORD, " \r\n\t ", "whitespace only"),
                bad(MISSING_FEATURES, "{\"label\":1}", "no features"),
                bad(MISSING_FEATURES, "{\"features\":null}", "null features"),
                bad(EMPTY_FEATURES, "{\"features\":{}}", "empty features"),
                bad(BAD_FEATURE_VALUE, "{\"features\":[\"a\"]}", "features array"),
                bad(BAD_FEATURE_VALUE, "{\"features\":\"a\"}", "features string"),
                bad(BAD_FEATURE_VALUE, "{\"features\":{\"a\":null}}", "null value"),
                bad(BAD_FEATURE_VALUE, "{\"features\":{\"a\":[1]}}", "array value"),
                bad(BAD_FEATURE_VALUE, "{\"features\":{\"a\":{\"b\":1}}}", "object value"),
                bad(BAD_FEATURE_VALUE, "{\"features\":{\"a\":1e400}}", "overflow"),
                bad(BAD_FEATURE_VALUE, "{\"features\":{\"a\":-1e400}}", "negative overflow"),
                bad(BAD_FEATURE_VALUE, "{\"features\":{\"a\":NaN}}", "NaN"),
                bad(BAD_FEATURE_VALUE, "{\"features\":{\"a\":-Infinity}}", "-Infinity"),
                bad(BAD_FEATURE_VALUE, "{\"features\":{\"a\":1" + "0".repeat(1_500) + "}}", "number too long for Jackson"),
                bad(BAD_FEATURE_VALUE, "{\"features\":{\"" + "n".repeat(60_000) + "\":1}}", "name too long for Jackson"),
                bad(DUPLICATE_FEATURE, "{\"features\":{\"a\":1,\"a\":2}}", "same name twice"),
                bad(DUPLICATE_FEATURE, "{\"features\":{\"a\":0,\"b\":1,\"a\":0}}", "zero twice"),
                bad(DUPLICATE_FEATURE, "{\"features\":{\"s\":\"x\",\"s\":\"y\"}}", "categorical twice"),
                bad(DUPLICATE_FEATURE, "{\"features\":{\"a\":1},\"features\":{\"b\":1}}", "features twice"),
                bad(BAD_LABEL, "{\"label\":\"yes\",\"features\":{\"a\":1}}", "string label"),
                bad(BAD_LABEL, "{\"label\":\"1\",\"features\":{\"a\":1}}", "numeric string label"),
                bad(BAD_LABEL, "{\"label\":[1],\"features\":{\"a\":1}}", "array label"),
                bad(BAD_LABEL, "{\"label\":{},\"features\":{\"a\":1}}", "object label"),
                bad(BAD_LABEL, "{\"label\":1e400,\"features\":{\"a\":1}}", "overflowing label"),
                bad(BAD_LABEL, "{\"label\":NaN,\"features\":{\"a\":1}}", "NaN label"),
                bad(BAD_LABEL, "{\"label\":1,\"label\":0,\"features\":{\"a\":1}}", "label twice"),
                bad(BAD_WEIGHT, "{\"weight\":0,\"features\":{\"a\":1}}", "zero weight"),
                bad(BAD_WEIGHT, "{\"weight\":-1,\"features\":{\"a\":1}}", "negative weight"),
                bad(BAD_WEIGHT, "{\"weight\":\"2\",\"features\":{\"a\":1}}", "string weight"),
                bad(BAD_WEIGHT, "{\"weight\":true,\"features\":{\"a\":1}}", "boolean weight"),
                bad(BAD_WEIGHT, "{\"weight\":1e400,\"features\":{\"a\":1}}", "infinite weight"),
                bad(BAD_WEIGHT, "{\"weight\":NaN,\"features\":{\"a\":1}}", "NaN weight"),
                bad(BAD_ID, "{\"id\":true,\"features\":{\"a\":1}}", "boolean id"),
                bad(BAD_ID, "{\"id\":[\"a\"],\"features\":{\"a\":1}}", "array id"),
                bad(BAD_ID, "{\"id\":{},\"features\":{\"a\":1}}", "object id"),
                bad(BAD_ID, "{\"id\":NaN,\"features\":{\"a\":1}}", "NaN id"),
                bad(BAD_MODEL, "{\"model\":1,\"features\":{\"a\":1}}", "numeric model"),
                bad(BAD_MODEL, "{\"model\":false,\"features\":{\"a\":1}}", "boolean model"),
                bad(BAD_MODEL, "{\"model\":[\"a\"],\"features\":{\"a\":1}}", "array model"),
                bad(TOO_DEEP, "{\"x\":" + "[".repeat(16) + "]".repeat(16) + ",\"features\":{\"a\":1}}", "one level too deep"),
                bad(TOO_DEEP, "{\"x\":" + "{\"y\":".repeat(20) + "1" + "}".repeat(20) + ",\"features\":{\"a\":1}}",
                        "deep objects"));
    }

    private static Arguments bad(BadInputReason reason, String json, String what) {
        return Arguments.of(reason, json, what);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("badRecords")
    void shouldRejectBadRecordsWithTheirReason(BadInputReason reason, String json, String what) {
        assertThat(rejection(json).reason()).isEqualTo(reason);
    }

    @Test
    void shouldRejectInvalidUtf8Sequences() {
        byte[][] sequences = {
            {(byte) 0xC3, 0x28},                          // a lead byte without its continuation
            {(byte) 0xFF},                                // never valid
            {(byte) 0x80},                                // a lone continuation byte
            {(byte) 0xC0, (byte) 0xAF},                   // overlong '/'
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},      // an encoded UTF-16 surrogate
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        };
        for (byte[] sequence : sequences) {
            for (String[] around : new String[][] {{"{\"features\":{\"caf", "\":1}}"}, {"{\"x\":\"", "\",\"features\":{\"a\":1}}"}}) {
                byte[] record = concat(around[0].getBytes(UTF_8), sequence, around[1].getBytes(UTF_8));
                BadInputException e = rejection(record);
                assertThat(e.reason()).as(Text.hex(sequence, 0, sequence.length)).isEqualTo(INVALID_UTF8);
                assertThat(e.getMessage()).contains("byte " + around[0].length());
            }
        }
        assertThat(rejection(new byte[] {(byte) 0xFF}).reason()).isEqualTo(INVALID_UTF8);
        // A multi-byte sequence cut off by the end of the record.
        assertThat(rejection(concat("{\"features\":{\"a\":1}} ".getBytes(UTF_8), new byte[] {(byte) 0xE2, (byte) 0x82})).reason())
                .isEqualTo(INVALID_UTF8);
    }

    @Test
    void shouldRefuseUtf16EncodedJson() {
        BadInputException e = rejection("{\"features\":{\"a\":1}}".getBytes(UTF_16LE));

        assertThat(e.reason()).isEqualTo(NOT_JSON);
        assertThat(e.getMessage()).contains("UTF-8");
    }

    @Test
    void shouldRejectTenThousandNestedArraysWithoutOverflowingTheStack() {
        String deep = "{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + ",\"features\":{\"a\":1}}";
        assertThat(rejection(deep).reason()).isEqualTo(TOO_DEEP);

        JsonEventReader deepest = new JsonEventReader(new ReadLimits(1 << 20, 100, ReadLimits.MAX_DEPTH_LIMIT));
        assertThat(rejection(deepest, deep.getBytes(UTF_8)).reason()).isEqualTo(TOO_DEEP);
    }

    @Test
    void shouldRejectAFiveMegabyteRecordBeforeParsingIt() {
        // Not even JSON: the size check comes first.
        byte[] huge = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) '[');

        BadInputException e = rejection(huge);

        assertThat(e.reason()).isEqualTo(RECORD_TOO_LARGE);
        assertThat(e.getMessage()).contains("5242880 bytes").contains("1048576");
    }

    @Test
    void shouldRejectOneHundredThousandFeatures() {
        StringBuilder json = new StringBuilder("{\"label\":1,\"features\":{");
        for (int i = 0; i < 100_000; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(Integer.toString(i, 36)).append("\":1");
        }
        json.append("}}");
        assertThat(json.length()).isLessThan(ReadLimits.DEFAULT_MAX_RECORD_BYTES);

        BadInputException e = rejection(json.toString());

        assertThat(e.reason()).isEqualTo(TOO_MANY_FEATURES);
        assertThat(e.getMessage()).contains("10000");
    }

    @Test
    void shouldRejectANullRecordAsATombstone() {
        BadInputException e = catchThrowableOfType(BadInputException.class, () -> reader.read(null, event));

        assertThat(e.reason()).isEqualTo(NULL_VALUE);
    }

    @Test
    void shouldNameTheOffendingFieldInTheMessage() {
        assertThat(rejection("{\"features\":{\"price\":1e400}}").getMessage()).contains("'price'").contains("1e400");
        assertThat(rejection("{\"features\":{\"tags\":[1]}}").getMessage()).contains("'tags'").contains("an array");
        assertThat(rejection("{\"label\":\"yes\",\"features\":{\"a\":1}}").getMessage()).contains("'label'").contains("'yes'");
        assertThat(rejection("{\"weight\":0,\"features\":{\"a\":1}}").getMessage()).contains("'weight'");
        assertThat(rejection("{\"features\":{\"a\":1" + "0".repeat(1_500) + "}}").getMessage())
                .contains("'features'").contains("Number value length");
        assertThat(rejection("{\"features\":{\"a\":1}").getMessage()).contains("malformed JSON at byte");
    }

    @Test
    void shouldReportTheMalformedSpotRelativeToTheRecordStart() {
        byte[] record = "{\"features\":{\"a\":?}}".getBytes(UTF_8);
        byte[] buffer = new byte[100];
        System.arraycopy(record, 0, buffer, 40, record.length);

        BadInputException e = catchThrowableOfType(BadInputException.class, () -> reader.read(buffer, 40, record.length, event));

        assertThat(e.reason()).isEqualTo(NOT_JSON);
        assertThat(e.getMessage()).contains("at byte 17");
    }

    @Test
    void shouldRejectRangesOutsideTheBuffer() {
        assertThatThrownBy(() -> reader.read(new byte[4], 2, 3, event)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private void read(String json) throws BadInputException {
        reader.read(json.getBytes(UTF_8), event);
    }

    private BadInputException rejection(String json) {
        return rejection(json.getBytes(UTF_8));
    }

    private BadInputException rejection(byte[] record) {
        return rejection(reader, record);
    }

    private BadInputException rejection(JsonEventReader r, byte[] record) {
        BadInputException e = catchThrowableOfType(BadInputException.class, () -> r.read(record, event));
        assertThat(e).as("expected a rejection").isNotNull();
        assertThat(event.features().size()).as("a rejected record leaves no features").isZero();
        assertThat(event.hasLabel()).isFalse();
        return e;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
