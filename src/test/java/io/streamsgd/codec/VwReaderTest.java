package io.streamsgd.codec;

import static io.streamsgd.codec.Events.features;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VwReaderTest {
    private final VwReader reader = new VwReader();
    private final Event event = new Event();

    @Test
    void shouldReadLabelImportanceTagAndNamespaces() throws BadInputException {
        assertThat(reader.parse("1 2.5 'ex-7|user age:31 premium |page:0.5 sports words:4", event)).isTrue();

        assertThat(event.label()).isEqualTo(1.0);
        assertThat(event.weight()).isEqualTo(2.5);
        assertThat(event.id()).isEqualTo("ex-7");
        assertThat(features(event)).containsExactly(
                entry("user^age", 31.0), entry("user^premium", 1.0), entry("page^sports", 0.5), entry("page^words", 2.0));
    }

    @Test
    void shouldNameDefaultNamespaceFeaturesWithoutAPrefix() throws BadInputException {
        reader.parse("-1 | price:12.5 mobile", event);

        assertThat(event.label()).isEqualTo(-1.0);
        assertThat(event.weight()).isEqualTo(1.0);
        assertThat(event.id()).isNull();
        assertThat(features(event)).containsExactly(entry("price", 12.5), entry("mobile", 1.0));
    }

    @Test
    void shouldReadAnUnlabeledEvent() throws BadInputException {
        reader.parse("|f a b:2", event);

        assertThat(event.hasLabel()).isFalse();
        assertThat(features(event)).containsExactly(entry("f^a", 1.0), entry("f^b", 2.0));
    }

    @Test
    void shouldTakeATokenTouchingTheBarAsTheTagAsVwDoes() throws BadInputException {
        reader.parse("1|f a", event);
        assertThat(event.hasLabel()).isFalse();
        assertThat(event.id()).isEqualTo("1");

        reader.parse("0 tag7|f a", event);
        assertThat(event.label()).isZero();
        assertThat(event.id()).isEqualTo("tag7");

        reader.parse("0 'quoted |f a", event);
        assertThat(event.label()).isZero();
        assertThat(event.id()).isEqualTo("quoted");
    }

    @Test
    void shouldMakeStringValuesCategoricalAndSumRepeatedFeatures() throws BadInputException {
        reader.parse("1 |geo city:paris a a b:0", event);

        assertThat(features(event)).containsExactly(entry("geo^city=paris", 1.0), entry("geo^a", 2.0));
    }

    @Test
    void shouldSkipBlankLines() throws BadInputException {
        assertThat(reader.parse(" ", event)).isFalse();
    }

    @ParameterizedTest(name = "{0}: \"{1}\"")
    @CsvSource(delimiter = '#', quoteCharacter = '"', textBlock = """
            NOT_VW            # 1 a b
            NOT_VW            # 1 1 0.5 |f a
            NOT_VW            # 1 1 0.5 x 'tag |f a
            NOT_VW            # 1 |f :2
            NOT_VW            # 1 |f a:
            NOT_VW            # 1 |:2 a
            BAD_LABEL         # yes |f a
            BAD_LABEL         # 1e400 |f a
            BAD_WEIGHT        # 1 0 |f a
            BAD_WEIGHT        # 1 -2 |f a
            BAD_WEIGHT        # 1 x |f a
            BAD_FEATURE_VALUE # 1 |f a:1e400
            BAD_FEATURE_VALUE # 1 |f a:nan
            BAD_FEATURE_VALUE # 1 |f:1e300 a:1e300
            BAD_FEATURE_VALUE # 1 |f:x a
            EMPTY_FEATURES    # 1 |
            EMPTY_FEATURES    # 1 |f |g
            """)
    void shouldRejectMalformedLinesWithTheirReason(BadInputReason reason, String line) {
        BadInputException e = catchThrowableOfType(BadInputException.class, () -> reader.parse(line, event));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(event.features().size()).isZero();
        assertThat(event.id()).isNull();
    }

    @Test
    void shouldEnforceTheFeatureLimitAcrossNamespaces() {
        VwReader small = new VwReader(new ReadLimits(1000, 3, 2));

        assertThat(catchThrowableOfType(BadInputException.class, () -> small.parse("1 |a x y |b z w", event)).reason())
                .isEqualTo(BadInputReason.TOO_MANY_FEATURES);
    }
}
