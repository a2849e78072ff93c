package io.streamsgd.codec;

import static io.streamsgd.codec.Events.features;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import io.streamsgd.learn.FeatureHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LibSvmReaderTest {
    private final LibSvmReader reader = new LibSvmReader();
    private final Event event = new Event();

    @Test
    void shouldReadLabelAndIndexValuePairs() throws BadInputException {
        assertThat(reader.parse("1 3:0.5 12:2 7:-1e-3", event)).isTrue();

        assertThat(event.label()).isEqualTo(1.0);
        assertThat(event.weight()).isEqualTo(1.0);
        assertThat(event.id()).isNull();
        assertThat(features(event)).containsExactly(entry("3", 0.5), entry("12", 2.0), entry("7", -0.001));
        assertThat(event.features().slot(1)).isEqualTo(FeatureHasher.murmur3("12", 0));
    }

    @Test
    void shouldKeepTheIndexAsWrittenAsTheName() throws BadInputException {
        reader.parse("-1 012:1 12:2", event);

        assertThat(event.label()).isEqualTo(-1.0);
        assertThat(features(event)).containsOnlyKeys("012", "12");
    }

    @Test
    void shouldIgnoreCommentsTabsAndZeroValues() throws BadInputException {
        assertThat(reader.parse("+1\t1:0  2:3.5 3:0 # from row 17", event)).isTrue();

        assertThat(event.label()).isEqualTo(1.0);
        assertThat(features(event)).containsExactly(entry("2", 3.5));
    }

    @Test
    void shouldSkipBlankAndCommentLines() throws BadInputException {
        assertThat(reader.parse("", event)).isFalse();
        assertThat(reader.parse("   ", event)).isFalse();
        assertThat(reader.parse("# a header comment", event)).isFalse();
        assertThat(event.features().size()).isZero();
    }

    @ParameterizedTest(name = "{0}: \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            BAD_LABEL         | yes 1:2
            BAD_LABEL         | 1:2 3:4
            BAD_LABEL         | 1e400 1:2
            BAD_LABEL         | nan 1:2
            NOT_LIBSVM        | 1 3
            NOT_LIBSVM        | 1 3:
            NOT_LIBSVM        | 1 :3
            NOT_LIBSVM        | 1 qid:3 1:2
            NOT_LIBSVM        | 1 -3:1
            NOT_LIBSVM        | 1 3: 4:1
            NOT_LIBSVM        | 1 3a:1
            NOT_LIBSVM        | 1 12345678a:1
            BAD_FEATURE_VALUE | 1 12345678:x
            BAD_FEATURE_VALUE | 1 03:x
            BAD_FEATURE_VALUE | 1 3:x
            BAD_FEATURE_VALUE | 1 3:1e400
            BAD_FEATURE_VALUE | 1 3:NaN
            BAD_FEATURE_VALUE | 1 3:1:2
            DUPLICATE_FEATURE | 1 3:1 4:1 3:2
            EMPTY_FEATURES    | 1
            EMPTY_FEATURES    | 1 # only a comment
            """)
    void shouldRejectMalformedLinesWithTheirReason(BadInputReason reason, String line) {
        BadInputException e = catchThrowableOfType(BadInputException.class, () -> reader.parse(line, event));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(event.features().size()).isZero();
        assertThat(event.hasLabel()).isFalse();
    }

    @Test
    void shouldQuoteTheBadTokenInTheMessage() {
        BadInputException e = catchThrowableOfType(BadInputException.class, () -> reader.parse("1 1:2 17 3:4", event));

        assertThat(e.getMessage()).contains("'17'");
    }

    @Test
    void shouldEnforceTheLimits() {
        LibSvmReader small = new LibSvmReader(new ReadLimits(20, 2, 2));

        assertThat(catchThrowableOfType(BadInputException.class, () -> small.parse("1 1:1 2:1 3:1", event)).reason())
                .isEqualTo(BadInputReason.TOO_MANY_FEATURES);
        assertThat(catchThrowableOfType(BadInputException.class, () -> small.parse("1 1:1 2:1 # long comment", event)).reason())
                .isEqualTo(BadInputReason.RECORD_TOO_LARGE);
    }

    @Test
    void shouldReadTheSameIndicesLineAfterLineAsTheFirstTime() throws BadInputException {
        // canonical indices of up to 7 digits take the numeric path; others (leading zeros, 8
        // digits and more) the names' path
        String line = "1 5:1 0:2 " + (1 << 20) + ":3 0007:4 1048575:5 9999999:6 12345678:7";
        for (int i = 0; i < 1_000; i++) {
            assertThat(reader.parse(line, event)).isTrue();
            assertThat(features(event)).containsExactly(entry("5", 1.0), entry("0", 2.0),
                    entry(Integer.toString(1 << 20), 3.0), entry("0007", 4.0), entry("1048575", 5.0),
                    entry("9999999", 6.0), entry("12345678", 7.0));
            for (int j = 0; j < event.features().size(); j++) {
                assertThat(event.features().slot(j)).isEqualTo(FeatureHasher.murmur3(event.features().name(j), 0));
            }
        }
    }

    @Test
    void anIndexFirstListedWithAZeroValueShouldHaveItsNameWhenItCounts() throws BadInputException {
        assertThat(reader.parse("1 9:0 3:1", event)).isTrue();
        assertThat(features(event)).containsExactly(entry("3", 1.0));

        assertThat(reader.parse("0 9:2", event)).isTrue();

        assertThat(features(event)).containsExactly(entry("9", 2.0));
        assertThat(event.features().slot(0)).isEqualTo(FeatureHasher.murmur3("9", 0));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', textBlock = """
            1 5:1 6:1 5:2
            1 0:1 0:0
            1 1048576:1 1048576:2
            1 07:1 07:1
            1 12345678:1 12345678:0
            """)
    void shouldFindDuplicatesOnEitherPath(String line) throws BadInputException {
        BadInputException e = catchThrowableOfType(BadInputException.class, () -> reader.parse(line, event));

        assertThat(e.reason()).isEqualTo(BadInputReason.DUPLICATE_FEATURE);
        // and the next line, with the same indices once each, is fine
        assertThat(reader.parse("0 5:1 6:1 0:1 1048576:1 07:1 12345678:1", event)).isTrue();
    }

    @Test
    void shouldFindADuplicateAmongAThousandIndicesLineAfterLine() throws BadInputException {
        StringBuilder b = new StringBuilder("1");
        for (int k = 0; k < 1_000; k++) {
            b.append(' ').append(k * 7).append(":1");
        }
        String distinct = b.toString();
        String repeated = distinct + " 6993:2"; // 999 * 7 again
        for (int round = 0; round < 3; round++) {
            assertThat(reader.parse(distinct, event)).isTrue();
            assertThat(event.features().size()).isEqualTo(1_000);
            assertThat(catchThrowableOfType(BadInputException.class, () -> reader.parse(repeated, event)).reason())
                    .isEqualTo(BadInputReason.DUPLICATE_FEATURE);
        }
    }

    @Test
    void shouldGiveACleanEventAfterARejectedLine() throws BadInputException {
        catchThrowableOfType(BadInputException.class, () -> reader.parse("1 1:1 2:2 1:3", event));

        reader.parse("0 5:1", event);

        assertThat(features(event)).containsExactly(entry("5", 1.0));
        assertThat(event.label()).isZero();
    }
}
