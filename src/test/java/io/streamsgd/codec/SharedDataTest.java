package io.streamsgd.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real data sets in {@code ../shared/data}: every JSON line parses, and each LibSVM twin (same
 * rows, same order, indices instead of names) gives the same label and the same values per row.
 */
class SharedDataTest {

    @ParameterizedTest
    @ValueSource(strings = {"spambase_raw", "spambase_log1p", "fine_foods"})
    void shouldReadEveryRowOfTheJsonAndLibSvmTwinsAlike(String dataSet) throws IOException, BadInputException {
        Path json = TestData.file(dataSet + ".jsonl");
        Path libsvm = TestData.file(dataSet + ".libsvm");
        JsonEventReader jsonReader = new JsonEventReader();
        LibSvmReader libSvmReader = new LibSvmReader();
        Event fromJson = new Event();
        Event fromLibSvm = new Event();
        int rows = 0;
        try (BufferedReader jsonLines = Files.newBufferedReader(json, StandardCharsets.UTF_8);
             BufferedReader libSvmLines = Files.newBufferedReader(libsvm, StandardCharsets.UTF_8)) {
            String jsonLine;
            while ((jsonLine = jsonLines.readLine()) != null) {
                String libSvmLine = libSvmLines.readLine();
                assertThat(libSvmLine).as("%s row %d missing from the LibSVM twin", dataSet, rows + 1).isNotNull();
                rows++;
                assertThat(jsonReader.readLine(jsonLine, fromJson)).isTrue();
                assertThat(libSvmReader.parse(libSvmLine, fromLibSvm)).isTrue();
                // Plain checks first: AssertJ per row would dominate the run time; it only reports.
                boolean same = fromJson.id() != null
                        && fromJson.label() == fromLibSvm.label()
                        && fromJson.features().size() > 0
                        && Arrays.equals(Events.sortedValues(fromJson), Events.sortedValues(fromLibSvm));
                if (!same) {
                    assertThat(fromJson.id()).as("row %d id", rows).isNotNull();
                    assertThat(fromJson.label()).as("row %d label", rows).isEqualTo(fromLibSvm.label());
                    assertThat(Events.sortedValues(fromJson)).as("row %d values", rows)
                            .isNotEmpty().containsExactly(Events.sortedValues(fromLibSvm));
                }
            }
            assertThat(libSvmLines.readLine()).as("extra LibSVM rows").isNull();
        }
        assertThat(rows).isEqualTo(dataSet.equals("fine_foods") ? 5_000 : 4_601);
    }
}
