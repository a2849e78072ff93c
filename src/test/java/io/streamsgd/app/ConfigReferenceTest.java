package io.streamsgd.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration reference lists every key and the README carries it as generated. */
class ConfigReferenceTest {
    /** Where the reference is published: the README once merged, the runtime draft until then. */
    private static final List<Path> DOCS = List.of(Path.of("README.md"), Path.of("docs", "README-runtime.md"));

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
        boolean found = false;
        for (Path doc : DOCS) {
            if (Files.exists(doc) && Files.readString(doc, StandardCharsets.UTF_8).contains(reference)) {
                found = true;
            }
        }
        assertThat(found).as("README.md or docs/README-runtime.md holds the output of"
                + " `streamsgd run --print-config-reference` verbatim; regenerate it").isTrue();
    }
}
