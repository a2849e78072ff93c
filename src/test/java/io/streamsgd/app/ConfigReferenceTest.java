package io.streamsgd.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The configuration reference lists every key and the README carries it as generated. */
class ConfigReferenceTest {
    private static final Path README = Path.of("README.md");

    @Test
    void referenceShouldListEveryKeyWithItsDefault() {
        String reference = ConfigReference.markdown();
        for (Setting<?> s : ConfigKeys.GLOBAL) {
            assertThat(reference).contains("| `" + s.key() + "` |");
        }
        for (Setting<?> s : ConfigKeys.MODEL_KEYS) {
            assertThat(reference).contains("| `" + s.key() + "` |");
        }
        assertThat(reference).contains("| `kafka.<setting>` |")
                .contains("| `metrics.port` | `9404` | an integer in [0, 65535] |")
                .contains("| `model.<name>.learning-rate` | per schedule: adaptive 1.0, adagrad 0.5, invscaling 0.5, constant 0.1 |")
                .contains("| `state.dir` | Kafka Streams' default, &lt;java.io.tmpdir>/kafka-streams |");
    }

    @Test
    void theDocumentationShouldCarryTheGeneratedReference() throws IOException {
        String reference = ConfigReference.markdown();
        assertThat(Files.readString(README, StandardCharsets.UTF_8)).as("README.md holds the output of"
                + " `streamsgd run --print-config-reference` verbatim; regenerate it").contains(reference);
    }
}
