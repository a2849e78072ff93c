package io.streamsgd.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package layering of style.md, enforced the way Kafka's import-control file does it. */
class LayeringTest {
    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.streamsgd");

    @Test
    void learningCoreShouldBePureJava() {
        noClasses().that().resideInAPackage("io.streamsgd.learn..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.kafka..", "io.micrometer..", "com.fasterxml..", "picocli..",
                        "io.streamsgd.codec..", "io.streamsgd.stream..", "io.streamsgd.cli..",
                        "io.streamsgd.app..", "io.streamsgd.metrics..")
                .check(PRODUCT);
    }

    @Test
    void codecShouldNotDependOnKafkaOrMicrometer() {
        noClasses().that().resideInAPackage("io.streamsgd.codec..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.kafka..", "io.micrometer..", "io.streamsgd.stream..", "io.streamsgd.cli..",
                        "io.streamsgd.app..", "io.streamsgd.metrics..")
                .check(PRODUCT);
    }

    @Test
    void thePerEventJsonPathShouldUseJacksonsStreamingApiOnly() {
        // Trees (databind) are for reading snapshots and dead letters, never for every event.
        noClasses().that().haveSimpleNameStartingWith("JsonEventReader")
                .or().haveSimpleNameStartingWith("PredictionJson")
                .or().haveSimpleNameStartingWith("EventJson")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson.databind..")
                .check(PRODUCT);
    }

    @Test
    void streamShouldNotDependOnMicrometerOrTheCommandLine() {
        noClasses().that().resideInAPackage("io.streamsgd.stream..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.streamsgd.cli..", "picocli..")
                .check(PRODUCT);
    }
}
