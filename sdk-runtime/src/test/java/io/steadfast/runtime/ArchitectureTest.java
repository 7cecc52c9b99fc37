package io.steadfast.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/architecture.md, checked on the compiled classes: the API depends on
 * nothing of ours, Ratis stays in the engine package, the runtime's packages form no cycle, and
 * nothing that waits on the network does so inside a monitor.
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

  /**
   * A session's calls wait for an outcome for up to the request deadline. Waiting inside a monitor
   * pins a virtual thread's carrier on JDK 21 to 23, so a vendor running sessions on virtual
   * threads would be left with as many concurrent sessions as carrier threads.
   */
  @Test
  void session_waitsUnderALockNotAMonitor() {
    noMethods()
        .that()
        .areDeclaredIn(Session.class)
        .should()
        .haveModifier(JavaModifier.SYNCHRONIZED)
        .because("a virtual thread waiting in a monitor pins its carrier (JDK 21 to 23)")
        .check(CLASSES);
  }

  @Test
  void noSynchronizedMethod_waitsOnTheNetwork() {
    noMethods()
        .that()
        .haveModifier(JavaModifier.SYNCHRONIZED)
        .should(callHttpClientSend())
        .because("a virtual thread waiting in a monitor pins its carrier (JDK 21 to 23)")
        .check(CLASSES);
  }

  /** Calls {@link HttpClient#send} itself (a blocking request). */
  private static ArchCondition<JavaMethod> callHttpClientSend() {
    return new ArchCondition<>("call HttpClient.send") {
      @Override
      public void check(JavaMethod method, ConditionEvents events) {
        method.getMethodCallsFromSelf().stream()
            .filter(
                call ->
                    call.getTargetOwner().isAssignableTo(HttpClient.class)
                        && call.getName().equals("send"))
            .forEach(
                call -> events.add(SimpleConditionEvent.satisfied(method, call.getDescription())));
      }
    };
  }
}
