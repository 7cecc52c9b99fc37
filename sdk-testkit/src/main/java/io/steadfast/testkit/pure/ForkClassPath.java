package io.steadfast.testkit.pure;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The class path for a forked JVM that must load the same classes as this one (CP-3's fork).
 *
 * <p>{@code java.class.path} alone is not enough wherever the tests' classes come from a class
 * loader of the test runner's own: the JUnit console launcher's {@code --class-path}, Gradle's test
 * workers, some IDEs. The path is therefore {@code java.class.path}, then the URLs of every {@link
 * URLClassLoader} between the anchors' loaders and the system loader, then the code source of each
 * anchor class (the application, the testkit, the codec), without duplicates and in that order, so
 * that the running JVM's own order wins.
 */
final class ForkClassPath {

  private ForkClassPath() {}

  /** The class path for a fork that loads {@code anchors} as this JVM does. */
  static String of(Class<?>... anchors) {
    Set<String> entries = new LinkedHashSet<>();
    String own = System.getProperty("java.class.path", "");
    for (String entry : own.split(java.util.regex.Pattern.quote(File.pathSeparator), -1)) {
      if (!entry.isEmpty()) {
        entries.add(entry);
      }
    }
    List<ClassLoader> loaders = new ArrayList<>();
    loaders.add(Thread.currentThread().getContextClassLoader());
    for (Class<?> anchor : anchors) {
      loaders.add(anchor.getClassLoader());
    }
    for (ClassLoader start : loaders) {
      for (ClassLoader loader = start; loader != null; loader = loader.getParent()) {
        if (loader instanceof URLClassLoader urls) {
          for (URL url : urls.getURLs()) {
            String path = path(url);
            if (path != null) {
              entries.add(path);
            }
          }
        }
      }
    }
    for (Class<?> anchor : anchors) {
      CodeSource source = anchor.getProtectionDomain().getCodeSource();
      String path =
          source == null || source.getLocation() == null ? null : path(source.getLocation());
      if (path != null) {
        entries.add(path);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static @Nullable String path(URL url) {
    if (!"file".equals(url.getProtocol())) {
      return null;
    }
    try {
      return Path.of(url.toURI()).toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
