package io.streamsgd.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    private static Event read(String json) throws BadInputException {
        Event e = new Event();
        new JsonEventReader().read(json.getBytes(StandardCharsets.UTF_8), e);
        return e;
    }

    private static Event readLine(LineReader reader, String line) throws BadInputException {
        Event e = new Event();
        assertThat(reader.parse(line, e)).isTrue();
        return e;
    }

    /** Same id, model, label, weight and the same (slot, name, value) triples in the same order. */
    private static void assertSameEvent(Event actual, Event expected) {
        assertThat(actual.id()).isEqualTo(expected.id());
        assertThat(actual.model()).isEqualTo(expected.model());
        assertThat(actual.hasLabel()).isEqualTo(expected.hasLabel());
        if (expected.hasLabel()) {
            assertThat(actual.label()).isEqualTo(expected.label());
        }
        assertThat(actual.weight()).isEqualTo(expected.weight());
        assertThat(actual.features().size()).isEqualTo(expected.features().size());
        for (int i = 0; i < expected.features().size(); i++) {
            assertThat(actual.features().slot(i)).isEqualTo(expected.features().slot(i));
            assertThat(actual.features().name(i)).isEqualTo(expected.features().name(i));
            assertThat(actual.features().value(i)).isEqualTo(expected.features().value(i));
        }
    }

    @Test
    void shouldWriteTheEventFormatWithWholeNumbersAsIntegersAndOmitDefaults() throws Exception {
        Event e = read("{\"id\":\"e-1\",\"label\":1,\"features\":{\"a\":1.0,\"site\":\"x\",\"m\":true,\"off\":false,\"p\":0.1}}");
        assertThat(new String(new EventJson().toBytes(e), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":\"e-1\",\"label\":1,\"features\":{\"a\":1,\"site=x\":1,\"m\":1,\"p\":0.1}}");
        Event weighted = read("{\"model\":\"m\",\"features\":{\"a\":-2.5},\"weight\":0.25}");
        assertThat(new String(new EventJson().toBytes(weighted), StandardCharsets.UTF_8))
                .isEqualTo("{\"model\":\"m\",\"features\":{\"a\":-2.5},\"weight\":0.25}");
    }

    @Test
    void convertedLinesShouldReadBackAsTheSameEvents() throws Exception {
        EventJson writer = new EventJson();
        Event libsvm = readLine(EventFormat.LIBSVM.newLineReader(), "-1 3:0.5 17:1e-3 200:12");
        assertSameEvent(read(new String(writer.toBytes(libsvm), StandardCharsets.UTF_8)), libsvm);
        Event vw = readLine(EventFormat.VW.newLineReader(), "1 2.0 'tag7|user age:0.3 new |ad id=42 red");
        assertSameEvent(read(new String(writer.toBytes(vw), StandardCharsets.UTF_8)), vw);
        LineReader csv = EventFormat.CSV.newLineReader();
        assertThat(csv.parse("label,price,color", new Event())).isFalse();
        Event row = readLine(csv, "0,12.5,blue");
        assertSameEvent(read(new String(writer.toBytes(row), StandardCharsets.UTF_8)), row);
    }

    @Test
    void aModelOverrideShouldReplaceTheEventsModel() throws Exception {
        Event e = read("{\"model\":\"a\",\"label\":0,\"features\":{\"x\":3}}");
        Event back = read(new String(new EventJson().toBytes(e, "b"), StandardCharsets.UTF_8));
        assertThat(back.model()).isEqualTo("b");
        assertThat(back.label()).isZero();
    }
}
