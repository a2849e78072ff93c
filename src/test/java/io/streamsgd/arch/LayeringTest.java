package io.streamsgd.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The package layering of style.md, enforced the way Kafka's import-control file does it. */
class LayeringTest {
    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.streamsgd");

    /** Fails with ArchUnit's report (every violating dependency) unless the rule holds for the product's classes. */
    private static void assertHolds(ArchRule rule) {
        assertThat(rule.evaluate(PRODUCT).getFailureReport().getDetails()).as(rule.getDescription()).isEmpty();
    }

    @Test
    void learningCoreShouldBePureJava() {
        assertHolds(noClasses().that().resideInAPackage("io.streamsgd.learn..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.kafka..", "io.micrometer..", "com.fasterxml..", "picocli..",
                        "io.streamsgd.codec..", "io.streamsgd.stream..", "io.streamsgd.cli..",
                        "io.streamsgd.app..", "io.streamsgd.metrics.."));
    }

    @Test
    void codecShouldNotDependOnKafkaOrMicrometer() {
        assertHolds(noClasses().that().resideInAPackage("io.streamsgd.codec..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.kafka..", "io.micrometer..", "io.streamsgd.stream..", "io.streamsgd.cli..",
                        "io.streamsgd.app..", "io.streamsgd.metrics.."));
    }

    @Test
    void thePerEventJsonPathShouldUseJacksonsStreamingApiOnly() {
        // Trees (databind) are for reading snapshots and dead letters, never for every event.
        assertHolds(noClasses().that().haveSimpleNameStartingWith("JsonEventReader")
                .or().haveSimpleNameStartingWith("PredictionJson")
                .or().haveSimpleNameStartingWith("EventJson")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson.databind.."));
    }

    @Test
    void streamShouldNotDependOnMicrometerOrTheCommandLine() {
        assertHolds(noClasses().that().resideInAPackage("io.streamsgd.stream..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.streamsgd.cli..", "picocli.."));
    }
}
