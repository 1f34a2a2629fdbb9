package ch.cern.alice.lakehouse.query;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's packages form no loop (issue #16), the execution core ({@code domain}) reaches branch work, history
 * and refs only through the interfaces it owns ({@code WriteStatements}, {@code QueryHistory}, {@code RefPins}), and
 * every package says what lives there. Reads the compiled main classes; no Spring context.
 */
class PackageRulesTest {

    private static final String ROOT = "ch.cern.alice.lakehouse.query";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void packagesFormNoCycles() {
        assertThat(MAIN.stream().map(JavaClass::getPackageName).distinct().count())
                .as("the main packages were read").isGreaterThan(10);
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void executionCoreDoesNotDependOnFeatures() {
        noClasses().that().resideInAPackage(ROOT + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".branch..", ROOT + ".history..",
                        ROOT + ".ref..", ROOT + ".api..", ROOT + ".protocol..", ROOT + ".saved..")
                .check(MAIN);
    }

    @Test
    void everyPackageHasAPackageInfo() {
        List<String> missing = MAIN.stream().map(JavaClass::getPackageName).distinct()
                .filter(name -> !Files.exists(Path.of("src/main/java", name.replace('.', '/'), "package-info.java")))
                .sorted().toList();
        assertThat(missing).as("packages without a package-info.java saying what lives there").isEmpty();
    }
}
