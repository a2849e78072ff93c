package io.streamsgd.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class BadInputReasonTest {

    @Test
    void shouldHaveUniqueSnakeCaseCodesMatchingTheConstantNames() {
        for (BadInputReason reason : BadInputReason.values()) {
            assertThat(reason.code()).matches("[a-z][a-z0-9]*(_[a-z0-9]+)*");
            assertThat(reason.code()).isEqualTo(reason.name().toLowerCase(Locale.ROOT));
        }
        assertThat(Arrays.stream(BadInputReason.values()).map(BadInputReason::code).distinct().count())
                .isEqualTo(BadInputReason.values().length);
    }

    @Test
    void shouldKeepThePublishedCodes() {
        assertThat(Arrays.stream(BadInputReason.values()).map(BadInputReason::code)).contains(
                "not_json", "invalid_utf8", "not_an_object", "too_deep", "empty_record", "missing_features",
                "empty_features", "bad_feature_value", "duplicate_feature", "too_many_features", "record_too_large",
                "bad_label", "bad_weight", "bad_id", "bad_model", "unknown_model", "label_out_of_range", "null_value",
                "not_libsvm", "not_vw", "not_csv");
    }

    @Test
    void shouldFindReasonsByCode() {
        assertThat(BadInputReason.fromCode("bad_label")).isEqualTo(BadInputReason.BAD_LABEL);
        assertThat(BadInputReason.fromCode("NOT_JSON")).isEqualTo(BadInputReason.NOT_JSON);
        assertThatThrownBy(() -> BadInputReason.fromCode("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCarryTheReasonWithoutAStackTrace() {
        BadInputException e = new BadInputException(BadInputReason.BAD_ID, "'id' must be a string");

        assertThat(e.reason()).isEqualTo(BadInputReason.BAD_ID);
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e).hasToString("bad_id: 'id' must be a string");
    }
}
