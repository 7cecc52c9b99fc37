package io.steadfast.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the one-line Maven command that replays one rule of one suite from its seed; a suite named
 * {@code …IT} is selected for Failsafe ({@code -Dit.test}), any other for Surefire. The command
 * runs from the outermost directory that has a Maven wrapper ({@code ./mvnw -pl <module>}), or, in
 * a project without one, from the module with {@code mvn}.
 */
final class ReplayCommand {

  private ReplayCommand() {}

  static String of(Class<?> suite, String method, long seed, boolean deep) {
    return of(Path.of(System.getProperty("user.dir")), suite, method, seed, deep);
  }

  /** The command as run from the module directory {@code moduleDir}. */
  static String of(Path moduleDir, Class<?> suite, String method, long seed, boolean deep) {
    Path here = moduleDir.toAbsolutePath().normalize();
    Path root = here;
    boolean wrapper = false;
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("mvnw"))) {
        root = p;
        wrapper = true;
      }
    }
    String module = root.relativize(here).toString().replace('\\', '/');
    String className = suite.getName().substring(suite.getPackageName().length() + 1);
    int nested = className.indexOf('$');
    String topLevel = nested < 0 ? className : className.substring(0, nested);
    String select =
        topLevel.endsWith("IT")
            ? " -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='"
                + className
                + "#"
                + method
                + "'"
            : " -Dtest='" + className + "#" + method + "'";
    return (wrapper ? "./mvnw" : "mvn")
        + (module.isEmpty() ? "" : " -pl " + module)
        + " verify"
        + " -Dsteadfast.seed="
        + seed
        + (deep ? " -Dsteadfast.deep=true" : "")
        + select;
  }
}
