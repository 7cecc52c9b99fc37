package io.steadfast.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/architecture.md, checked on the compiled classes: the API depends on
 * nothing of ours, Ratis stays in the engine package, and the runtime's packages form no cycle.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.steadfast.api", "io.steadfast.runtime");

  @Test
  void api_dependsOnTheJdkAndAnnotationsOnly() {
    classes()
        .that()
        .resideInAPackage("io.steadfast.api..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "io.steadfast.api..", "java..", "javax.annotation..", "org.jspecify.annotations..")
        .check(CLASSES);
  }

  @Test
  void ratis_isUsedOnlyInTheEnginePackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.steadfast.runtime.internal.ratis..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.ratis..")
        .check(CLASSES);
  }

  @Test
  void runtimePackages_formNoCycle() {
    slices().matching("io.steadfast.runtime.(**)").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void internalPackages_neverDependOnTheFacade() {
    noClasses()
        .that()
        .resideInAPackage("io.steadfast.runtime.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.steadfast.runtime")
        .check(CLASSES);
  }
}
