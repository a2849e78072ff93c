package io.streamsgd.codec;

import static io.streamsgd.codec.Events.features;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvReaderTest {
    private final Event event = new Event();

    @Test
    void shouldReadTheHeaderThenRows() throws BadInputException {
        CsvReader reader = new CsvReader();

        assertThat(reader.parse("id,price,site,label,mobile", event)).isFalse();
        assertThat(reader.header()).containsExactly("id", "price", "site", "label", "mobile");
        assertThat(reader.parse("e-1,12.5,news.example,1,true", event)).isTrue();

        assertThat(event.id()).isEqualTo("e-1");
        assertThat(event.label()).isEqualTo(1.0);
        assertThat(features(event)).containsExactly(entry("price", 12.5), entry("site=news.example", 1.0), entry("mobile", 1.0));
    }

    @Test
    void shouldTreatEmptyCellsAsAbsent() throws BadInputException {
        CsvReader reader = reader("id,a,b,label");

        reader.parse(",3,,", event);

        assertThat(event.id()).isNull();
        assertThat(event.hasLabel()).isFalse();
        assertThat(features(event)).containsExactly(entry("a", 3.0));
    }

    @Test
    void shouldHandleQuotesSpacesAndCarriageReturns() throws BadInputException {
        CsvReader reader = reader("label,city,note,x");

        reader.parse("0,\"Paris, FR\",\"say \"\"hi\"\"\", 2.5 \r", event);

        assertThat(event.label()).isZero();
        assertThat(features(event)).containsExactly(entry("city=Paris, FR", 1.0), entry("note=say \"hi\"", 1.0), entry("x", 2.5));
    }

    @Test
    void shouldUseAConfiguredLabelColumnOrNone() throws BadInputException {
        CsvReader spam = new CsvReader("is_spam", ReadLimits.DEFAULTS);
        spam.parse("is_spam,label", event);
        spam.parse("1,7", event);
        assertThat(event.label()).isEqualTo(1.0);
        assertThat(features(event)).containsExactly(entry("label", 7.0));

        CsvReader unlabeled = new CsvReader(null, ReadLimits.DEFAULTS);
        unlabeled.parse("a,b", event);
        unlabeled.parse("1,2", event);
        assertThat(event.hasLabel()).isFalse();
        assertThat(features(event)).containsExactly(entry("a", 1.0), entry("b", 2.0));
    }

    @Test
    void shouldReadBooleanLabelsAndCellsInAnyCase() throws BadInputException {
        CsvReader reader = reader("label,a,b");

        reader.parse("True,FALSE,true", event);

        assertThat(event.label()).isEqualTo(1.0);
        assertThat(features(event)).containsExactly(entry("b", 1.0));
    }

    @Test
    void shouldStripAByteOrderMarkFromTheHeader() throws BadInputException {
        CsvReader reader = reader("\uFEFFlabel,a");

        reader.parse("1,2", event);

        assertThat(reader.header()).containsExactly("label", "a");
        assertThat(event.label()).isEqualTo(1.0);
    }

    @ParameterizedTest(name = "{0}: \"{1}\"")
    @CsvSource(delimiter = '#', textBlock = """
            NOT_CSV           # 1,2
            NOT_CSV           # 1,2,3,4
            NOT_CSV           # 1,"2,3
            NOT_CSV           # 1,"2"x,3
            BAD_LABEL         # yes,1,2
            BAD_LABEL         # 1e400,1,2
            BAD_FEATURE_VALUE # 1,1e400,2
            BAD_FEATURE_VALUE # 1,NaN,2
            BAD_FEATURE_VALUE # 1,-inf,2
            EMPTY_FEATURES    # 1,,
            EMPTY_FEATURES    # 1, ,""
            """)
    void shouldRejectMalformedRowsWithTheirReason(BadInputReason reason, String row) throws BadInputException {
        CsvReader reader = reader("label,a,b");

        BadInputException e = catchThrowableOfType(BadInputException.class, () -> reader.parse(row, event));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(event.features().size()).isZero();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '#', textBlock = """
            a,b
            label,a,a
            label,,a
            label,id
            """)
    void shouldRejectBadHeaders(String header) {
        CsvReader reader = new CsvReader();

        BadInputException e = catchThrowableOfType(BadInputException.class, () -> reader.parse(header, event));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(BadInputReason.NOT_CSV);
        assertThat(reader.header()).isNull();
    }

    @Test
    void shouldRefuseTheIdColumnAsLabel() {
        assertThatThrownBy(() -> new CsvReader("id", ReadLimits.DEFAULTS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCountOnlyNonEmptyCellsTowardTheFeatureLimit() throws BadInputException {
        CsvReader reader = new CsvReader("label", new ReadLimits(1000, 2, 2));
        reader.parse("label,a,b,c", event);

        reader.parse("1,1,,2", event);
        assertThat(event.features().size()).isEqualTo(2);

        assertThat(catchThrowableOfType(BadInputException.class, () -> reader.parse("1,1,2,3", event)).reason())
                .isEqualTo(BadInputReason.TOO_MANY_FEATURES);
    }

    private CsvReader reader(String header) throws BadInputException {
        CsvReader reader = new CsvReader();
        assertThat(reader.parse(header, event)).isFalse();
        return reader;
    }
}
