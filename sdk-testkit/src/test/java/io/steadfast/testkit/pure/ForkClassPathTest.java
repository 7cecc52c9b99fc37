package io.steadfast.testkit.pure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkClassPathTest {

  @Test
  void includesTheTestRunnersOwnLoaders_andTheAnchorsCodeSources(@TempDir Path dir)
      throws Exception {
    // A loader of the kind the JUnit console launcher builds for --class-path: its entries are not
    // on java.class.path.
    Path extra = Files.createDirectories(dir.resolve("runner-classes"));
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader runner = new URLClassLoader(new URL[] {extra.toUri().toURL()}, before)) {
      Thread.currentThread().setContextClassLoader(runner);
      List<String> entries =
          List.of(
              ForkClassPath.of(ForkClassPathTest.class)
                  .split(java.util.regex.Pattern.quote(File.pathSeparator), -1));
      assertThat(System.getProperty("java.class.path")).doesNotContain(extra.toString());
      assertThat(entries).contains(extra.toString());
      String own =
          Path.of(
                  ForkClassPathTest.class
                      .getProtectionDomain()
                      .getCodeSource()
                      .getLocation()
                      .toURI())
              .toString();
      assertThat(entries).contains(own);
      assertThat(entries).doesNotHaveDuplicates();
    } finally {
      Thread.currentThread().setContextClassLoader(before);
    }
  }
}
