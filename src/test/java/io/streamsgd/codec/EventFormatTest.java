package io.streamsgd.codec;

import static io.streamsgd.codec.Events.features;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventFormatTest {

    @ParameterizedTest
    @CsvSource({
        "events.jsonl, JSONL", "events.json, JSONL", "/data/x.NDJSON, JSONL",
        "a.libsvm, LIBSVM", "train.svm, LIBSVM", "rcv1.vw, VW", "table.CSV, CSV"})
    void shouldTellTheFormatFromTheExtension(String fileName, EventFormat format) {
        assertThat(EventFormat.fromFileName(fileName)).isEqualTo(format);
    }

    @Test
    void shouldRefuseUnknownExtensionsListingTheKnownOnes() {
        assertThatThrownBy(() -> EventFormat.fromFileName("events.txt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("events.txt").hasMessageContaining(".libsvm");
        assertThatThrownBy(() -> EventFormat.fromFileName("events.jsonl.gz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFindFormatsByCode() {
        assertThat(EventFormat.fromCode("LibSVM")).isEqualTo(EventFormat.LIBSVM);
        assertThatThrownBy(() -> EventFormat.fromCode("parquet")).hasMessageContaining("jsonl");
    }

    @Test
    void shouldMakeAWorkingLineReaderForEveryFormat() throws BadInputException {
        String[][] lines = {
            {"{\"label\":1,\"features\":{\"x\":2}}"},
            {"1 7:2"},
            {"1 | x:2"},
            {"label,x", "1,2"},
        };
        Event event = new Event();
        for (EventFormat format : EventFormat.values()) {
            LineReader reader = format.newLineReader();
            String[] input = lines[format.ordinal()];
            boolean read = false;
            for (String line : input) {
                read = reader.parse(line, event);
            }
            assertThat(read).as(format.code()).isTrue();
            assertThat(event.label()).as(format.code()).isEqualTo(1.0);
            assertThat(features(event)).as(format.code()).containsExactly(entry(format == EventFormat.LIBSVM ? "7" : "x", 2.0));
        }
    }

    @Test
    void shouldPassTheCsvLabelColumnAndLimitsToTheReader() throws BadInputException {
        LineReader reader = EventFormat.CSV.newLineReader(new ReadLimits(1000, 1, 2), "y");
        Event event = new Event();

        reader.parse("y,a,b", event);
        reader.parse("0,5,", event);

        assertThat(event.label()).isZero();
        assertThat(features(event)).containsExactly(entry("a", 5.0));
    }
}
