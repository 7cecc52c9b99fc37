package io.steadfast.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No engine type may appear in a public signature outside the runtime's internal packages. */
class PublicSignatureTest {

  @Test
  void publicApi_mentionsNoRatisType() throws Exception {
    List<String> leaks = new ArrayList<>();
    List<Class<?>> classes = publicRuntimeClasses();
    assertThat(classes).as("classes inspected").hasSizeGreaterThan(10);
    for (Class<?> type : classes) {
      for (Method method : type.getDeclaredMethods()) {
        if (!Modifier.isPublic(method.getModifiers())) {
          continue;
        }
        List<Type> types = new ArrayList<>(List.of(method.getGenericParameterTypes()));
        types.add(method.getGenericReturnType());
        types.addAll(List.of(method.getGenericExceptionTypes()));
        for (Type t : types) {
          if (t.getTypeName().contains("org.apache.ratis")) {
            leaks.add(type.getName() + "#" + method.getName() + ": " + t.getTypeName());
          }
        }
      }
      for (var constructor : type.getConstructors()) {
        for (Type t : constructor.getGenericParameterTypes()) {
          if (t.getTypeName().contains("org.apache.ratis")) {
            leaks.add(type.getName() + "#<init>: " + t.getTypeName());
          }
        }
      }
      if (type.getSuperclass() != null
          && type.getSuperclass().getName().startsWith("org.apache.ratis")) {
        leaks.add(type.getName() + " extends " + type.getSuperclass().getName());
      }
    }
    assertThat(leaks).isEmpty();
  }

  private static List<Class<?>> publicRuntimeClasses()
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path root =
        Path.of(SteadfastNode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name =
            root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        if (name.contains(".internal.") || name.endsWith("package-info")) {
          continue;
        }
        Class<?> type = Class.forName(name, false, PublicSignatureTest.class.getClassLoader());
        if (Modifier.isPublic(type.getModifiers())) {
          classes.add(type);
        }
      }
    }
    return classes;
  }
}
