package io.steadfast.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.ResilientApplication;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wrapper the cluster runs must pass every exit point through to the vendor's instance. */
class ObservedApplicationTest {

  @Test
  void everyExitPoint_isOverridden_soNoVendorCallbackIsSwallowedByADefault() throws Exception {
    List<String> missing = Arrays.stream(ResilientApplication.class.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> {
          try {
            Method own = ObservedApplication.class.getMethod(m.getName(), m.getParameterTypes());
            return own.getDeclaringClass() != ObservedApplication.class;
          } catch (NoSuchMethodException e) {
            return true;
          }
        })
        .map(Method::getName)
        .toList();

    assertThat(missing).as("exit points ObservedApplication does not pass through").isEmpty();
  }

  @Test
  void currentNode_readsEngineAndRoleThreadNames() throws Exception {
    String[] seen = new String[2];
    Thread apply = new Thread(() -> seen[0] = ObservedApplication.currentNode(),
        "n2@group-6EC27A75605D-StateMachineUpdater");
    Thread role = new Thread(() -> seen[1] = ObservedApplication.currentNode(), "steadfast-role-n3");
    apply.start();
    role.start();
    apply.join();
    role.join();

    assertThat(seen).containsExactly("n2", "n3");
    assertThat(ObservedApplication.currentNode()).isEqualTo("?");
  }
}
