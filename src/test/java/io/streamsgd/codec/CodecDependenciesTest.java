package io.streamsgd.codec;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The codec package may use the learning core and Jackson, never Kafka, Micrometer or the outer layers. */
class CodecDependenciesTest {

    @Test
    void shouldDependOnlyOnTheCoreAndJackson() {
        JavaClasses codec = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.streamsgd.codec");

        noClasses().that().resideInAPackage("io.streamsgd.codec..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.kafka..", "io.micrometer..", "com.fasterxml.jackson.databind..",
                        "io.streamsgd.stream..", "io.streamsgd.app..", "io.streamsgd.cli..", "io.streamsgd.metrics..")
                .check(codec);
    }
}
