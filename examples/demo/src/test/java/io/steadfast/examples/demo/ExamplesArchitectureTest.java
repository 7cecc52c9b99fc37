package io.steadfast.examples.demo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The examples are written as a vendor would write them: against the public API only. Checked here
 * because the demo is the one module that sees both examples.
 */
class ExamplesArchitectureTest {

  private static final JavaClasses EXAMPLES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.steadfast.examples");

  @Test
  void examples_useNoInternalPackageAndNoEngineType() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.steadfast.runtime.internal..", "org.apache.ratis..")
        .check(EXAMPLES);
  }

  @Test
  void examples_areImported() {
    org.assertj.core.api.Assertions.assertThat(EXAMPLES.size())
        .as("example classes found")
        .isGreaterThan(20);
  }
}
