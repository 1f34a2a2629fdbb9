package ch.cern.alice.lakehouse.versioning;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages of versioning-service form no cycle (issue #16): {@code api} on top, the ref services in
 * {@code domain}, persistence in {@code store} that knows no service, Spring wiring in {@code config}.
 */
class PackageCyclesTest {

    private static final String ROOT = "ch.cern.alice.lakehouse.versioning";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void packagesAreFreeOfCycles() {
        assertThat(MAIN.containPackage(ROOT + ".store")).as("classes imported").isTrue();
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void repositoriesDependOnNoServiceAndWiringOnNoFeature() {
        noClasses().that().resideInAPackage(ROOT + ".store..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".domain..", ROOT + ".api..",
                        ROOT + ".retention..", ROOT + ".diff..", ROOT + ".delta..")
                .check(MAIN);
        noClasses().that().resideInAPackage(ROOT + ".config..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".domain..", ROOT + ".api..",
                        ROOT + ".store..", ROOT + ".retention..", ROOT + ".diff..", ROOT + ".delta..")
                .check(MAIN);
    }
}
